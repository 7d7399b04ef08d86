"""The Markdown report: renders cleanly on code-hosting sites (GitHub, GitLab).

Input text is escaped for Markdown (and for the HTML those sites allow
inside Markdown), so an article cannot inject links, images or tags. Issue
spans are shown as bold numbered brackets — ``**⟦1⟧**`` — since Markdown
has no highlighting; the issue list under each claim explains them.
"""
from __future__ import annotations

import re
from typing import Any

from ..diff.fingerprint import FINGERPRINT_RE
from ..diff.types import ISSUE_KINDS
from .findings import active_issues, sort_issues, split_findings, split_shown, words_to_check_note
from .safe import markup_safe
from .spans import diff_notes, pieces

# Characters that mean something anywhere in a line (emphasis, code, links,
# tables, strikethrough). "-", ".", "+", "#" and "!" only do at the start of a
# line (or before "[", escaped anyway): escaping them everywhere turned every
# date into 2025\-10\-01.
_MD_INLINE = re.compile(r"([\\`*_\[\]()|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)](?:\s|$)))")
# Bare URLs and addresses that GitHub would turn into links.
_AUTOLINK = re.compile(r"(?i)(www)\.|:(//)|@")
VERDICT_WORDS = {"traced": "traced", "paraphrase": "paraphrase", "unsourced": "no source found"}


def md(value: Any) -> str:
    """Escape text for Markdown: what would format, link or tag is backslashed
    or made an entity, and line breaks become spaces (a table cell or list item
    stays one line). Control and bidi characters are neutralised (``safe.py``)."""
    text = markup_safe("" if value is None else str(value))
    text = text.replace("\r", " ").replace("\n", " ")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                      else m.group(2) + "\\"), text)
    text = _AUTOLINK.sub(lambda m: "www\\." if m.group(1) else (":\\/\\/" if m.group(2) else "\\@"), text)
    # HTML-significant characters become entities: no tag survives.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(data: dict[str, Any]) -> str:
    art = data.get("article") or {}
    s = data.get("summary") or {}
    title = art.get("title") or art.get("path") or art.get("id") or "article"
    out = [f"# Trace report: {md(title)}", ""]
    meta = [f"{k}: {md(art[key])}" for k, key in (("source", "source"), ("date", "date"), ("language", "lang"))
            if art.get(key)]
    meta.append(f"generated {md(data.get('generated'))}")
    out += [" · ".join(meta), ""]
    out += _findings(s)
    out += ["## Summary", ""]
    out += ["| claims by verdict | n |", "|---|---:|"]
    for v, n in (s.get("by_verdict") or {}).items():
        out.append(f"| {md(VERDICT_WORDS.get(v, v))} | {n} |")
    out += [f"| **all claims** | **{s.get('claims', 0)}** |", ""]
    out += ["| issues by kind | critical | major | minor | all |", "|---|---:|---:|---:|---:|"]
    for k, v in (s.get("issues_by_kind_and_severity") or {}).items():
        out.append(f"| {md(k)} | {v.get('critical', 0)} | {v.get('major', 0)} | {v.get('minor', 0)} | {sum(v.values())} |")
    sev = s.get("issues_by_severity") or {}
    out += [f"| **all** | **{sev.get('critical', 0)}** | **{sev.get('major', 0)}** | **{sev.get('minor', 0)}** | "
            f"**{s.get('issues', 0)}** |", ""]
    sources = s.get("top_sources") or []
    if sources:
        out += ["| sources of the claims | lang | date | claims |", "|---|---|---|---:|"]
        for x in sources:
            out.append(f"| {md(x.get('source') or x.get('doc_id'))} | {md(x.get('lang'))} | {md(x.get('date') or '')} "
                       f"| {x.get('claims')} |")
        out.append("")
    for note in diff_notes(data):  # once, not under every claim
        out += [f"_{_with_code(note)}_", ""]
    labels = data.get("legend") or {}
    out += ["## Legend", ""]
    out += [f"- **{k}**: {md(labels.get(k, ''))}" for k in ISSUE_KINDS]
    out += ["- **⟦n⟧** marks the end of issue n in the text; **‸n** marks where something is missing", "",
            "## Claims", ""]
    for n, c in enumerate(data.get("claims") or [], 1):
        out += _claim(n, c)
    return "\n".join(out).rstrip() + "\n"


def _claim(n: int, c: dict[str, Any]) -> list[str]:
    verdict = c.get("verdict") or ""
    speaker = c.get("speaker_ref") or c.get("speaker")
    conf = c.get("confidence")
    head = (f"### Claim {md(c.get('claim_id', n))} — {md(VERDICT_WORDS.get(verdict, verdict))}"
            + (f" ({conf:.0%})" if isinstance(conf, (int, float)) else ""))
    out = [head, ""]
    if speaker:
        out += [f"Speaker: {md(speaker)}", ""]
    for f in c.get("flags") or []:
        out.append(f"> ⚠ **{md(f)}**")
    if c.get("flags"):
        out.append("")
    chain = c.get("chain") or []
    if len(chain) > 1:
        out += ["Source chain: " + " → ".join(
            f"{md(h.get('source') or h.get('doc_id'))} ({md(', '.join(x for x in (h.get('lang'), h.get('date')) if x))})"
            for h in chain), ""]
    d = c.get("diff")
    if not d:
        out += [f"**Quote:** {md(c.get('text'))}", ""]
        return out
    issues = sort_issues(active_issues(d))
    label = "Original" if d.get("basis", "origin") == "origin" else \
        (d.get("basis_label") or "closest passage, not accepted as the origin").capitalize()
    out += [f"**Quote ({md(d.get('quote_lang'))}):** {_marked(d.get('quote') or '', issues, 'quote')}", "",
            f"**{md(label)} ({md(d.get('source') or d.get('doc_id'))}, {md(d.get('source_lang'))}):** "
            f"{_marked(d.get('original') or '', issues, 'source')}", ""]
    sentence = d.get("sentence") or ""
    if sentence and " ".join(sentence.split()) != " ".join((d.get("original") or "").split()):
        out += [f"_In the sentence:_ {md(sentence)}", ""]
    shown, folded = split_shown(issues)
    if issues:
        out += [_issue_line(k, i) for k, i in enumerate(shown, 1)]
        out.append("")
    else:
        out += ["No differences found between the quote and the original.", ""]
    if d.get("dismissed"):
        out += [f"_{d['dismissed']} dismissed (dismiss file)._", ""]
    mt = d.get("mt")
    if mt and mt.get("translation"):
        out += [f"Machine translation of the original: {md(mt['translation'])}", ""]
    if folded:
        out += [f"{len(folded)} more (less severe):", ""]
        out += [_issue_line(k, i) for k, i in enumerate(folded, len(shown) + 1)]
        out.append("")
    return out


def _issue_line(k: int, i: dict[str, Any]) -> str:
    texts = " → ".join(f"“{md(t)}”" for t in (i.get("source_text"), i.get("quote_text")) if t)
    line = (f"{k}. **{md(i['kind'])}** ({md(i['severity'])}): {md(i.get('message'))}"
            + (f" · {texts}" if texts else ""))
    if i.get("senses"):
        line += " · dictionary: " + "; ".join(f"{md(x['lemma'])}: {md(', '.join(x['senses']))}" for x in i["senses"])
    if FINGERPRINT_RE.match(str(i.get("fingerprint") or "")):  # never markup: a fixed alphabet
        line += f" · `{i['fingerprint']}`"
    return line


def _findings(s: dict[str, Any]) -> list[str]:
    """The key findings: every critical and major issue, most severe first;
    the words to check; those against a closest passage (not accepted as the
    origin) after."""
    findings = s.get("findings")
    if findings is None:
        return []
    out = ["## Key findings", ""]
    origin, check, closest = split_findings(findings)
    if origin:
        out += _findings_table(origin)
    else:
        out += ["No critical or major issues against an accepted origin.", ""]
    if check:
        out += ["### Words to check", "", md(words_to_check_note(len(check))), ""]
        out += _findings_table(check)
    if closest:
        out += [f"{len(closest)} more against a closest passage, not accepted as the origin:", ""]
        out += _findings_table(closest)
    if s.get("dismissed"):
        out += [f"_{s['dismissed']} dismissed issue(s) hidden (dismiss file)._", ""]
    return out


def _findings_table(findings: list[dict[str, Any]]) -> list[str]:
    out = ["| claim | severity | kind | quote → original | what |", "|---|---|---|---|---|"]
    for f in findings:
        texts = " → ".join(f"“{md(t)}”" for t in (f.get("quote_text"), f.get("source_text")) if t)
        what = md(f.get("message"))
        if f.get("senses"):
            what += " · dictionary: " + "; ".join(f"{md(x['lemma'])}: {md(', '.join(x['senses']))}" for x in f["senses"])
        out.append(f"| {md(f.get('claim_id'))} | {md(f['severity'])} | {md(f['kind'])} | {texts} | {what} |")
    return out + [""]


def _with_code(text: str) -> str:
    """Escaped text whose `backticked` spans (commands to run) stay code spans."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return md(text)
    return "".join(f"`{p.replace('`', '')}`" if i % 2 else md(p) for i, p in enumerate(parts))


def _marked(text: str, issues: list[dict[str, Any]], side: str) -> str:
    out = []
    for p in pieces(text, issues, [], side):
        for n in p.inserts:
            out.append(f"**‸{n + 1}**")
        out.append(md(p.text))
        for n in p.ends:
            out.append(f"**⟦{n + 1}⟧**")
    return "".join(out)

"""The HTML report: one self-contained file (inline CSS, no scripts, no network).

Article text is untrusted, so every piece of input goes through :func:`e`
(``html.escape`` with quotes) before it touches markup, and a
Content-Security-Policy meta tag forbids scripts as a second line of defence.
Aligned spans are links to their counterpart (``:target`` highlights them,
no JavaScript); issue spans are ``<mark>`` elements coloured by kind,
underlined by severity and numbered into the claim's issue list.
"""
from __future__ import annotations

import html
from importlib import resources
from string import Template
from typing import Any

from ..diff.types import ISSUE_KINDS
from .findings import SHOWN_PER_DIFF, active_issues, sort_issues, split_findings, split_shown, words_to_check_note
from .safe import markup_safe
from .spans import diff_notes, pieces

VERDICT_WORDS = {"traced": "traced", "paraphrase": "paraphrase", "unsourced": "no source found"}


def e(value: Any) -> str:
    """Escape any value for HTML text and attribute values; control characters
    and bidi overrides are made visible instead of acting (``safe.markup_safe``)."""
    return html.escape(markup_safe("" if value is None else str(value)), quote=True)


def _asset(name: str) -> str:
    return resources.files("tracer.report").joinpath("templates", name).read_text(encoding="utf-8")


def stylesheet() -> str:
    """The report's CSS (inlined by :func:`render_html`; `tracer serve` serves it as a file)."""
    return _asset("report.css")


def render_html(data: dict[str, Any]) -> str:
    """The whole report: one self-contained HTML page."""
    page = Template(_asset("report.html"))
    return page.substitute(title=e(f"Trace report: {_title(data)}"), css=stylesheet(), body=render_body(data))


def _title(data: dict[str, Any]) -> str:
    art = data.get("article") or {}
    return art.get("title") or art.get("path") or art.get("id") or "article"


def render_body(data: dict[str, Any]) -> str:
    """The report's content without the page around it, for a page that embeds it."""
    art = data.get("article") or {}
    title = _title(data)
    body = [
        f"<h1>Trace report: {e(title)}</h1>",
        _article_meta(art, data),
        render_findings(data),
        _summary(data),
        _notes(data),
        render_legend(data.get("legend") or {}),
        "<h2>Claims</h2>",
    ]
    claims = data.get("claims") or []
    if not claims:
        body.append("<p>No quotes, reported speech or figures were found in this article.</p>")
    for n, claim in enumerate(claims, 1):
        body.append(_claim(n, claim))
    body.append("<footer>Made by tracer. Offsets, scores and the full data are in the JSON report "
                "(<code>tracer report ARTICLE --out FILE.json</code>).</footer>")
    return "\n".join(body)


def _article_meta(art: dict[str, Any], data: dict[str, Any]) -> str:
    bits = []
    for label, key in (("source", "source"), ("date", "date"), ("language", "lang"), ("file", "path")):
        if art.get(key):
            bits.append(f"{label}: {e(art[key])}")
    if art.get("url"):
        bits.append(f"url: {e(art['url'])}")  # shown, not linked: the report makes no requests
    bits.append(f"generated {e(data.get('generated'))}")
    return f'<p class="meta">{" · ".join(bits)}</p>'


def _summary(data: dict[str, Any]) -> str:
    s = data.get("summary") or {}
    verdicts = s.get("by_verdict") or {}
    rows = "".join(f"<tr><td>{e(VERDICT_WORDS.get(v, v))}</td><td class=num>{e(n)}</td></tr>"
                   for v, n in verdicts.items())
    rows += f"<tr><th>all claims</th><th class=num>{e(s.get('claims', 0))}</th></tr>"
    verdict_table = f"<table><caption hidden>Claims by verdict</caption><tr><th>claims by verdict</th><th>n</th></tr>{rows}</table>"

    kinds = s.get("issues_by_kind_and_severity") or {}
    krows = "".join(
        f'<tr><td><span class="sw k-{e(k)}">{e(k)}</span></td>'
        + "".join(f"<td class=num>{e(v.get(sev, 0)) if v.get(sev) else ''}</td>" for sev in ("critical", "major", "minor"))
        + f"<td class=num>{e(sum(v.values()))}</td></tr>"
        for k, v in kinds.items()
    ) or '<tr><td colspan="5">no issues found in the traced claims</td></tr>'
    sev = s.get("issues_by_severity") or {}
    krows += ("<tr><th>all</th>" + "".join(f"<th class=num>{e(sev.get(x, 0))}</th>" for x in ("critical", "major", "minor"))
              + f"<th class=num>{e(s.get('issues', 0))}</th></tr>")
    issue_table = ("<table><tr><th>issues by kind</th><th>critical</th><th>major</th><th>minor</th><th>all</th></tr>"
                   f"{krows}</table>")

    sources = s.get("top_sources") or []
    srows = "".join(
        f"<tr><td>{e(x.get('source') or x.get('doc_id'))}<div class=meta>{e(x.get('title') or '')}</div></td>"
        f"<td>{e(x.get('lang'))}</td><td>{e(x.get('date') or '')}</td><td class=num>{e(x.get('claims'))}</td></tr>"
        for x in sources
    ) or '<tr><td colspan="4">no sources found</td></tr>'
    source_table = ("<table><tr><th>sources of the claims</th><th>lang</th><th>date</th><th>claims</th></tr>"
                    f"{srows}</table>")
    flagged = s.get("flagged_claims", 0)
    note = f'<p class="meta">{e(flagged)} claim(s) flagged below.</p>' if flagged else ""
    return f'<h2>Summary</h2><div class="grid2">{verdict_table}{issue_table}{source_table}</div>{note}'


def _anchors(data: dict[str, Any]) -> dict[Any, str]:
    """Each claim's id -> its section's anchor (``c1``, ``c2``… in report order)."""
    return {c.get("claim_id", n): f"c{n}" for n, c in enumerate(data.get("claims") or [], 1)}


def render_findings(data: dict[str, Any]) -> str:
    """The key findings at the top: every critical and major issue, most severe
    first; those against a closest passage (not accepted as the origin) in a
    second, folded table, since that passage may not be what was translated."""
    s = data.get("summary") or {}
    findings = s.get("findings")
    if findings is None:
        return ""
    dismissed = s.get("dismissed") or 0
    note = (f'<p class="meta">{e(dismissed)} dismissed issue{"s" if dismissed != 1 else ""} hidden '
            f'(dismiss file).</p>' if dismissed else "")
    origin, check, closest = split_findings(findings)
    anchors = _anchors(data)
    parts = ['<h2 id="findings">Key findings</h2>']
    if origin:
        parts.append('<p class="meta">Every critical and major issue against an accepted origin, most severe first.</p>')
        parts.append(_findings_table(origin, anchors))
    else:
        parts.append("<p>No critical or major issues against an accepted origin.</p>")
    if check:
        parts.append(f'<h3>Words to check</h3><p class="meta">{e(words_to_check_note(len(check)))}</p>')
        parts.append(_findings_table(check, anchors))
    if closest:
        parts.append(f'<details class="more"><summary>{len(closest)} more against a closest passage, not accepted '
                     f'as the origin</summary>{_findings_table(closest, anchors)}</details>')
    parts.append(note)
    return "".join(parts)


def _findings_table(findings: list[dict[str, Any]], anchors: dict[Any, str]) -> str:
    rows = []
    for f in findings:
        anchor = anchors.get(f.get("claim_id"), "")
        texts = " → ".join(f'<span class="q">“{e(t)}”</span>' for t in (f.get("quote_text"), f.get("source_text")) if t)
        rows.append(f'<tr><td><a href="#{e(anchor)}">{e(f.get("claim_id"))}</a></td>'
                    f'<td><span class="sev sev-{e(f["severity"])}">{e(f["severity"])}</span></td>'
                    f'<td><span class="sw k-{e(f["kind"])}">{e(f["kind"])}</span></td>'
                    f'<td>{texts}</td><td>{e(f.get("message"))}{_senses(f.get("senses"))}</td></tr>')
    return ('<table class="findings"><tr><th>claim</th><th>severity</th><th>kind</th>'
            f'<th>quote → original</th><th>what</th></tr>{"".join(rows)}</table>')


def _senses(senses: list[dict[str, Any]] | None) -> str:
    """The dictionary senses of a meaning flag's original words."""
    if not senses:
        return ""
    bits = "; ".join(f'{e(s["lemma"])}: {e(", ".join(s["senses"]))}' for s in senses)
    return f'<div class="senses">dictionary (FreeDict en–ru): {bits}</div>'


def render_legend(labels: dict[str, str]) -> str:
    """The legend of issue kinds and marks (``labels``: kind -> description)."""
    items = "".join(f'<li><span class="sw k-{e(k)}">{e(k)}</span>{e(labels.get(k, ""))}</li>'
                    for k in ISSUE_KINDS)
    sev = ('<li><mark class="s-critical">critical</mark> changes a fact</li>'
           '<li><mark class="s-major">major</mark> changes what is said</li>'
           '<li><mark class="s-minor">minor</mark> worth a look</li>'
           '<li><span class="ins">‸</span> something missing here</li>'
           '<li><a class="al" href="#legend">linked</a> words: click to see the aligned words</li>')
    return f'<h2 id="legend">Legend</h2><ul class="legend">{items}{sev}</ul>'


def _chain(chain: list[dict[str, Any]]) -> str:
    if len(chain) <= 1:
        return ""
    hops = []
    for hop in chain:
        label = hop.get("source") or hop.get("doc_id")
        extra = ", ".join(x for x in (hop.get("lang"), hop.get("date"), hop.get("role")) if x)
        hops.append(f'<span class="hop">{e(label)}</span> ({e(extra)})')
    return f'<div class="chain">source chain: {" → ".join(hops)}</div>'


def _claim(n: int, c: dict[str, Any]) -> str:
    cid = f"c{n}"
    verdict = c.get("verdict") or ""
    speaker = c.get("speaker_ref") or c.get("speaker")
    head = (f'<header><h3>Claim {e(c.get("claim_id", n))}</h3>'
            f'<span class="badge v-{e(verdict)}">{e(VERDICT_WORDS.get(verdict, verdict))}</span>'
            f'<span class="meta">{e(c.get("kind"))} · confidence {e(_pct(c.get("confidence")))}'
            + (f" · speaker: {e(speaker)}" if speaker else "") + "</span></header>")
    flags = "".join(f"<li>{e(f)}</li>" for f in c.get("flags") or [])
    parts = [f'<section class="claim" id="{cid}">', head]
    if flags:
        parts.append(f'<ul class="flags">{flags}</ul>')
    parts.append(_chain(c.get("chain") or []))
    d = c.get("diff")
    if not d:
        parts.append(f'<div class="side"><div><div class="label">quote (article)</div>'
                     f'<div class="text">{e(c.get("text"))}</div></div>'
                     f'<div><div class="label">original</div><div class="text meta">'
                     f'{"no candidate passage in the index" if not c.get("matches") else "not compared"}</div></div></div>')
        parts.append("</section>")
        return "\n".join(parts)
    parts.append(render_diff(d, cid))
    parts.append("</section>")
    return "\n".join(parts)


def render_diff(d: dict[str, Any], cid: str = "d1", *, labels: tuple[str, str] | None = None,
                source_first: bool = False) -> str:
    """One diff (``DiffResult.to_dict()``, plus the report's basis/source/date when
    known) side by side, with its issue list; ``cid`` prefixes the anchors.
    ``labels`` replaces the (quote, original) column labels; ``source_first``
    puts the original on the left, as translators' QA tools do.

    Dismissed issues are left out; the rest, most severe first, are numbered,
    marked in both texts, and listed: the first five, then the others folded."""
    parts = []
    issues = sort_issues(active_issues(d))
    alignment = d.get("alignment") or []
    qlabel = f"quote (article, {e(d.get('quote_lang'))})"
    basis = d.get("basis", "origin")
    which = "original" if basis == "origin" else e(d.get("basis_label") or "closest passage, not accepted as the origin")
    about = ", ".join(e(x) for x in (d.get("source") or d.get("doc_id"), d.get("source_lang"), d.get("date")) if x)
    slabel = f"{which} ({about})" if about else which
    if labels is not None:
        qlabel, slabel = e(labels[0]), e(labels[1])
    original = d.get("original") or ""
    context = ""
    sentence = d.get("sentence") or ""
    if sentence and " ".join(sentence.split()) != " ".join(original.split()):
        context = f'<div class="context"><span class="label">in the sentence</span> {e(sentence)}</div>'
    quote_col = (f'<div><div class="label">{qlabel}</div><div class="text">'
                 f'{_marked(d.get("quote") or "", issues, alignment, "quote", cid)}</div></div>')
    source_col = (f'<div class="basis-{e(basis.replace(" ", "-"))}"><div class="label">{slabel}</div><div class="text">'
                  f'{_marked(original, issues, alignment, "source", cid)}</div>{context}</div>')
    cols = (source_col, quote_col) if source_first else (quote_col, source_col)
    parts.append(f'<div class="side">{cols[0]}{cols[1]}</div>')
    shown, folded = split_shown(issues)
    if issues:
        parts.append(f'<ol class="issues">{"".join(_issue_item(i, k, cid) for k, i in enumerate(shown, 1))}</ol>')
        if folded:
            more = "".join(_issue_item(i, k, cid) for k, i in enumerate(folded, SHOWN_PER_DIFF + 1))
            parts.append(f'<details class="more"><summary>{len(folded)} more (less severe)</summary>'
                         f'<ol class="issues" start="{SHOWN_PER_DIFF + 1}">{more}</ol></details>')
    else:
        parts.append('<p class="meta">No differences found between the quote and the original.</p>')
    if d.get("dismissed"):
        parts.append(f'<p class="meta">{e(d["dismissed"])} dismissed (dismiss file).</p>')
    parts.append(_mt(d))
    return "\n".join(parts)


def _issue_item(i: dict[str, Any], k: int, cid: str) -> str:
    qt, st = i.get("quote_text") or "", i.get("source_text") or ""
    texts = " → ".join(f'<span class="q">“{e(t)}”</span>' for t in (st, qt) if t)
    fp = f' <code class="fp" title="fingerprint: add to a dismiss file to hide">{e(i["fingerprint"])}</code>' \
        if i.get("fingerprint") else ""
    return (f'<li id="{cid}-i{k}"><span class="sw k-{e(i["kind"])}">{e(i["kind"])}</span> '
            f'<span class="sev sev-{e(i["severity"])}">{e(i["severity"])}</span>'
            f'{e(i.get("message"))}{" · " + texts if texts else ""}{fp}{_senses(i.get("senses"))}</li>')


def _marked(text: str, issues: list[dict[str, Any]], alignment: list[list], side: str, cid: str) -> str:
    """``text`` with issue marks, numbers, insertion carets and aligned links."""
    out = []
    me, other = ("q", "s") if side == "quote" else ("s", "q")
    for p in pieces(text, issues, alignment, side):
        for n in p.inserts:
            kind = issues[n]["kind"]
            out.append(f'<span class="ins" title="{e(issues[n].get("message"))}">‸<sup class="n k-{e(kind)}">'
                       f'<a href="#{cid}-i{n + 1}">{n + 1}</a></sup></span>')
        if not p.text:
            continue
        chunk = e(p.text)
        if p.align is not None:
            score = alignment[p.align][4] if len(alignment[p.align]) > 4 else ""
            chunk = (f'<a class="al" id="{cid}-{me}{p.align}" href="#{cid}-{other}{p.align}" '
                     f'title="aligned (similarity {e(score)})">{chunk}</a>')
        if p.issues:
            top = issues[p.issues[0]]
            tip = "; ".join(issues[k].get("message", "") for k in p.issues)
            chunk = f'<mark class="k-{e(top["kind"])} s-{e(top["severity"])}" title="{e(tip)}">{chunk}</mark>'
        out.append(chunk)
        for n in p.ends:
            out.append(f'<sup class="n"><a href="#{cid}-i{n + 1}">{n + 1}</a></sup>')
    return "".join(out)


def _with_code(text: str) -> str:
    """Escaped text whose `backticked` spans (commands to run) become <code>."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd backtick: no code spans
        return e(text)
    return "".join(f"<code>{e(p)}</code>" if i % 2 else e(p) for i, p in enumerate(parts))


def _notes(data: dict[str, Any]) -> str:
    """Notes that hold for every diff, shown once instead of under each claim."""
    return "".join(f'<p class="meta">{_with_code(n)}</p>' for n in diff_notes(data))


def _mt(d: dict[str, Any]) -> str:
    mt = d.get("mt")
    if not mt or not mt.get("translation"):
        return ""  # why there is none is said once, above the claims (_notes)
    tr = mt["translation"]
    quote = d.get("quote") or ""
    bits = []
    for op, a_span, b_span in mt.get("word_diff") or []:
        a_text = tr[a_span[0]:a_span[1]]
        b_text = quote[b_span[0]:b_span[1]]
        if op == "equal":
            bits.append(e(a_text))
        else:
            if a_text:
                bits.append(f'<span class="del">{e(a_text)}</span>')
            if b_text:
                bits.append(f'<span class="ins2">{e(b_text)}</span>')
        bits.append(" ")
    engine = mt.get("engine") or "machine translation"
    return (f'<div class="mt">machine translation of the original ({e(engine)}), diffed against the quote '
            f'(<span class="del">only in the translation</span> <span class="ins2">only in the quote</span>):'
            f'<div class="text">{"".join(bits)}</div></div>')


def _pct(value: Any) -> str:
    try:
        return f"{float(value):.0%}"
    except (TypeError, ValueError):
        return "–"

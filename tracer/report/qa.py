"""The QA report of a bilingual file (``tracer diff --batch FILE``): terminal text, HTML, Markdown, JSON.

Laid out like the QA tools translators already use: a head with the counts
(segments, issues by severity, what the dismiss file and the severity filter
hid), then one issue list for the whole file — segment id, severity, kind,
source text → target text, message, fingerprint — most severe first, and,
in HTML and Markdown, each segment with issues side by side (source left,
target right) with the issues marked.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

__all__ = ["render_qa", "render_qa_text", "render_qa_html", "render_qa_markdown", "FORMAT_NAMES"]

FORMAT_NAMES = {"xliff-1.2": "XLIFF 1.2", "xliff-2.0": "XLIFF 2.0", "tmx": "TMX", "jsonl": "JSON lines",
                "tsv": "TSV", "pairs": "JSON lines or TSV"}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def render_qa(report, fmt: str) -> str:
    """The QA report as ``fmt``: "text", "html", "md" or "json"."""
    if fmt == "html":
        return render_qa_html(report)
    if fmt == "md":
        return render_qa_markdown(report)
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return render_qa_text(report)


def _name(report) -> str:
    return Path(report.path).name if report.path not in ("-", "") else "standard input"


def _head(report) -> list[str]:
    """The counts, one phrase each (shared by every format)."""
    s = report.summary()
    sev = s["issues_by_severity"]
    bits = [f"{s['segments']} segment{'s' if s['segments'] != 1 else ''}, {s['segments_with_issues']} with issues",
            f"{sev['critical']} critical, {sev['major']} major, {sev['minor']} minor"]
    if s["dismissed"]:
        bits.append(f"{s['dismissed']} dismissed")
    if report.min_severity != "minor":
        bits.append(f"showing {report.min_severity} and above ({s['below_severity']} less severe left out)")
    if s["skipped"]:
        bits.append(f"{s['skipped']} unit{'s' if s['skipped'] != 1 else ''} without a target skipped")
    if s["errors"]:
        bits.append(f"{s['errors']} segment{'s' if s['errors'] != 1 else ''} not checked")
    return bits


def _title(report) -> str:
    langs = ", ".join(report.summary()["languages"])
    return f"QA report: {_name(report)} ({FORMAT_NAMES.get(report.format, report.format)}{', ' + langs if langs else ''})"


# -- terminal -------------------------------------------------------------------

def _clean(text: Any, limit: int = 0) -> str:
    """One line, no control or bidi characters (a file cannot drive the terminal)."""
    s = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text or ""))
    s = " ".join(_BIDI.sub("\ufffd", s).split())
    return s if not limit or len(s) <= limit else s[: limit - 1] + "…"


def render_qa_text(report) -> str:
    """The issue list for a terminal: one block per issue, most severe first."""
    lines = [_clean(_title(report)), "  " + _clean(" · ".join(_head(report)))]
    findings = report.findings()
    if not findings:
        lines.append("  no issues" + (" at this severity" if report.min_severity != "minor" else ""))
    width = max((len(_clean(f["segment"], 24)) for f in findings), default=0)
    for f in findings:
        texts = " → ".join(f"“{_clean(t, 60)}”" for t in (f.get("source_text"), f.get("quote_text")) if t)
        lines.append(f"{_clean(f['segment'], 24):<{width}}  {f['severity']:<8}  {f['kind']:<12}  "
                     f"{texts + ': ' if texts else ''}{_clean(f.get('message'), 200)}")
        extra = [f"fingerprint {f['fingerprint']}"] if f.get("fingerprint") else []
        extra += [f"dictionary: {_clean(x['lemma'])}: {_clean(', '.join(x['senses']))}" for x in f.get("senses") or []]
        if extra:
            lines.append(" " * (width + 2) + " · ".join(extra))
    for seg in report.segments:
        if seg.error:
            lines.append(f"{_clean(seg.id, 24)}: not checked: {_clean(seg.error, 200)}")
    return "\n".join(lines) + "\n"


# -- HTML -------------------------------------------------------------------------

def render_qa_html(report) -> str:
    """One self-contained page (the trace report's CSS and escaping)."""
    from string import Template

    from .html import _asset, e, render_diff, stylesheet

    s = report.summary()
    anchors = {id(seg): f"s{n}" for n, seg in enumerate(report.segments, 1)}
    by_id = {(seg.id, seg.file): seg for seg in report.segments}
    rows = []
    for f in report.findings():
        seg = by_id[(f["segment"], f.get("file"))]
        texts = " → ".join(f'<span class="q">“{e(t)}”</span>' for t in (f.get("source_text"), f.get("quote_text")) if t)
        senses = "".join(f'<div class="senses">dictionary (FreeDict en–ru): {e(x["lemma"])}: {e(", ".join(x["senses"]))}'
                         f'</div>' for x in f.get("senses") or [])
        rows.append(f'<tr><td><a href="#{anchors[id(seg)]}">{e(f["segment"])}</a></td>'
                    f'<td><span class="sev sev-{e(f["severity"])}">{e(f["severity"])}</span></td>'
                    f'<td><span class="sw k-{e(f["kind"])}">{e(f["kind"])}</span></td><td>{texts}</td>'
                    f'<td>{e(f.get("message"))}{senses}</td><td><code class="fp">{e(f.get("fingerprint"))}</code></td></tr>')
    table = ('<table class="findings"><tr><th>segment</th><th>severity</th><th>kind</th><th>source → target</th>'
             f'<th>what</th><th>fingerprint</th></tr>{"".join(rows)}</table>') if rows else "<p>No issues.</p>"
    body = [f"<h1>{e(_title(report))}</h1>",
            f'<p class="meta">{e(" · ".join(_head(report)))} · generated {e(report.generated)}'
            + (f" · dismiss file: {e(report.dismissed_file)}" if report.dismissed_file else "") + "</p>",
            '<h2 id="issues">Issues</h2>', table, _kind_table(s, e), "<h2>Segments with issues</h2>"]
    for seg in report.segments:
        if not seg.active and not seg.error:
            continue
        anchor = anchors[id(seg)]
        where = f' <span class="meta">file {e(seg.file)}</span>' if seg.file else ""
        body.append(f'<section class="claim" id="{anchor}"><header><h3>Segment {e(seg.id)}</h3>{where}</header>')
        if seg.error:
            body.append(f'<p class="meta">not checked: {e(seg.error)}</p>')
        else:
            labels = (f"target ({seg.target_lang or '?'})", f"source ({seg.source_lang or '?'})")
            body.append(render_diff(seg.diff, anchor, labels=labels, source_first=True))
        body.append("</section>")
    clean = s["segments"] - s["segments_with_issues"] - s["errors"]
    body.append(f'<p class="meta">{clean} segment{"s" if clean != 1 else ""} without issues not shown.</p>')
    body.append('<footer>Made by tracer (<code>tracer diff --batch FILE --out REPORT</code>). To hide a false '
                'flag, add its fingerprint to a dismiss file and pass <code>--ignore FILE</code>.</footer>')
    page = Template(_asset("report.html"))
    return page.substitute(title=e(_title(report)), css=stylesheet(), body="\n".join(body))


def _kind_table(s: dict[str, Any], e) -> str:
    kinds = s["issues_by_kind_and_severity"]
    if not kinds:
        return ""
    rows = "".join(f'<tr><td><span class="sw k-{e(k)}">{e(k)}</span></td>'
                   + "".join(f"<td class=num>{v[x] or ''}</td>" for x in ("critical", "major", "minor"))
                   + f"<td class=num>{sum(v.values())}</td></tr>" for k, v in kinds.items())
    return ('<table class="kinds"><tr><th>issues by kind</th><th>critical</th><th>major</th><th>minor</th>'
            f'<th>all</th></tr>{rows}</table>')


# -- Markdown ------------------------------------------------------------------------

def render_qa_markdown(report) -> str:
    """The issue table, then each segment with issues (texts marked, issues numbered)."""
    from .markdown import _issue_line, _marked, md

    out = [f"# {md(_title(report))}", "", md(" · ".join(_head(report))) + f" · generated {md(report.generated)}", "",
           "## Issues", ""]
    findings = report.findings()
    if findings:
        out += ["| segment | severity | kind | source → target | what | fingerprint |", "|---|---|---|---|---|---|"]
        for f in findings:
            texts = " → ".join(f"“{md(t)}”" for t in (f.get("source_text"), f.get("quote_text")) if t)
            fp = f"`{f['fingerprint']}`" if re.fullmatch(r"[a-z]+:[0-9a-f]{16}", str(f.get("fingerprint"))) else ""
            out.append(f"| {md(f['segment'])} | {md(f['severity'])} | {md(f['kind'])} | {texts} | "
                       f"{md(f.get('message'))} | {fp} |")
        out.append("")
    else:
        out += ["No issues.", ""]
    out += ["## Segments with issues", ""]
    for seg in report.segments:
        if seg.error:
            out += [f"### Segment {md(seg.id)}", "", f"Not checked: {md(seg.error)}", ""]
            continue
        if not seg.active:
            continue
        issues = seg.active
        out += [f"### Segment {md(seg.id)}" + (f" ({md(seg.file)})" if seg.file else ""), "",
                f"**Source ({md(seg.source_lang)}):** {_marked(seg.source, issues, 'source')}", "",
                f"**Target ({md(seg.target_lang)}):** {_marked(seg.target, issues, 'quote')}", ""]
        out += [_issue_line(k, i) for k, i in enumerate(issues, 1)] + [""]
    return "\n".join(out).rstrip() + "\n"

"""The trace as a fact-checker's notes in plain text (``tracer trace``'s default output).

Reads the same data as the HTML and Markdown reports (``TraceResult.to_dict()``,
optionally through :func:`tracer.report.build_report`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .safe import terminal_safe

__all__ = ["render_text"]


def _one_line(text: str | None, limit: int = 0) -> str:
    s = " ".join((text or "").split())
    return s if not limit or len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _hop_label(hop: dict[str, Any]) -> str:
    name = hop.get("source") or hop.get("title") or hop.get("doc_id")
    date = hop.get("date")
    return f"{name} ({', '.join([hop.get('lang') or '?', date[:10] if date else 'undated'])})"


def _speaker(c: dict[str, Any]) -> str:
    if not c.get("speaker"):
        return "no speaker"
    ref = c.get("speaker_ref")
    return c["speaker"] + (f" (= {ref})" if ref and ref != c["speaker"] else "")


def _title(article: dict[str, Any]) -> str:
    return article.get("title") or (Path(article["path"]).name if article.get("path") else f"article {article.get('id')}")


def _summary_line(by_verdict: dict[str, int]) -> str:
    return " · ".join(f"{by_verdict.get(v, 0)} {v}" for v in ("traced", "paraphrase", "unsourced"))


def render_text(trace: dict[str, Any]) -> str:
    """Fact-checker's notes, one block per claim."""
    a = trace.get("article") or {}
    claims = trace.get("claims") or []
    summary = trace.get("summary") or {}
    lines = [f"Trace of “{_one_line(_title(a), 100)}”",
             f"  {a.get('lang')}, {a.get('date') or 'date unknown'}, {len(claims)} claims: "
             f"{_summary_line(summary.get('by_verdict') or {})}"]
    tops = summary.get("top_sources") or []
    if tops:
        lines.append("  Main sources: " + "; ".join(
            f"{s.get('source') or s.get('title') or s.get('doc_id')} ({s.get('lang')}, "
            f"{(s.get('date') or 'undated')[:10]}): {s['claims']} claim{'s' if s['claims'] != 1 else ''}"
            for s in tops[:3]))
    if not claims:
        lines.append("  No quotes, attributed claims or figures found: nothing to trace.")
    for c in claims:
        lines += ["", f"[{c['claim_id']}] {c['kind']} · {_speaker(c)} · chars {c['start']}–{c['end']}",
                  f"    “{_one_line(c['text'], 400)}”",
                  f"    → {c['verdict'].upper()}, confidence {c['confidence']:.2f}"]
        matches = c.get("matches") or []
        if c["verdict"] != "unsourced" and matches:
            m = matches[0]
            passage = _one_line(m.get("text") or m.get("sentence"), 400)
            lines.append(f"    Best match: {_hop_label(m)}: “{passage}”")
            sentence = _one_line(m.get("sentence"), 400)
            if sentence and sentence != passage:  # the passage is part of this sentence
                lines.append(f"        in the sentence: “{sentence}”")
            if m.get("context_before"):
                lines.append(f"        before: {_one_line(m['context_before'], 160)}")
            if m.get("context_after"):
                lines.append(f"        after:  {_one_line(m['context_after'], 160)}")
            if m.get("title"):
                lines.append(f"        headline: “{_one_line(m['title'], 100)}”")
        chain = c.get("chain") or []
        if len(chain) > 1:
            hops = ["this article"] + [_hop_label(h) + (" [origin]" if h.get("role") == "origin" else "")
                                       for h in chain[1:]]
            lines.append("    Chain: " + " → ".join(hops))
        for note in c.get("notes") or []:
            lines.append(f"    Note: {note}")
    return terminal_safe("\n".join(lines) + "\n")

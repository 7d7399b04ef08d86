"""`tracer trace ARTICLE`: every claim of an article, its origin, verdict and chain.

Registered on the main app by ``register(app)``. Output formats:

* text (default) — a fact-checker's notes: each claim, its verdict and
  confidence, the best origin in context, the chain of sources;
* md — the same as Markdown (a summary table, then one section per claim);
* json — ``TraceResult.to_dict()``, the stable contract of issue 3.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

FORMATS = ("text", "md", "json")
_EPILOG = (
    "Example: tracer trace ../shared/seeds/000_c5471f5f07f6e957.txt\n\n"
    "Example: tracer trace article.html --format md --k 3 > notes.md\n\n"
    "Example: tracer trace article.txt --json --date 2025-10-02 | jq '.summary'"
)


def register(app: typer.Typer) -> None:
    """Add the `trace` command to the tracer app (idempotent)."""
    if not any(cmd.name == "trace" for cmd in app.registered_commands):
        app.command(name="trace", epilog=_EPILOG)(trace)


def trace(
    ctx: typer.Context,
    article: str = typer.Argument(..., help="The article: a .txt, .md or .html file, or - to read standard input."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text (notes), md (Markdown) or json."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    k: int = typer.Option(5, "--k", "-k", help="Candidate origins listed per claim."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Only origins in these languages, e.g. ru,uk."),
    kind: str = typer.Option("original", "--kind", help="Origins of these kinds: original (default), article, "
                             "or original,article to include rewrites ingested as articles."),
    date: Optional[str] = typer.Option(None, "--date", help="The article's publication date (ISO 8601), "
                                       "if the file does not say: no origin can be later."),
    article_lang: Optional[str] = typer.Option(None, "--article-lang", help="The article's language (en, ru, uk) "
                                               "when detection gets it wrong."),
    exclude: list[str] = typer.Option([], "--exclude", help="A document id never to offer as an origin "
                                      "(repeatable)."),
) -> None:
    """Trace every quote and attributed claim of an article to its likely original.

    For each claim: a verdict (traced, paraphrase, unsourced), a confidence,
    the best origin in context and the chain of sources that carried it.
    """
    from ..api import Tracer
    from .output import Reporter

    g = ctx.obj
    fmt = "json" if as_json else fmt.lower()
    if fmt not in FORMATS:
        typer.echo(f"tracer: unknown format {fmt!r} (use text, md or json)", err=True)
        raise typer.Exit(2)
    if article == "-":
        source = sys.stdin.read()
    else:
        source = Path(article)
    rep = Reporter(quiet=g.quiet if g else False)
    with Tracer(g.index if g else None, config=g.config if g else None) as t, rep.progress() as progress:
        result = t.trace(source, k=k, langs=lang, kinds=kind, article_date=date, lang=article_lang,
                         exclude_docs=tuple(exclude), progress=progress)
    for warning in result.warnings:
        typer.echo(f"tracer: warning: {warning}", err=True)
    if not result.claims:
        rep.line("tracer: no quotes, attributed claims or figures found in the article: nothing to trace")
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "md":
        sys.stdout.write(render_markdown(result))
    else:
        sys.stdout.write(render_text(result))


# ---------------------------------------------------------------- rendering

def _one_line(text: str, limit: int = 0) -> str:
    s = " ".join(text.split())
    return s if not limit or len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _hop_label(hop) -> str:
    name = hop.source or hop.title or hop.doc_id
    bits = [hop.lang] + ([hop.date[:10]] if hop.date else ["undated"])
    return f"{name} ({', '.join(bits)})"


def _speaker(c) -> str:
    if not c.speaker:
        return "no speaker"
    ref = f" (= {c.speaker_ref})" if c.speaker_ref and c.speaker_ref != c.speaker else ""
    return f"{c.speaker}{ref}"


def _title(result) -> str:
    a = result.article
    return a.title or (Path(a.path).name if a.path else f"article {a.id}")


def _summary_line(result) -> str:
    v = result.by_verdict()
    return f"{v['traced']} traced · {v['paraphrase']} paraphrase · {v['unsourced']} unsourced"


def render_text(result) -> str:
    """Fact-checker's notes, one block per claim."""
    a = result.article
    lines = [f"Trace of “{_one_line(_title(result), 100)}”",
             f"  {a.lang}, {a.date or 'date unknown'}, {len(result.claims)} claims: {_summary_line(result)}"]
    tops = result.top_sources()
    if tops:
        lines.append("  Main sources: " + "; ".join(
            f"{s['source'] or s['title'] or s['doc_id']} ({s['lang']}, {(s['date'] or 'undated')[:10]}): "
            f"{s['claims']} claim{'s' if s['claims'] != 1 else ''}" for s in tops[:3]))
    if not result.claims:
        lines.append("  No quotes, attributed claims or figures found: nothing to trace.")
    for ct in result.claims:
        c = ct.claim
        lines.append("")
        lines.append(f"[{c.claim_id}] {c.kind} · {_speaker(c)} · chars {c.start}–{c.end}")
        lines.append(f"    “{_one_line(c.text, 400)}”")
        lines.append(f"    → {ct.verdict.upper()}, confidence {ct.confidence:.2f}")
        if ct.verdict != "unsourced" and ct.matches:
            m = ct.matches[0]
            lines.append(f"    Best match: {_hop_label(m)}" + (f", “{_one_line(m.title, 70)}”" if m.title else ""))
            if m.context_before:
                lines.append(f"        … {_one_line(m.context_before, 160)}")
            lines.append(f"        » {_one_line(m.sentence or m.text, 400)}")
            if m.context_after:
                lines.append(f"        … {_one_line(m.context_after, 160)}")
        if len(ct.chain) > 1:
            hops = ["this article"] + [_hop_label(h) + (" [origin]" if h.role == "origin" else "")
                                       for h in ct.chain[1:]]
            lines.append("    Chain: " + " → ".join(hops))
        for note in ct.notes:
            lines.append(f"    Note: {note}")
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(result) -> str:
    """The trace as Markdown: a summary table, then one section per claim."""
    a = result.article
    out = [f"# Trace: {_md_escape(_one_line(_title(result), 120))}", "",
           f"*{a.lang}, {a.date or 'date unknown'}; {len(result.claims)} claims: {_summary_line(result)}*", ""]
    if not result.claims:
        out += ["No quotes, attributed claims or figures found: nothing to trace.", ""]
        return "\n".join(out)
    out += ["| claim | kind | speaker | verdict | confidence | origin |", "|---|---|---|---|---|---|"]
    for ct in result.claims:
        c = ct.claim
        origin = _hop_label(ct.origin) if ct.origin else "—"
        out.append(f"| {c.claim_id} | {c.kind} | {_md_escape(_speaker(c))} | **{ct.verdict}** | "
                   f"{ct.confidence:.2f} | {_md_escape(origin)} |")
    for ct in result.claims:
        c = ct.claim
        out += ["", f"## {c.claim_id}: {ct.verdict} ({ct.confidence:.2f})", "",
                f"> {_md_escape(_one_line(c.text))}", "",
                f"- kind: {c.kind}; speaker: {_md_escape(_speaker(c))}; characters {c.start}–{c.end}"]
        if ct.verdict != "unsourced" and ct.matches:
            m = ct.matches[0]
            out.append(f"- best match: {_md_escape(_hop_label(m))}: "
                       f"“{_md_escape(_one_line(m.sentence or m.text, 400))}”")
        if len(ct.chain) > 1:
            out.append("- chain: " + " → ".join(["this article"] + [_md_escape(_hop_label(h)) for h in ct.chain[1:]]))
        for note in ct.notes:
            out.append(f"- note: {_md_escape(note)}")
    return "\n".join(out) + "\n"

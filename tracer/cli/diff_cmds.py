"""`tracer diff` (what a translation changed) and `tracer report` (trace + diff report).

Registered on the main app by ``register(app)``. `diff` needs no index:
it only loads the bundled model's weights for the word alignment.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .context import fail, globals_of, open_tracer, say

_DIFF_EPILOG = (
    "Example: tracer diff \"you're nothing, go to the bunker\" \"ты никто, иди в посадку\"\n\n"
    "Example: tracer diff --batch pairs.jsonl --json > issues.jsonl\n\n"
    "Example: tracer diff --batch job.xlf --severity major --ignore dismissed.txt --out qa.html"
)
_REPORT_EPILOG = (
    "Example: tracer report ../shared/seeds/000_c5471f5f07f6e957.txt --out report.html\n\n"
    "Example: tracer report article.md --out report.md --lang ru,uk\n\n"
    "Example: tracer report article.md --out report.html --ignore dismissed.txt"
)
def register(app: typer.Typer) -> None:
    """Add the `diff` and `report` commands to the tracer app."""
    app.command(name="diff", epilog=_DIFF_EPILOG)(diff)
    app.command(name="report", epilog=_REPORT_EPILOG)(report)


_IGNORE_HELP = ("A dismiss file: fingerprints of issues marked as false, one per line (# comments) or JSON "
                "lines with \"fingerprint\"; those issues are hidden and counted, and marked in JSON.")


def diff(
    ctx: typer.Context,
    quote: Optional[str] = typer.Argument(None, help="The quote as published (the translated side)."),
    original: Optional[str] = typer.Argument(None, help="The original it came from."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="XLIFF 1.2/2.x or TMX (each unit's target against its "
                                         "source), JSONL with id, quote, original, or a two-column TSV: quote, "
                                         "original; - reads JSONL/TSV from standard input."),
    as_json: bool = typer.Option(False, "--json", help="JSON output (JSONL with --batch)."),
    quote_lang: Optional[str] = typer.Option(None, "--quote-lang", help="The quote's language (en, ru, uk); detected if omitted."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang", help="The original's language; detected if omitted."),
    ignore: Optional[Path] = typer.Option(None, "--ignore", help=_IGNORE_HELP),
    severity: str = typer.Option("minor", "--severity", help="Only issues at least this severe: critical, major "
                                 "or minor (all)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="With --batch: write the QA report to this file "
                                       "(.html self-contained, .md or .json)."),
) -> None:
    """Show what a translation changed: figures, names, omissions, additions,
    attribution, negation, hedges, words to check for mistranslation, untranslated text.

    Works without an index and without machine translation. With --batch on
    an XLIFF or TMX file it is a QA pass over every segment: an issue list with
    segment ids, filtered by --severity and the --ignore dismiss file.
    """
    from ..diff.dismiss import load_dismissed
    from ..qa.run import SEVERITY_CHOICES

    if batch is not None and (quote is not None or original is not None):
        fail("give either QUOTE ORIGINAL or --batch FILE, not both")
    if batch is None and (quote is None or original is None):
        fail("give a QUOTE and its ORIGINAL, or --batch FILE")
    if severity not in SEVERITY_CHOICES:
        fail(f"--severity must be critical, major or minor, not {severity!r}")
    if out is not None and batch is None:
        fail("--out writes the QA report of a --batch file; for one pair use --json")
    fmt = _qa_format(out) if out is not None else None  # a bad suffix fails before any work
    dismissed = load_dismissed(ignore)
    if batch is None:
        _diff_one(quote, original, quote_lang, source_lang, dismissed, severity, as_json)
        return
    from ..qa.run import run_qa
    from ..report.qa import render_qa, render_qa_text
    from .batch import read_batch
    from .output import emit

    bilingual, bad = read_batch(batch)
    for line in bad:  # reported, and the other lines go on
        say(f"tracer: error: {line}")
    report = run_qa(bilingual, dismissed=dismissed, min_severity=severity, quote_lang=quote_lang,
                    source_lang=source_lang)
    if out is not None:
        _write(out, render_qa(report, fmt))
        if not globals_of(ctx).quiet:
            typer.echo(f"wrote {out}", err=True)
    if as_json:
        for seg in report.segments:
            emit(seg.to_dict(report.bilingual), "jsonl")
    elif out is None:
        typer.echo(render_qa_text(report), nl=False)
    if bad or any(seg.error for seg in report.segments):
        raise typer.Exit(1)


def _diff_one(quote: str, original: str, quote_lang: Optional[str], source_lang: Optional[str], dismissed,
              severity: str, as_json: bool) -> None:
    """One pair. JSON: ``DiffResult.to_dict()`` (what the web API answers too), less
    the issues below ``severity``, with ``dismissed`` marks when a dismiss file is
    given. Terminal: the issues most severe first, dismissed ones hidden."""
    from dataclasses import replace

    from ..diff import diff_texts
    from ..report.findings import SEVERITY_RANK, sort_issues
    from .output import emit
    from .views import show_diff

    result = diff_texts(quote, original, quote_lang=quote_lang, source_lang=source_lang)
    d = result.to_dict()
    limit = SEVERITY_RANK[severity]
    kept = [(obj, js) for obj, js in zip(result.issues, d["issues"]) if SEVERITY_RANK[obj.severity] <= limit]
    d["issues"] = [js for _, js in kept]
    n_dismissed = dismissed.mark(d["issues"]) if dismissed.path is not None else 0
    if as_json:
        emit(d, "json")
        return
    order = {id(js): n for n, js in enumerate(sort_issues([js for _, js in kept]))}
    active = sorted(((obj, js) for obj, js in kept if not js.get("dismissed")), key=lambda p: order[id(p[1])])
    show_diff(replace(result, issues=tuple(obj for obj, _ in active)))
    for n, (_, js) in enumerate(active, 1):
        extra = [f"{x['lemma']}: {', '.join(x['senses'])}" for x in js.get("senses") or []]
        typer.echo(f"  [{n}] fingerprint {js['fingerprint']}" + (f" · dictionary: {'; '.join(extra)}" if extra else ""))
    if n_dismissed:
        typer.echo(f"{n_dismissed} dismissed issue{'s' if n_dismissed != 1 else ''} hidden (--ignore)")


def _qa_format(out: Path) -> str:
    fmt = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}.get(out.suffix.lower())
    if fmt is None:
        fail(f"cannot tell the report format from {out.name!r}: use .html, .md or .json")
    if out.is_dir():
        fail(f"--out {out} is a directory: give a file name")
    return fmt


def _write(out: Path, text: str) -> None:
    """Write through a fresh temp file beside ``out``, then rename (never a half-written report)."""
    import os
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def report(
    ctx: typer.Context,
    article: str = typer.Argument(..., help="The article: a .txt, .md or .html file."),
    out: Path = typer.Option(..., "--out", "-o", help="Report file: .html (self-contained), .md or .json."),
    k: int = typer.Option(5, "--k", "-k", help="Candidate origins kept per claim."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Only origins in these languages, e.g. ru,uk."),
    kind: str = typer.Option("original", "--kind", help="Origins of these kinds: original (default), article, "
                             "or original,article to include rewrites ingested as articles."),
    date: Optional[str] = typer.Option(None, "--date", help="The article's publication date (ISO 8601)."),
    article_lang: Optional[str] = typer.Option(None, "--article-lang", help="The article's language (en, ru, uk) "
                                               "when detection gets it wrong."),
    exclude: list[str] = typer.Option([], "--exclude", help="A document id never to offer as an origin "
                                      "(repeatable)."),
    ignore: Optional[Path] = typer.Option(None, "--ignore", help=_IGNORE_HELP),
) -> None:
    """Write a report: the article's claims traced to their origins, each
    claim with a candidate diffed against it side by side (the origin, or the
    closest passage when none is accepted), and the critical and major
    findings at the top.
    """
    from ..diff.dismiss import load_dismissed

    dismissed = load_dismissed(ignore)  # a bad dismiss file fails before the trace runs
    with open_tracer(ctx) as t:
        path = t.report(article, out, k=k, langs=lang, kinds=kind, article_date=date, lang=article_lang,
                        exclude_docs=tuple(exclude), dismissed=dismissed)
    if not globals_of(ctx).quiet:
        say(f"wrote {path}")

"""`tracer diff` (what a translation changed) and `tracer report` (trace + diff report).

Registered on the main app by ``register(app)``. `diff` needs no index:
it only loads the bundled model's weights for the word alignment.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..report.safe import terminal_safe
from .context import fail, globals_of, open_tracer, say

_DIFF_EPILOG = (
    "Example: tracer diff \"you're nothing, go to the bunker\" \"ты никто, иди в посадку\"\n\n"
    "Example: tracer diff --batch pairs.jsonl --json > issues.jsonl"
)
_REPORT_EPILOG = (
    "Example: tracer report ../shared/seeds/000_c5471f5f07f6e957.txt --out report.html\n\n"
    "Example: tracer report article.md --out report.md --lang ru,uk"
)
def register(app: typer.Typer) -> None:
    """Add the `diff` and `report` commands to the tracer app."""
    app.command(name="diff", epilog=_DIFF_EPILOG)(diff)
    app.command(name="report", epilog=_REPORT_EPILOG)(report)


def diff(
    ctx: typer.Context,
    quote: Optional[str] = typer.Argument(None, help="The quote as published (the translated side)."),
    original: Optional[str] = typer.Argument(None, help="The original it came from."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="JSONL with id, quote, original (or a two-column "
                                         "TSV: quote, original); - reads standard input."),
    as_json: bool = typer.Option(False, "--json", help="JSON output (JSONL with --batch)."),
    quote_lang: Optional[str] = typer.Option(None, "--quote-lang", help="The quote's language (en, ru, uk); detected if omitted."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang", help="The original's language; detected if omitted."),
) -> None:
    """Show what a translation changed: figures, names, omissions, additions,
    attribution, negation, hedges, likely mistranslations, untranslated text.

    Works without an index and without machine translation.
    """
    from ..diff import diff_texts
    from .batch import read_pairs
    from .output import emit
    from .views import show_diff

    if batch is not None and (quote is not None or original is not None):
        fail("give either QUOTE ORIGINAL or --batch FILE, not both")
    if batch is None and (quote is None or original is None):
        fail("give a QUOTE and its ORIGINAL, or --batch FILE")
    if batch is None:
        result = diff_texts(quote, original, quote_lang=quote_lang, source_lang=source_lang)
        if as_json:
            emit(result, "json")
        else:
            show_diff(result)
        return
    from ..errors import InputError

    pairs, bad = read_pairs(batch)
    for line in bad:  # reported, and the other lines go on
        say(f"tracer: error: {line}")
    failed = bool(bad)
    for pair_id, q, o in pairs:
        try:
            result = diff_texts(q, o, quote_lang=quote_lang, source_lang=source_lang, use_mt=False)
        except InputError as exc:
            say(f"tracer: error: {batch}, pair {pair_id}: {exc}")
            failed = True
            continue
        if as_json:
            emit({"id": pair_id, "quote_lang": result.quote_lang, "source_lang": result.source_lang,
                  "issues": [i.to_dict() for i in result.issues],
                  "alignment": [list(a) for a in result.alignment]}, "jsonl")
        else:
            typer.echo(terminal_safe(f"── {pair_id} " + "─" * 40))
            show_diff(result)
    if failed:
        raise typer.Exit(1)


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
) -> None:
    """Write a report: the article's claims traced to their origins, and for
    each traced claim a side-by-side diff with every issue marked.
    """
    with open_tracer(ctx) as t:
        path = t.report(article, out, k=k, langs=lang, kinds=kind, article_date=date, lang=article_lang,
                        exclude_docs=tuple(exclude))
    if not globals_of(ctx).quiet:
        say(f"wrote {path}")

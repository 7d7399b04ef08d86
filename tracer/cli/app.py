"""The `tracer` command line: parse options, call the library, render output.

Heavy modules (numpy, FAISS, the encoder) are imported inside the commands so
`tracer --help` stays instant. Every ``TracerError`` becomes a one-line
message and a non-zero exit code in :func:`main`.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    name="tracer",
    help="Find where a translated quote came from, and show what the translation changed.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    epilog="Example: tracer ingest corpora/example && tracer build && tracer lookup \"go to the bunker\"",
)


@dataclass(frozen=True)
class Globals:
    index: Path
    config: Optional[Path]
    quiet: bool
    verbose: bool


@app.callback()
def _globals(
    ctx: typer.Context,
    index: Path = typer.Option(
        Path("indexes/default"), "--index", envvar="TRACER_INDEX", help="Index directory.", show_default=True
    ),
    config: Optional[Path] = typer.Option(None, "--config", help="Settings file (TOML)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or summaries."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="More detail; tracebacks on internal errors."),
) -> None:
    ctx.obj = Globals(index, config, quiet, verbose)
    if verbose:
        os.environ["TRACER_VERBOSE"] = "1"


def _tracer(ctx: typer.Context):
    from ..api import Tracer

    g: Globals = ctx.obj
    return Tracer(g.index, config=g.config)


@app.command(epilog="Example: tracer ingest corpora/example --kind original\n\n"
             "Example: tracer ingest dump.jsonl --source gazeta.ru --lang ru --date 2025-09-17")
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or directories (.txt, .md, .html, .jsonl); directories recurse."),
    source: Optional[str] = typer.Option(None, help="Source name for documents that do not say (e.g. gazeta.ru)."),
    lang: Optional[str] = typer.Option(None, help="Language of the documents (en, ru, uk); detected if omitted."),
    kind: Optional[str] = typer.Option(None, help="article (translated side) or original (candidate origins)."),
    date: Optional[str] = typer.Option(None, help="Publication date, ISO 8601 (e.g. 2025-09-17)."),
) -> None:
    """Add documents to the index's store (run `tracer build` afterwards)."""
    from .output import Reporter

    g: Globals = ctx.obj
    rep = Reporter(quiet=g.quiet)
    with _tracer(ctx) as t, rep.progress() as progress:
        report = t.ingest(paths, source=source, lang=lang, kind=kind, date=date, progress=progress)
    rep.ingest_summary(report)
    if report.failed:
        raise typer.Exit(1)


@app.command(epilog="Example: tracer --index indexes/news build")
def build(ctx: typer.Context) -> None:
    """Embed new segments and publish a new index version (atomic switch)."""
    from .output import Reporter

    g: Globals = ctx.obj
    rep = Reporter(quiet=g.quiet)
    with _tracer(ctx) as t, rep.progress() as progress:
        report = t.build(progress=progress)
    rep.build_summary(report)


@app.command(epilog="Example: tracer lookup \"ти ніщо, йди в посадку\" --k 3 --lang ru,uk\n\n"
             "Example: tracer lookup --batch quotes.jsonl --json > origins.jsonl")
def lookup(
    ctx: typer.Context,
    quote: Optional[str] = typer.Argument(None, help="The quote to look up, in any supported language."),
    k: int = typer.Option(5, "--k", "-k", help="How many candidate origins to show."),
    lang: Optional[str] = typer.Option(None, help="Only originals in these languages, e.g. ru,uk."),
    kind: Optional[str] = typer.Option(None, help="Only documents of this kind (original or article)."),
    batch: Optional[Path] = typer.Option(None, help="File of queries: one per line, or JSONL with id and text."),
    as_json: bool = typer.Option(False, "--json", help="JSON output (JSONL with --batch)."),
) -> None:
    """Find the likely original of a quote, with context, a confidence and a margin score."""
    from .batch import read_queries
    from .output import Reporter

    g: Globals = ctx.obj
    rep = Reporter(quiet=g.quiet)
    if batch is not None and quote is not None:
        _fail("give either a QUOTE or --batch FILE, not both")
    if batch is not None:
        queries = read_queries(batch)
    elif quote is not None:
        queries = [("1", quote)]
    else:
        _fail("give a QUOTE to look up, or --batch FILE")
    with _tracer(ctx) as t:
        results = t.lookup_batch(queries, k=k, langs=lang, kinds=kind)
    if as_json:
        rep.json_results(results, lines=batch is not None)
    else:
        rep.lookup_tables(results)


@app.command(epilog="Example: tracer status --json")
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """Show the index: documents, segments, versions and the current manifest."""
    from .output import Reporter

    with _tracer(ctx) as t:
        info = t.status()
    Reporter(quiet=False).status(info, as_json)


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"tracer: {message}", err=True)
    raise typer.Exit(code)


def main() -> None:
    """Console entry point: library errors become one-line messages."""
    from ..errors import TracerError

    try:
        app()
    except TracerError as exc:
        typer.echo(f"tracer: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("tracer: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line unless asked for details
        if os.environ.get("TRACER_VERBOSE"):
            raise
        typer.echo(f"tracer: internal error: {type(exc).__name__}: {exc} (rerun with --verbose for the traceback)", err=True)
        sys.exit(70)


def _register_groups() -> None:
    # One file per command group; each adds its commands to the shared app.
    from . import diff_cmds, models_cmds, sources_cmds, trace_cmds

    for group in (trace_cmds, diff_cmds, sources_cmds, models_cmds):
        group.register(app)


_register_groups()

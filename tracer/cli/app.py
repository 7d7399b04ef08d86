"""The `tracer` command line: parse options, call the library, render output.

Heavy modules (numpy, FAISS, the encoder) are imported inside the commands so
`tracer --help` stays instant. Library errors (``TracerError``) become
one-line messages and exit codes in :class:`_Commands`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from .context import Globals, fail, globals_of, open_tracer


# Exceptions the CLI framework handles itself: exits, aborts, usage errors.
# (typer 0.28 vendors click, so its ClickException is found through BadParameter.)
_FRAMEWORK = (typer.Exit, typer.Abort,
              next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))


class _Commands(TyperGroup):
    """Runs a command; what goes wrong becomes one line on stderr and an exit code."""

    def invoke(self, ctx: typer.Context):
        from ..errors import TracerError

        try:
            return super().invoke(ctx)
        except _FRAMEWORK:
            raise
        except TracerError as exc:
            typer.echo(f"tracer: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("tracer: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: say so in one line unless asked for details
            if isinstance(ctx.obj, Globals) and ctx.obj.verbose:
                raise
            typer.echo(f"tracer: internal error: {type(exc).__name__}: {exc} "
                       "(rerun with --verbose for the traceback)", err=True)
            raise typer.Exit(70) from None


app = typer.Typer(
    name="tracer",
    cls=_Commands,
    help="Find where a translated quote came from, and show what the translation changed.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    epilog="Example: tracer ingest corpora/example && tracer build && tracer lookup \"go to the bunker\"",
)


@app.callback()
def _globals(
    ctx: typer.Context,
    index: Optional[Path] = typer.Option(
        None, "--index", help="Index directory (default: $TRACER_INDEX, else indexes/default).", show_default=False),
    config: Optional[Path] = typer.Option(None, "--config", help="Settings file (TOML)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or summaries."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="More detail; tracebacks on internal errors."),
) -> None:
    ctx.obj = Globals(index, config, quiet, verbose)


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

    rep = Reporter(quiet=globals_of(ctx).quiet)
    with open_tracer(ctx) as t, rep.progress() as progress:
        report = t.ingest(paths, source=source, lang=lang, kind=kind, date=date, progress=progress)
    rep.ingest_summary(report)
    if report.failed:
        raise typer.Exit(1)


@app.command(epilog="Example: tracer --index indexes/news build\n\nExample: tracer build --ray auto")
def build(
    ctx: typer.Context,
    ray: Optional[str] = typer.Option(
        None, "--ray", metavar="ADDRESS",
        help="Embed on a Ray cluster: auto (the one `ray start` runs), host:port, or local "
             "(pip install 'tracer[ray]')."),
) -> None:
    """Embed new segments and publish a new index version (atomic switch)."""
    from .output import Reporter

    rep = Reporter(quiet=globals_of(ctx).quiet)
    with open_tracer(ctx) as t, rep.progress() as progress:
        embed = None
        if ray:
            from ..distributed.ray_build import ray_embedder

            embed = ray_embedder(t.settings, t.encoder.id, address=ray)
        report = t.build(progress=progress, embed=embed)
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
    from .output import emit
    from .views import lookup_tables

    if batch is not None and quote is not None:
        fail("give either a QUOTE or --batch FILE, not both")
    if batch is not None:
        queries = read_queries(batch)
    elif quote is not None:
        queries = [("1", quote)]
    else:
        fail("give a QUOTE to look up, or --batch FILE")
    with open_tracer(ctx) as t:
        results = t.lookup_batch(queries, k=k, langs=lang, kinds=kind)
    if as_json:
        emit(results if batch is not None else results[0], "jsonl" if batch is not None else "json")
    else:
        lookup_tables(results)


@app.command(epilog="Example: tracer status --json")
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """Show the index: documents, segments, versions and the current manifest."""
    from .output import emit
    from .views import status_view

    with open_tracer(ctx) as t:
        info = t.status()
    if as_json:
        emit(info, "json")
    else:
        status_view(info)


def main() -> None:
    """Console entry point."""
    app()


def _register_groups() -> None:
    # One file per command group; each adds its commands to the shared app.
    from . import diff_cmds, models_cmds, serve_cmds, sources_cmds, trace_cmds

    for group in (trace_cmds, diff_cmds, sources_cmds, models_cmds, serve_cmds):
        group.register(app)


_register_groups()

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

from .context import Globals, fail, globals_of, open_tracer, say


# Exceptions the CLI framework handles itself: exits, aborts, usage errors.
# (typer 0.28 vendors click, so its ClickException is found through BadParameter.)
_FRAMEWORK = (typer.Exit, typer.Abort,
              next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))


# Global options (the app's callback) also accepted after the command:
# `tracer lookup "x" --index DIR` as well as `tracer --index DIR lookup "x"`.
_GLOBAL_WITH_VALUE = ("--index", "--config")
_GLOBAL_FLAGS = ("--quiet", "-q", "--verbose", "-v")


def _globals_first(group: TyperGroup, ctx: typer.Context, args: list[str]) -> list[str]:
    """``args`` with global options found after the command moved before it; an
    option the command defines itself (fetch's --config) stays the command's."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        i += 2 if args[i] in _GLOBAL_WITH_VALUE else 1
    if i >= len(args) or args[i] == "--":
        return args
    command = group.get_command(ctx, args[i])
    if command is None:
        return args
    own = {opt for param in command.params for opt in (*param.opts, *getattr(param, "secondary_opts", ()))}
    moved: list[str] = []
    rest: list[str] = []
    j = i + 1
    while j < len(args):
        arg = args[j]
        name = arg.split("=", 1)[0]
        if arg == "--":
            rest += args[j:]
            break
        if name in _GLOBAL_WITH_VALUE and name not in own and ("=" in arg or j + 1 < len(args)):
            take = 1 if "=" in arg else 2
            moved += args[j:j + take]
            j += take
        elif arg in _GLOBAL_FLAGS and arg not in own:
            moved.append(arg)
            j += 1
        else:
            rest.append(arg)
            j += 1
    return args[:i] + moved + [args[i]] + rest


class _Commands(TyperGroup):
    """Runs a command; what goes wrong becomes one line on stderr and an exit code."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _globals_first(self, ctx, list(args)))

    def invoke(self, ctx: typer.Context):
        from ..errors import TracerError

        try:
            return super().invoke(ctx)
        except _FRAMEWORK:
            raise
        except TracerError as exc:
            say(f"tracer: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("tracer: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: say so in one line unless asked for details
            if isinstance(ctx.obj, Globals) and ctx.obj.verbose:
                raise
            if type(exc).__module__ == "sqlite3":  # corruption found after the store opened
                from ..store import is_damage

                if is_damage(exc):
                    say(f"tracer: index damaged: the database is corrupt ({exc}); restore it from a backup, "
                        "or ingest the documents again into a new index")
                    raise typer.Exit(3) from None
            say(f"tracer: internal error: {type(exc).__name__}: {exc} (rerun with --verbose for the traceback)")
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
             "Example: tracer ingest dump.jsonl --source gazeta.ru --lang ru --date 2025-09-17\n\n"
             "Example: tracer ingest site-dump/ --exclude 'drafts/*' --exclude '*.htm'")
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or directories (.txt, .md, .html, .jsonl); directories recurse."),
    source: Optional[str] = typer.Option(None, help="Source name for documents that do not say (e.g. gazeta.ru)."),
    lang: Optional[str] = typer.Option(None, help="Language of the documents (en, ru, uk); detected if omitted."),
    kind: Optional[str] = typer.Option(None, help="article (translated side) or original (candidate origins)."),
    date: Optional[str] = typer.Option(None, help="Publication date, ISO 8601 (e.g. 2025-09-17)."),
    exclude: list[str] = typer.Option([], "--exclude", metavar="GLOB", help="Leave out files or folders matching "
                                      "GLOB (name or path below the directory given; repeatable)."),
    default_excludes: bool = typer.Option(True, "--default-excludes/--no-default-excludes",
                                          help="Leave out README*, LICENSE*, CHANGELOG* and quotes.jsonl files "
                                          "found in directories."),
    replace: bool = typer.Option(False, "--replace", help="A document whose id is already stored with other text "
                                 "replaces it (otherwise the stored one stays, with a warning)."),
) -> None:
    """Add documents to the index's store (run `tracer build` afterwards)."""
    from .output import Reporter

    rep = Reporter(quiet=globals_of(ctx).quiet)
    with open_tracer(ctx) as t, rep.progress() as progress:
        report = t.ingest(paths, source=source, lang=lang, kind=kind, date=date, exclude=exclude,
                          default_excludes=default_excludes, replace=replace, progress=progress)
    rep.ingest_summary(report)
    if report.failed:
        raise typer.Exit(1)


@app.command(epilog="Example: tracer --index indexes/news build\n\nExample: tracer build --ray auto")
def build(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Write a new version even when nothing changed."),
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
        report = t.build(progress=progress, force=force, embed=embed)
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
    if batch is None and quote is None:
        fail("give a QUOTE to look up, or --batch FILE")
    bad = []
    with open_tracer(ctx) as t:
        if batch is not None:
            queries, bad = read_queries(batch, t.settings.max_query_chars)
            for line in bad:  # reported, and the other lines go on
                say(f"tracer: error: {line}")
        else:
            queries = [("1", quote)]
        results = t.lookup_batch(queries, k=k, langs=lang, kinds=kind) if queries else []
    if as_json:
        emit(results if batch is not None else results[0], "jsonl" if batch is not None else "json")
    else:
        lookup_tables(results)
    if bad:
        raise typer.Exit(1)


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

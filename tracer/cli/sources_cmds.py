"""`tracer fetch` and `tracer rebuild`: new material from the configured sources.

Both print one ``key=value`` summary line on stdout (stderr with --json) that
a monitoring system can parse, e.g.::

    tracer-rebuild status=ok version=v000012 docs_new=37 segments=12345 embedded=512 seconds=81.2
        errors=0 sources_failed=0 exit=0          (one line in reality)

Exit codes: 0 ok, 1 partial (some sources or pages failed), 2 bad input
(e.g. the sources file), 3 failed: every source failed, or an index problem
(the previous version keeps serving), 75 another rebuild or fetch holds the lock.
"""
from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from ..sources.config import DEFAULT_SOURCES
from .context import fail, globals_of, open_tracer, say

FETCH_EPILOG = (
    "Exit codes: 0 ok, 1 some sources or pages failed, 3 every source failed, 75 a rebuild is running.\n\n"
    "Example: tracer fetch --source gazeta-ru --source rada-news --config corpora/sources.toml"
)
REBUILD_EPILOG = (
    "Exit codes: 0 ok, 1 some sources or pages failed, 3 every source failed or an index problem "
    "(previous version keeps serving), 75 another rebuild is running.\n\n"
    "Example: tracer --index indexes/news rebuild --fetch --config corpora/sources.toml"
)


def register(app: typer.Typer) -> None:
    """Add `fetch` and `rebuild` to the tracer CLI (idempotent)."""
    existing = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    if "fetch" not in existing:
        app.command("fetch", epilog=FETCH_EPILOG)(fetch_command)
    if "rebuild" not in existing:
        app.command("rebuild", epilog=REBUILD_EPILOG)(rebuild_command)


def _error(message: str) -> None:
    say(f"tracer: {message}")


def _summary(line: str, as_json: bool) -> None:
    # The monitoring line is printed even with --quiet; with --json stdout is JSON only.
    typer.echo(line, err=as_json)


@contextmanager
def _sigterm_as_interrupt():
    """systemd and `timeout` stop a job with SIGTERM: turn it into KeyboardInterrupt
    so the run record says "interrupted" instead of staying "running"."""
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread (e.g. under a test runner): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _source_lines(rep, sources) -> None:
    for s in sources:
        s = s if isinstance(s, dict) else s.__dict__
        parts = [f"{s['new_documents']} new", f"{s['duplicates']} duplicate", f"{s['not_modified']} unchanged",
                 f"{s['skipped']} skipped", f"{len(s['errors'])} errors"]
        rep.line(f"  {s['name']:<20} {s['status']:<9} {', '.join(parts)} ({s['seconds']:.1f} s)")


def _error_lines(errors, limit: int = 20) -> None:
    for e in list(errors)[:limit]:
        _error(f"error: {e}")
    if len(errors) > limit:
        _error(f"... and {len(errors) - limit} more errors (see the run record or --json)")


def fetch_command(
    ctx: typer.Context,
    source: Optional[list[str]] = typer.Option(None, "--source", "-s", metavar="NAME",
                                               help="Only this source (repeatable)."),
    config: Path = typer.Option(DEFAULT_SOURCES, "--config", "--sources", envvar="TRACER_SOURCES",
                                help="Sources file (TOML).", show_default=True),
    wait: float = typer.Option(0.0, "--wait", help="Seconds to wait for a running rebuild to finish."),
    as_json: bool = typer.Option(False, "--json", help="JSON report on stdout."),
) -> None:
    """Fetch new documents from the configured sources into the index's store (no build)."""
    from ..errors import TracerError
    from ..sources.rebuild import RebuildBusy, busy_summary_line
    from .output import Reporter, emit, plural

    rep = Reporter(quiet=globals_of(ctx).quiet or as_json)
    try:
        with open_tracer(ctx) as t, rep.progress() as progress:
            result = t.fetch(config, only=source or (), lock_timeout=wait, progress=progress)
    except RebuildBusy as exc:
        _summary(busy_summary_line("fetch"), as_json)
        _error(str(exc))
        raise typer.Exit(exc.exit_code)
    except TracerError as exc:
        _error(str(exc))
        raise typer.Exit(exc.exit_code)
    _source_lines(rep, result.fetch.sources)
    _error_lines(result.errors)
    if as_json:
        emit(result, "json")
    rep.line(f"fetched {plural(len(result.new_documents), 'new document')}; run `tracer build` to make them searchable")
    _summary(result.summary_line(), as_json)
    raise typer.Exit(result.exit_code)


def rebuild_command(
    ctx: typer.Context,
    fetch: bool = typer.Option(False, "--fetch/--no-fetch", help="Fetch the configured sources first."),
    config: Path = typer.Option(DEFAULT_SOURCES, "--config", "--sources", envvar="TRACER_SOURCES",
                                help="Sources file (TOML), used with --fetch.", show_default=True),
    source: Optional[list[str]] = typer.Option(None, "--source", "-s", metavar="NAME",
                                               help="Only this source (repeatable)."),
    force: bool = typer.Option(False, "--force", help="Write a new version even when nothing changed."),
    wait: float = typer.Option(0.0, "--wait", help="Seconds to wait for a running rebuild to finish."),
    as_json: bool = typer.Option(False, "--json", help="The run record as JSON on stdout."),
) -> None:
    """Fetch (optional), ingest, embed what is new, publish index version N+1 atomically, record the run."""
    from ..errors import TracerError
    from ..sources.rebuild import RebuildBusy, busy_summary_line
    from .output import Reporter, emit

    rep = Reporter(quiet=globals_of(ctx).quiet or as_json)
    config_from = ctx.get_parameter_source("config")  # DEFAULT unless given (flag or TRACER_SOURCES)
    if not fetch and config_from is not None and config_from.name != "DEFAULT":
        # A sources file named without --fetch is not read: say so rather than ignore it.
        if not config.is_file():
            fail(f"the sources file {config} does not exist (and is only read with --fetch)")
        say(f"note: {config} is only read with --fetch; rebuilding from what is already ingested")
    try:
        with _sigterm_as_interrupt(), open_tracer(ctx) as t, rep.progress() as progress:
            report = t.rebuild(config if fetch else None, fetch, only=source or (), force=force,
                               lock_timeout=wait, progress=progress)
    except RebuildBusy as exc:
        _summary(busy_summary_line("rebuild"), as_json)
        _error(str(exc))
        raise typer.Exit(exc.exit_code)
    except TracerError as exc:  # the sources file: nothing was started
        _error(str(exc))
        raise typer.Exit(exc.exit_code)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the run record says "interrupted"
        _summary("tracer-rebuild status=interrupted exit=130", as_json)
        _error("interrupted; the previous index version keeps serving")
        raise typer.Exit(130) from None
    except Exception:
        # A bug: the run record already says so; monitoring still gets its line,
        # then main() reports the error (exit 70).
        _summary("tracer-rebuild status=failed exit=70", as_json)
        raise
    for note in report.notes:
        rep.line(f"note: {note}")
    _source_lines(rep, report.sources)
    _error_lines(report.errors)
    if report.built:
        rep.line(f"built {report.version}: {report.segments} segments, {report.embedded} embedded, "
                 f"{report.cached} from cache; {report.docs_new} new documents")
    elif report.status == "failed":
        _error(f"rebuild failed; {report.version} keeps serving" if report.version
               else "rebuild failed; no index version exists yet")
    if as_json:
        emit(report, "json")
    _summary(report.summary_line(), as_json)
    raise typer.Exit(report.exit_code)

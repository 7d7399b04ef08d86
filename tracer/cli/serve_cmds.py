"""`tracer serve`: the web app and JSON API on the index given by --index.

Registered on the main app by ``register(app)``. The web packages (the
``serve`` extra) are imported only when the command runs, so `tracer --help`
stays instant.
"""
from __future__ import annotations

from typing import Optional

import typer

from .context import globals_of

_EPILOG = (
    "Example: tracer --index indexes/default serve --port 8000\n\n"
    "Example: TRACER_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe())') "
    "tracer serve --host 0.0.0.0"
)


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the tracer app."""
    app.command(name="serve", epilog=_EPILOG)(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but this machine "
                             "(127.0.0.1) needs --token."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="TRACER_TOKEN", show_envvar=True,
                                        help="Every request must carry this token (header, or the browser's "
                                        "login cookie). Prefer the environment variable: a command line is "
                                        "visible to other users."),
    max_kb: int = typer.Option(1024, "--max-kb", help="Largest request (an article, an upload) in KB."),
    workers: int = typer.Option(2, "--workers", help="Lookups and traces run at once (each worker keeps its "
                                "own connection to the index; the model is shared)."),
) -> None:
    """Serve the Lookup, Trace, Diff and Index pages and the JSON API (/api/, docs at /api/docs).

    The model and the index load once, at start; a rebuild that publishes a
    new index version is picked up without a restart.
    """
    from ..serve import ServeOptions, create_app, run

    g = globals_of(ctx)
    options = ServeOptions(index=g.index, config=g.config, host=host, port=port, token=token,
                           max_bytes=max_kb * 1024, workers=workers).checked()
    app = create_app(options)
    info = app.state.tracer.serving.info()
    if not g.quiet:
        where = f"[{host}]" if ":" in host else host
        typer.echo(f"tracer: serving {app.state.tracer.index_dir} (version {info.serving}) on "
                   f"http://{where}:{port}/ with {workers} worker(s); Ctrl-C stops", err=True)
    try:
        run(app, options, quiet=g.quiet)
    except KeyboardInterrupt:  # uvicorn stops cleanly on Ctrl-C, then passes the signal on
        pass
    if not g.quiet:
        typer.echo("tracer: server stopped", err=True)

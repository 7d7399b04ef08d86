"""The web app: ``create_app(options)`` loads the model and the index, then serves.

Pages (``pages.py``) and the JSON API (``api.py``) share one
:class:`ServerState`: the served index (hot-swapped, see ``engine.py``),
the trace jobs and the templates. Errors never show a traceback: a
``TracerError`` becomes its one-line message (on the page, or as
``{"error": ...}`` with a 4xx status), anything else a 500 that says to look
at the server's log, where the traceback goes.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import MissingDependency, TracerError
from .engine import Engine, ServingIndex
from .jobs import Jobs
from .options import ServeOptions
from .status import status_of

log = logging.getLogger("tracer.serve")


def require_web_packages(server: bool = False) -> None:
    """MissingDependency naming the `serve` extra when the web packages are not installed."""
    try:
        import fastapi  # noqa: F401
        import jinja2  # noqa: F401
        import multipart  # noqa: F401 - python-multipart: forms and uploads
        if server:
            import uvicorn  # noqa: F401
    except ImportError as exc:
        raise MissingDependency(f"tracer serve needs the web packages ({exc.name} is missing): "
                                "pip install 'tracer[serve]'") from None


@dataclass
class ServerState:
    """What every request handler reaches through ``request.app.state.tracer``."""

    options: ServeOptions
    serving: ServingIndex
    jobs: Jobs
    templates: Any  # jinja2.Environment
    index_dir: str

    def close(self) -> None:
        self.serving.close()


def open_state(options: ServeOptions, encoder: Any = None) -> ServerState:
    """Load the encoder and the serving index version (errors reach the caller)."""
    from ..api import Tracer

    boot = Tracer(options.index, config=options.config, encoder=encoder)
    settings, index = boot.settings, boot.index
    index.require_store()
    shared_encoder = boot.encoder  # one model for every lane and every index version

    def open_tracer() -> Tracer:
        return Tracer(settings=settings, encoder=shared_encoder)

    def published() -> str | None:
        version = index.current()
        return version.name if version else None

    serving = ServingIndex(index.versions.pointer, published,
                           lambda generation: Engine(open_tracer, options.workers, generation=generation))
    serving.start()
    if options.preload_diff_model:
        boot.diff("warm-up text", "warm-up text", use_mt=False)  # the word aligner's weights are process-wide
    return ServerState(options, serving, Jobs(options.max_jobs, options.job_ttl_seconds), _templates(),
                       str(index.root))


def _templates():
    import jinja2

    from . import views

    env = jinja2.Environment(loader=jinja2.PackageLoader("tracer.serve", "templates"),
                             autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(views.TEMPLATE_GLOBALS)
    env.filters.update(views.TEMPLATE_FILTERS)
    return env


def create_app(options: ServeOptions | None = None, *, encoder: Any = None, state: ServerState | None = None):
    """The ASGI app on the index ``options.index`` (model and index loaded now)."""
    require_web_packages()
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from .. import __version__
    from . import api, pages, security

    options = (options or ServeOptions()).checked()
    state = state or open_state(options, encoder)

    @asynccontextmanager
    async def lifespan(app):
        yield
        state.close()

    app = FastAPI(title="tracer", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Find where a translated quote came from, and show what the translation changed. "
                              "The JSON of every endpoint is the CLI's `--json` output.")
    app.state.tracer = state
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.mount_static(app)

    app.add_exception_handler(TracerError, _tracer_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    security.install(app, token=options.token, max_bytes=options.max_bytes, allowed_hosts=options.allowed_hosts())
    return app


def error_response(request, status: int, message: str):
    """``{"error": message}`` for the API, the error page for a browser."""
    from . import pages
    from .security import wants_json

    if wants_json(request.scope):
        from .api import TracerJSON

        return TracerJSON({"error": message}, status_code=status)
    return pages.error_page(request, status, message)


async def _tracer_error(request, exc: TracerError):
    return error_response(request, status_of(exc), str(exc))


async def _validation_error(request, exc):
    problems = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query"))
        problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return error_response(request, 422, "; ".join(problems) or "the request is not valid")


async def _http_error(request, exc):
    messages = {404: "no such page", 405: "this address does not take that method"}
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
    return error_response(request, exc.status_code, detail or messages.get(exc.status_code, "bad request"))


async def _internal_error(request, exc: Exception):
    log.exception("internal error on %s %s", request.method, request.url.path)
    return error_response(request, 500, f"internal error ({type(exc).__name__}); the server's log has the details")

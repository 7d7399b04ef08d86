"""`tracer serve`: a local web app and JSON API on one index.

    from tracer.serve import ServeOptions, create_app
    app = create_app(ServeOptions(index="indexes/default"))   # any ASGI server runs it

Needs the ``serve`` extra (FastAPI, Jinja2, uvicorn, python-multipart);
importing this package does not import them.
"""
from __future__ import annotations

from typing import Any

from .options import ServeOptions

__all__ = ["ServeOptions", "create_app", "run"]


def create_app(options: ServeOptions | None = None, **kwargs: Any):
    """The ASGI app (see :func:`tracer.serve.app.create_app`)."""
    from .app import create_app as _create

    return _create(options, **kwargs)


def run(app: Any, options: ServeOptions, *, quiet: bool = False) -> None:
    """Serve ``app`` with uvicorn until interrupted."""
    from .app import require_web_packages

    require_web_packages(server=True)
    import logging

    import uvicorn

    # The app's own messages (a new index version served, a request that failed) go to stderr.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s tracer: %(message)s", "%Y-%m-%d %H:%M:%S"))
    log = logging.getLogger("tracer.serve")
    log.addHandler(handler)
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    log.propagate = False

    config = uvicorn.Config(app, host=options.host, port=options.port, log_level="warning" if quiet else "info",
                            access_log=not quiet, server_header=False, proxy_headers=False,
                            timeout_graceful_shutdown=5)
    from .security import redact_token

    logging.getLogger("uvicorn.access").addFilter(redact_token)  # after Config set uvicorn's logging up
    uvicorn.Server(config).run()


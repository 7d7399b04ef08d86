"""Connecting to a Ray cluster: the one place that calls ``ray.init``."""
from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import MissingDependency, TracerError

# "local" starts a private cluster on this machine for one command;
# anything else is an address ray.init understands ("auto", "host:6379", "ray://host:10001").
LOCAL = "local"


def ray_module() -> Any:
    """The ``ray`` package, or a clear message on how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data is what the build runs on)
    except ImportError as exc:
        raise MissingDependency("running on Ray needs the ray extra: pip install 'tracer[ray]'") from exc
    return ray


def connect(address: str) -> tuple[Any, bool]:
    """(ray, whether this call connected it): connected to the cluster at
    ``address``, or left as it is when the process is already connected
    (``ray.init`` called by the caller, as tests and notebooks do)."""
    ray = ray_module()
    if ray.is_initialized():
        _quiet(ray)
        return ray, False
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if address == LOCAL:
        # Workers of a cluster started here import tracer from where this
        # process does (a checkout as much as an installed package).
        import tracer

        options.update(include_dashboard=False,
                       runtime_env={"env_vars": {"PYTHONPATH": str(Path(tracer.__file__).resolve().parents[1])}})
        target = None
    else:
        target = address
    try:
        ray.init(address=target, **options)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TracerError(f"cannot connect to the Ray cluster at {address!r} ({first}); start one with "
                          "`ray start --head`, or use --ray local") from None
    _quiet(ray)
    return ray, True


@contextmanager
def connected(address: str) -> Iterator[Any]:
    """Ray, connected to the cluster at ``address`` for the block; a
    connection made here is closed at the end (a ``local`` cluster stops)."""
    ray, started = connect(address)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def _quiet(ray: Any) -> None:
    """No Ray Data progress bars or logged tracebacks: tracer reports its own
    progress, and a failure as one line (the worker's own error message)."""
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():  # Ray's own deprecated fields, read when the context is made
        warnings.simplefilter("ignore", DeprecationWarning)
        context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    if hasattr(context, "print_on_execution_start"):
        context.print_on_execution_start = False

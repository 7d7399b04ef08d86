"""The HTTP status of a library error (the app's handlers and the pages share it)."""
from __future__ import annotations

from ..errors import EncoderMismatch, IndexNotFound, InputError, MissingDependency, TracerError

__all__ = ["status_of"]


def status_of(exc: TracerError) -> int:
    """The HTTP status of a library error."""
    code = getattr(exc, "status_code", None)
    if code:
        return int(code)
    if isinstance(exc, (IndexNotFound, EncoderMismatch, MissingDependency)):
        return 503
    return 400 if isinstance(exc, InputError) else 500

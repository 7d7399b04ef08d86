"""What a failed fetch reports, and the host a URL belongs to (shared by http.py and robots.py)."""
from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["FetchError", "host_of"]


class FetchError(Exception):
    """One URL could not be fetched; ``str(exc)`` is the user-facing reason.

    ``transient`` is True for failures worth retrying on the next run
    (timeouts, 5xx, connection errors), False for ones that will not change
    by themselves (404, robots.txt, size limit, redirect loop).
    """

    def __init__(
        self, url: str, message: str, *, transient: bool = False, status: int | None = None, disallowed: bool = False
    ) -> None:
        super().__init__(message)
        self.url = url
        self.transient = transient
        self.status = status  # the HTTP status that ended it, when there was one
        self.disallowed = disallowed  # robots.txt forbids the URL (a rule, not a failure)


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"

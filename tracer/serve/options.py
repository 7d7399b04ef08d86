"""What one `tracer serve` process is told: where to listen, the token, the limits."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

TOKEN_ENV = "TRACER_TOKEN"
# A token guards an index on the network: short ones are guessed.
MIN_TOKEN_CHARS = 16
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


@dataclass(frozen=True)
class ServeOptions:
    """Settings of the web app (the index's own settings come from ``tracer.toml`` as usual)."""

    index: Path | None = None  # None: TRACER_INDEX, else indexes/default
    config: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    max_bytes: int = 1024 * 1024  # largest request body: an article, an upload, a JSON request
    workers: int = 2  # threads that run lookups and traces, each with its own Tracer
    max_quote_chars: int = 10_000  # a lookup is a quote, not an article: trace articles
    max_jobs: int = 32  # traces remembered for the page (their results are kept in memory)
    job_ttl_seconds: float = 3600.0
    preload_diff_model: bool = True  # load the diff's word aligner at start, not on the first diff

    @property
    def loopback(self) -> bool:
        """Whether the server listens on this machine only."""
        if self.host in LOOPBACK_NAMES:
            return True
        try:
            return ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return False

    def allowed_hosts(self) -> list[str]:
        """Host headers accepted: on loopback only the loopback names (a web page
        cannot reach the server through a DNS name it controls); elsewhere the
        token is the guard."""
        if not self.loopback:
            return ["*"]
        return ["localhost", "127.0.0.1", "::1", "[::1]", self.host]

    def checked(self) -> "ServeOptions":
        """These options, or InputError when they would be unsafe or impossible."""
        if not 0 <= self.port <= 65535:
            raise InputError(f"--port {self.port}: use a port between 1 and 65535")
        if self.workers < 1 or self.workers > 16:
            raise InputError(f"--workers {self.workers}: use 1 to 16")
        if self.max_bytes < 1024:
            raise InputError("--max-kb must be at least 1")
        if self.token is not None and len(self.token) < MIN_TOKEN_CHARS:
            raise InputError(f"the token is too short ({len(self.token)} characters; at least {MIN_TOKEN_CHARS}): "
                             "make one with python -c \"import secrets; print(secrets.token_urlsafe())\"")
        if not self.loopback and not self.token:
            raise InputError(f"listening on {self.host} opens the index to the network: give --token "
                             f"(or set {TOKEN_ENV}), or keep the default --host 127.0.0.1")
        return self


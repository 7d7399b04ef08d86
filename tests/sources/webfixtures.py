"""Test helpers for tests/sources (imported by the test modules; not a conftest, so the
suite keeps one `conftest` module): a real HTTP server on 127.0.0.1 serving what each test writes, plus config helpers.

Routes support the failure modes the fetcher must survive: delays (timeouts),
error statuses, redirects, huge streamed bodies, ETag / Last-Modified with
304 answers, and arbitrary bytes (legacy encodings, broken XML). The server
records every request (path, headers, time) so tests can check retries,
conditional headers and rate limiting. Nothing leaves the loopback address.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Fast, still polite, settings for tests: tiny backoff, short timeouts, no real waiting.
FAST_DEFAULTS = {
    "user_agent": "tracer-test/1.0",
    "rate_limit": 1000,
    "timeout": 2,
    "retries": 2,
    "backoff": 0.01,
    "max_backoff": 0.05,
    "respect_robots": True,
    "min_chars": 50,
    "revisit_hours": 48,
}


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    location: str | None = None
    stream_bytes: int = 0  # send this many bytes with no Content-Length (close-delimited)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float


class Site:
    """What the test server serves, and what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.streamed_bytes = 0
        self.lock = threading.Lock()
        self.base = ""

    def add(self, path: str, body: bytes | str = b"", **kw) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


class _Handler(BaseHTTPRequestHandler):
    site: Site  # set per server

    def log_message(self, *args) -> None:  # keep test output clean
        return None

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        site = self.server.site  # type: ignore[attr-defined]
        with site.lock:
            site.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
        route = site.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.delay:
            time.sleep(route.delay)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        etag_match = route.etag and inm == route.etag
        date_match = route.last_modified and not route.etag and ims == route.last_modified
        if etag_match or date_match:
            self.send_response(304)
            self._validators(route)
            self.end_headers()
            return
        self.send_response(route.status)
        if route.location:
            self.send_header("Location", route.location)
        self.send_header("Content-Type", route.content_type)
        self._validators(route)
        for k, v in route.headers.items():
            self.send_header(k, v)
        if route.stream_bytes:
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            sent = 0
            try:
                while sent < route.stream_bytes:
                    self.wfile.write(chunk)
                    sent += len(chunk)
                    with site.lock:
                        site.streamed_bytes += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        try:
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (size limit): expected
            pass

    def _validators(self, route: Route) -> None:
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)


@pytest.fixture
def site():
    """A fresh local web server; ``site.add(path, body, ...)`` serves a page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.site = Site()  # type: ignore[attr-defined]
    server.site.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.site  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


# --- content builders -------------------------------------------------------------------


def article_html(title: str, paragraphs: list[str], *, date: str | None = None, charset_meta: str | None = None,
                 boilerplate: str = "") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    date_meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{date_meta}"
        f'<meta property="og:title" content="{title}"></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>{boilerplate}"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>© Test site</footer></body></html>"
    )


def rss(items: list[tuple[str, str]], *, title: str = "Test feed", pub: str = "Wed, 17 Sep 2025 10:00:00 +0000") -> str:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{pub}</pubDate></item>" for t, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://127.0.0.1/</link><description>d</description>{entries}"
        "</channel></rss>"
    )


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "'" + str(v) + "'"  # literal string: regexes need no escaping


def write_config(path: Path, sources: dict[str, dict], defaults: dict | None = None) -> Path:
    """A sources.toml with FAST_DEFAULTS (overridable) and the given sources."""
    lines = ["[defaults]"]
    for k, v in {**FAST_DEFAULTS, **(defaults or {})}.items():
        lines.append(f"{k} = {toml_value(v)}")
    for name, table in sources.items():
        lines.append(f"\n[sources.{name}]")
        for k, v in table.items():
            lines.append(f"{k} = {toml_value(v)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


RU_PARAGRAPHS = [
    "Командующий заявил журналистам, что ситуация на фронте остается сложной, но контролируемой.",
    "По его словам, подразделения получили новые задачи и дополнительное снабжение на ближайшие недели.",
    "Эксперты отмечают, что подобные заявления звучат на фоне обсуждения нового закона о мобилизации.",
]
UK_PARAGRAPHS = [
    "Верховна Рада ухвалила в першому читанні законопроєкт про зміни до порядку проходження служби.",
    "За відповідне рішення проголосували двісті сорок народних депутатів, повідомляє пресслужба парламенту.",
    "Документ передбачає нові правила звільнення з військової служби та виплати компенсацій.",
]

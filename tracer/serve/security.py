"""Guards around every request: size limit, token, cross-site posts, security headers.

Plain ASGI middlewares, outermost first in :func:`install`:

* ``SecurityHeaders`` — a strict Content-Security-Policy (scripts and styles
  only from this server's own files: no inline script can run, whatever an
  article holds), no framing, no MIME sniffing, no referrer;
* ``TokenGate`` — with a token, every request must carry it: the
  ``Authorization: Bearer`` or ``X-Tracer-Token`` header, or the cookie the
  login page (or a one-time ``?token=``) sets. Only the login page and the
  static files (the package's own CSS and JS) are open;
* ``CrossSiteGuard`` — a form posted by another site's page is refused
  (browsers say so in ``Sec-Fetch-Site`` / ``Origin``);
* ``BodyLimit`` — a body over the limit is refused with 413 before anything reads it.
"""
from __future__ import annotations

import hmac
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# The downloadable report is one self-contained file with its CSS inline.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
COOKIE = "tracer_token"
OPEN_PATHS = ("/login", "/static/")

Scope = dict[str, Any]


def wants_json(scope: Scope) -> bool:
    return scope.get("path", "").startswith("/api/")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}


async def _plain_error(scope: Scope, receive, send, status: int, message: str,
                       extra: list[tuple[bytes, bytes]] | None = None) -> None:
    """A one-line error: JSON for the API, a short text page for the browser."""
    if wants_json(scope):
        body, ctype = json.dumps({"error": message}, ensure_ascii=False).encode(), b"application/json"
    else:
        body, ctype = (f"tracer: {message}\n").encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                for name, value in ((b"content-security-policy", CSP), (b"x-content-type-options", "nosniff"),
                                    (b"x-frame-options", "DENY"), (b"referrer-policy", "no-referrer"),
                                    (b"cross-origin-opener-policy", "same-origin"),
                                    (b"cache-control", "no-store")):
                    if name not in names:
                        headers.append((name, value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenGate:
    def __init__(self, app, token: str | None) -> None:
        self.app = app
        self.token = token

    def _ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http" or not self.token or scope["path"].startswith(OPEN_PATHS):
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if self._ok(bearer) or self._ok(headers.get("x-tracer-token")) or self._ok(_cookie(headers)):
            return await self.app(scope, receive, send)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), None)
        if given is not None and self._ok(given) and scope["method"] == "GET" and not wants_json(scope):
            # A link with ?token= logs the browser in, then drops the token from the address bar.
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            target = scope["path"] + (f"?{rest}" if rest else "")
            return await _redirect(send, target, set_cookie=cookie_header(self.token, scope))
        if wants_json(scope) or scope["method"] != "GET":
            return await _plain_error(scope, receive, send, 401,
                                      "this server needs its token (Authorization: Bearer TOKEN)",
                                      [(b"www-authenticate", b'Bearer realm="tracer"')])
        target = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
        return await _redirect(send, "/login?" + urlencode({"next": target}))


def _cookie(headers: dict[str, str]) -> str | None:
    from http.cookies import CookieError, SimpleCookie

    try:
        jar = SimpleCookie(headers.get("cookie", ""))
    except CookieError:
        return None
    return jar[COOKIE].value if COOKIE in jar else None


def cookie_header(token: str, scope: Scope) -> str:
    """The login cookie: HttpOnly, sent to this site only, Secure behind https."""
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"


async def _redirect(send, target: str, set_cookie: str | None = None) -> None:
    headers = [(b"location", target.encode("latin-1", "replace")), (b"content-length", b"0")]
    if set_cookie:
        headers.append((b"set-cookie", set_cookie.encode("latin-1")))
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only."""
    target = target or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


class CrossSiteGuard:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        origin = headers.get("origin")
        host = headers.get("host", "")
        cross = headers.get("sec-fetch-site") == "cross-site"
        if origin and origin != "null" and urlsplit(origin).netloc != host:
            cross = True
        if cross:
            return await _plain_error(scope, receive, send, 403, "a page on another site cannot send requests here")
        return await self.app(scope, receive, send)


class BodyLimit:
    """Reads the whole body (in memory, at most ``limit`` bytes) before the app sees it."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> str:
        return (f"the request is larger than this server's limit of {self.limit // 1024:,} KB "
                "(tracer serve --max-kb raises it)")

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = _headers(scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _plain_error(scope, receive, send, 413, self._message())
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                return await _plain_error(scope, receive, send, 413, self._message())
            chunks.append(body)
            if not message.get("more_body"):
                break
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def receive_again() -> dict:
            return replay.pop() if replay else await receive()

        await self.app(scope, receive_again, send)


def redact_token(record) -> bool:
    """A logging filter for uvicorn's access log: a login link's ``?token=`` is not written down."""
    args = record.args
    if isinstance(args, tuple) and len(args) > 2 and isinstance(args[2], str) and "token=" in args[2]:
        record.args = (*args[:2], re.sub(r"token=[^&\s]*", "token=…", args[2]), *args[3:])
    return True


def install(app, *, token: str | None, max_bytes: int, allowed_hosts: list[str]) -> None:
    """Add the guards to a Starlette/FastAPI app (added last = runs first)."""
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    app.add_middleware(BodyLimit, limit=max_bytes)
    app.add_middleware(CrossSiteGuard)
    app.add_middleware(TokenGate, token=token)
    if allowed_hosts != ["*"]:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)

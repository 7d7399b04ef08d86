"""Who may talk to the server and what its answers allow: the token, Host and
cross-site checks, the size limit, the Content-Security-Policy, safe bind options."""
from __future__ import annotations

import pytest
from serve_helpers import make_app, make_client

from tracer.errors import InputError
from tracer.serve import ServeOptions
from tracer.serve.security import CSP

TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture
def guarded(fake_index, fake_aligner):
    app = make_app(fake_index, token=TOKEN, workers=1)
    with make_client(app) as client:
        yield client


def test_every_answer_has_a_strict_csp(client):
    for path in ("/lookup", "/api/status", "/static/app.css", "/api/nothing", "/index"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP


def test_api_needs_the_token(guarded):
    r = guarded.get("/api/status")
    assert r.status_code == 401 and "token" in r.json()["error"] and r.headers["www-authenticate"].startswith("Bearer")
    assert guarded.get("/api/status", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    assert guarded.get("/api/status", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.get("/api/status", headers={"X-Tracer-Token": TOKEN}).status_code == 200
    assert guarded.post("/api/lookup", json={"quote": "x"}).status_code == 401
    assert guarded.get("/api/status", params={"token": TOKEN}).status_code == 401  # API clients use the header


def test_pages_send_the_browser_to_log_in(guarded):
    r = guarded.get("/lookup?q=abc", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Flookup%3Fq%3Dabc"
    assert guarded.get("/login").status_code == 200  # open, like the package's CSS and JS
    assert guarded.get("/static/app.css").status_code == 200
    bad = guarded.post("/login", data={"token": "nope", "next": "/index"}, follow_redirects=False)
    assert bad.status_code == 401 and "not this server&#39;s token" in bad.text and "set-cookie" not in bad.headers
    ok = guarded.post("/login", data={"token": TOKEN, "next": "https://evil.example/"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/"  # never sent to another site
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert guarded.get("/index").status_code == 200  # the client keeps the cookie
    out = guarded.post("/logout", follow_redirects=False)
    assert out.status_code == 303
    assert guarded.get("/index", follow_redirects=False).status_code == 303


def test_a_link_with_the_token_logs_in_and_drops_it(guarded):
    r = guarded.get("/lookup", params={"q": "abc", "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/lookup?q=abc"
    assert "tracer_token=" in r.headers["set-cookie"]
    guarded.cookies.clear()
    assert guarded.get("/lookup", params={"token": "wrong"}, follow_redirects=False).headers["location"].startswith(
        "/login")


def test_only_this_machines_host_names_are_answered(client):
    assert client.get("/api/status", headers={"Host": "localhost:8000"}).status_code == 200
    r = client.get("/api/status", headers={"Host": "attacker.example"})
    assert r.status_code == 400  # a DNS name pointed at 127.0.0.1 by another site's page


def test_another_sites_page_cannot_post(client):
    evil = client.post("/api/lookup", json={"quote": "x"}, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403 and "another site" in evil.json()["error"]
    fetch = client.post("/diff", data={"quote": "a", "original": "b"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetch.status_code == 403
    same = client.post("/api/lookup", json={"quote": "x"}, headers={"Origin": "http://127.0.0.1:8000"})
    assert same.status_code == 200


def test_size_limit(fake_index, fake_aligner):
    app = make_app(fake_index, max_bytes=4096, workers=1)
    with make_client(app) as client:
        big = "word " * 2000
        r = client.post("/api/trace", json={"text": big})
        assert r.status_code == 413 and "4 KB" in r.json()["error"]
        r = client.post("/api/trace", files={"file": ("big.txt", big.encode(), "text/plain")})
        assert r.status_code == 413
        page = client.post("/trace", data={"text": big})
        assert page.status_code == 413 and "--max-kb" in page.text

        def chunks():  # no Content-Length: counted as it comes
            for _ in range(10):
                yield b"x" * 1000

        r = client.post("/api/trace", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413


@pytest.mark.parametrize("host,token,ok", [
    ("127.0.0.1", None, True), ("localhost", None, True), ("::1", None, True),
    ("0.0.0.0", None, False), ("192.168.1.5", None, False), ("0.0.0.0", TOKEN, True),
    ("0.0.0.0", "short", False),
])
def test_binding_beyond_this_machine_needs_a_token(host, token, ok):
    options = ServeOptions(host=host, token=token)
    if ok:
        assert options.checked() is options
    else:
        with pytest.raises(InputError):
            options.checked()
    assert options.loopback == (host in ("127.0.0.1", "localhost", "::1"))


def test_the_access_log_never_shows_the_token():
    import logging

    from tracer.serve.security import redact_token

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", f"/lookup?q=x&token={TOKEN}&k=3", "1.1", 303), None)
    assert redact_token(record) is True
    assert TOKEN not in record.getMessage() and "token=…&k=3" in record.getMessage()

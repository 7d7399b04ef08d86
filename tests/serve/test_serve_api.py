"""The JSON API answers with exactly the CLI's JSON, and refuses bad input with a 4xx
and a one-line {"error": ...} (FakeEncoder index, stand-in word aligner)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tracer.cli.app import app as cli

QUOTE = "ты никто, иди в посадку"
ARTICLE = ("Deserters in Ukraine\n\nThe deputy said: “At the moment, we have as many deserters as there were troops "
           "before the full-scale invasion.” According to her, 250,000 soldiers left their units.\n")


@pytest.fixture
def run_cli(fake_index, monkeypatch):
    """`tracer --index INDEX ...` in-process with the same FakeEncoder (by the TRACER_ENCODER setting)."""
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")

    def run(*args: str) -> dict:
        result = CliRunner().invoke(cli, ["--index", str(fake_index), *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run


def test_lookup_is_the_cli_json(client, run_cli):
    r = client.post("/api/lookup", json={"quote": QUOTE, "k": 3, "lang": "ru,uk", "kind": "original"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-tracer-index-version"] == "v000001"
    expected = run_cli("lookup", QUOTE, "--k", "3", "--lang", "ru,uk", "--kind", "original", "--json")
    assert r.json() == expected
    assert [m["rank"] for m in expected["matches"]] == [1, 2, 3]
    # the query-string form and a list of languages say the same
    assert client.get("/api/lookup", params={"quote": QUOTE, "k": 3, "lang": "ru,uk", "kind": "original"}).json() == expected
    assert client.post("/api/lookup", json={"quote": QUOTE, "k": 3, "lang": ["ru", "uk"],
                                            "kind": "original"}).json() == expected


def test_lookup_date_filter_keeps_undated_and_renumbers(client):
    everything = client.post("/api/lookup", json={"quote": QUOTE, "k": 50}).json()["matches"]
    cut = "2025-09-30"
    r = client.post("/api/lookup", json={"quote": QUOTE, "k": 5, "before": cut})
    kept = r.json()["matches"]
    assert kept and all(m["date"] is None or m["date"][:10] <= cut for m in kept)
    assert [m["rank"] for m in kept] == list(range(1, len(kept) + 1))
    expected = [m["segment_id"] for m in everything if m["date"] is None or m["date"][:10] <= cut][:5]
    assert [m["segment_id"] for m in kept] == expected
    assert any(m["date"] and m["date"][:10] > cut for m in everything)  # the filter did remove something


def test_trace_is_the_cli_json(client, run_cli, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    expected = run_cli("trace", str(article), "--json")
    assert expected["claims"], "the article should have claims"
    pasted = client.post("/api/trace", json={"text": ARTICLE})
    uploaded = client.post("/api/trace", files={"file": ("article.txt", ARTICLE.encode(), "text/plain")})
    for r, path in ((pasted, None), (uploaded, "article.txt")):
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["article"].pop("path") == path
        want = json.loads(json.dumps(expected))
        want["article"].pop("path")
        assert got == want


def test_an_upload_name_is_only_a_name(client):
    r = client.post("/api/trace", files={"file": ("../../etc/evil.txt", ARTICLE.encode(), "text/plain")})
    assert r.status_code == 200 and r.json()["article"]["path"] == "evil.txt"


def test_trace_report_adds_the_diffs(client, run_cli):
    r = client.post("/api/trace?report=true", json={"text": ARTICLE})
    assert r.status_code == 200, r.text
    data = r.json()
    assert {"article", "claims", "summary", "legend", "generated"} <= set(data)
    assert all("diff" in c and "flags" in c for c in data["claims"])


def test_a_pasted_path_is_text_not_a_file(client, fake_index):
    """A one-line article naming a file on the server is traced as those words, never read."""
    secret = fake_index / "tracer.db"
    r = client.post("/api/trace", json={"text": str(secret)})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 200:
        assert r.json()["article"]["text"].strip() == str(secret)
    assert "SQLite" not in r.text


def test_diff_is_the_cli_json(client, run_cli):
    quote, original = "you're nothing, go to the bunker, 250 of them", "ты никто, иди в посадку, 300 человек"
    r = client.post("/api/diff", json={"quote": quote, "original": original})
    assert r.status_code == 200, r.text
    expected = run_cli("diff", quote, original, "--json")
    assert r.json() == expected
    assert any(i["kind"] == "number" for i in expected["issues"])


def test_status_is_the_cli_json(client, run_cli):
    r = client.get("/api/status")
    assert r.status_code == 200
    got, expected = r.json(), run_cli("status", "--json")
    for data in (got, expected):  # ages move on between the two calls
        data["rebuild"].pop("index_age_hours", None)
    assert got == expected and got["current_version"] == "v000001"


@pytest.mark.parametrize("body,status,message", [
    ({"quote": ""}, 400, "the quote is empty"),
    ({"quote": "   "}, 400, "the quote is empty"),
    ({"quote": "x", "lang": "xx"}, 400, "unknown language 'xx'"),
    ({"quote": "x", "lang": "de"}, 400, "unknown language 'de'"),
    ({"quote": "x", "kind": "blog"}, 400, "unknown kind 'blog'"),
    ({"quote": "x", "k": 0}, 400, "k must be between 1 and 50"),
    ({"quote": "x", "k": 500}, 400, "k must be between 1 and 50"),
    ({"quote": "x", "before": "yesterday"}, 400, "not an ISO 8601 date"),
    ({"quote": "x" * 10_001}, 400, "at most 10,000"),
    ({"quote": "x", "colour": "red"}, 422, "colour"),
    ({"k": 3}, 422, "quote"),
    ({"quote": "x", "k": "many"}, 422, "k"),
])
def test_lookup_refuses_bad_input(client, body, status, message):
    r = client.post("/api/lookup", json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert message in error and "\n" not in error and "Traceback" not in r.text


@pytest.mark.parametrize("upload,status,message", [
    (("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 415, "not .png"),
    (("article.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 415, "a PNG image"),
    (("article.txt", b"%PDF-1.7\n1 0 obj"), 415, "a PDF"),
    (("article.txt", b"some text\x00\x01\x02 more"), 415, "binary"),
    (("article.txt", "Привет, мир".encode("cp1251")), 415, "not UTF-8"),
    (("article.html", b""), 400, "empty"),
    (("notes", b"plain words"), 415, "files without a suffix"),
])
def test_trace_refuses_bad_uploads(client, upload, status, message):
    r = client.post("/api/trace", files={"file": (*upload, "application/octet-stream")})
    assert r.status_code == status, r.text
    assert message in r.json()["error"]


@pytest.mark.parametrize("body,message", [
    ({"text": ""}, "the article is empty"),
    ({"text": "Der Minister sagte gestern in Berlin, dass die Regierung die Steuern im nächsten Jahr senken "
              "werde und dass die Wirtschaft wieder wachse."}, "looks like German"),
    ({"text": ARTICLE, "article_lang": "de"}, "unknown language 'de'"),
    ({"text": ARTICLE, "date": "2025-13-45"}, "not an ISO 8601 date"),
    ({"text": ARTICLE, "kind": "blog"}, "unknown kind 'blog'"),
])
def test_trace_refuses_bad_articles(client, body, message):
    r = client.post("/api/trace", json=body)
    assert r.status_code == 400, r.text
    assert message in r.json()["error"]


def test_trace_refuses_a_body_that_is_not_json(client):
    r = client.post("/api/trace", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not JSON" in r.json()["error"]


def test_diff_refuses_bad_input(client):
    assert "the original is empty" in client.post("/api/diff", json={"quote": "a", "original": " "}).json()["error"]
    r = client.post("/api/diff", json={"quote": "a", "original": "b", "quote_lang": "fr"})
    assert r.status_code == 400 and "unknown language 'fr'" in r.json()["error"]


def test_unknown_address_and_method_are_json_errors(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"error": "no such page"}
    r = client.get("/api/diff")
    assert r.status_code == 405 and "error" in r.json()


def test_an_internal_error_is_one_line_without_traceback(fake_index, fake_aligner, monkeypatch):
    from serve_helpers import make_app, make_client

    from tracer.serve import work

    def broken(tracer):
        raise RuntimeError("the disk fell off /secret/path")

    app = make_app(fake_index, workers=1)
    try:
        monkeypatch.setattr(work, "status", broken)
        client = make_client(app, raise_server_exceptions=False)
        r = client.get("/api/status")
        assert r.status_code == 500
        assert r.json() == {"error": "internal error (RuntimeError); the server's log has the details"}
        page = client.get("/index")
        assert page.status_code == 500 and "Traceback" not in page.text and "/secret/path" not in page.text
        assert "the server&#39;s log has the details" in page.text
    finally:
        app.state.tracer.close()


def test_openapi_lists_the_api(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/lookup", "/api/trace", "/api/diff", "/api/status"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/api/trace"]["post"]["requestBody"]["content"]
    assert not any(p.startswith(("/lookup", "/trace", "/login")) for p in spec["paths"])

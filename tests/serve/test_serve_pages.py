"""The browser pages, server-rendered without JavaScript: Lookup, Trace (paste and
upload, progress, report, downloads), Diff, Index, the API docs; bad input shown on
the page with a 4xx; every piece of article text escaped."""
from __future__ import annotations

import re
import time

import pytest
from serve_helpers import HOSTILE, HOSTILE_QUOTE

QUOTE = "ты никто, иди в посадку"
ARTICLE = ("Deserters in Ukraine\n\nThe deputy said: “At the moment, we have as many deserters as there were troops "
           "before the full-scale invasion.” According to her, 250,000 soldiers left their units.\n")


def finished(client, location: str, timeout: float = 60.0):
    """Follow a trace job's page until it stops refreshing itself."""
    deadline = time.time() + timeout
    while True:
        page = client.get(location)
        if 'http-equiv="refresh"' not in page.text or time.time() > deadline:
            return page
        time.sleep(0.2)


def no_raw_markup(html: str) -> None:
    """The hostile text only ever appears escaped."""
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/app\.js\")", html)  # the only script is our file
    assert 'href="javascript:' not in html


def test_home_goes_to_lookup(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/lookup"


def test_lookup_page_shows_matches_in_context_with_a_diff_link(client):
    empty = client.get("/lookup")
    assert empty.status_code == 200 and "<textarea" in empty.text and 'class="match"' not in empty.text
    r = client.get("/lookup", params={"q": QUOTE, "kind": "original", "lang": ["ru", "uk"]})
    assert r.status_code == 200
    assert r.text.count('class="match"') == 5
    assert '<mark class="hit">' in r.text and "gazeta.ru" in r.text
    assert 'value="ru" checked' in r.text and 'value="en" checked' not in r.text  # the form keeps its values
    link = re.search(r'href="(/diff\?[^"]+)"', r.text).group(1).replace("&amp;", "&")
    diff = client.get(link)
    assert diff.status_code == 200 and 'class="side"' in diff.text and "посадку" in diff.text


def test_lookup_page_shows_bad_input_on_the_page(client):
    r = client.get("/lookup", params={"q": "x", "lang": "xx"})
    assert r.status_code == 400
    assert 'class="error"' in r.text and "unknown language &#39;xx&#39;" in r.text and "<textarea" in r.text
    r = client.get("/lookup", params={"q": "  "})
    assert r.status_code == 400 and "the quote is empty" in r.text


def test_lookup_page_escapes_a_hostile_quote_and_documents(client):
    r = client.get("/lookup", params={"q": f"{HOSTILE} {HOSTILE_QUOTE}", "kind": "any"})
    assert r.status_code == 200
    assert "&lt;script&gt;window.__pwned" in r.text  # the quote and the hostile document, as text
    assert "evil&lt;b&gt;.example" in r.text
    no_raw_markup(r.text)


def test_trace_paste_runs_with_progress_then_shows_the_report(client):
    r = client.post("/trace", data={"text": ARTICLE, "kind": "original", "k": "3"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/trace/jobs/")
    job = r.headers["location"]
    page = finished(client, job)
    assert page.status_code == 200, page.text
    assert 'class="claims"' in page.text and "Trace report:" in page.text and "claims by verdict" in page.text
    assert re.search(r'<section class="claim" id="c1">', page.text)
    for name, kind in (("report.html", "text/html"), ("report.md", "text/markdown"), ("report.json", "application/json"),
                       ("trace.json", "application/json")):
        d = client.get(f"{job}/{name}")
        assert d.status_code == 200 and d.headers["content-type"].startswith(kind)
        assert "attachment" in d.headers["content-disposition"]
    standalone = client.get(f"{job}/report.html")
    assert standalone.headers["content-security-policy"].startswith("default-src 'none'; style-src 'unsafe-inline'")
    assert client.get(f"{job}/trace.json").json()["article"]["path"] is None
    assert client.get(f"{job}/secrets.txt").status_code == 404


def test_trace_job_page_refreshes_while_running(app, client):
    job = app.state.tracer.jobs.new()
    job.progress("lookup", 3, 7)
    page = client.get(f"/trace/jobs/{job.id}")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="1">' in page.text
    assert "looking up the claims: 3 of 7" in page.text and '<progress max="7" value="3">' in page.text


def test_trace_upload_of_a_hostile_html_article_is_escaped(client):
    html = (f"<html><head><title>Hostile {HOSTILE}</title><script>window.__pwned=3</script></head><body>"
            f"<article><h1>Hostile news</h1><p>The minister said: “{HOSTILE} we have as many deserters as there "
            "were troops.” He added that 250,000 soldiers had left.</p></article></body></html>")
    r = client.post("/trace", files={"file": ("hostile.html", html.encode(), "text/html")}, follow_redirects=False)
    assert r.status_code == 303
    page = finished(client, r.headers["location"])
    assert page.status_code == 200, page.text
    assert "hostile.html" in page.text
    no_raw_markup(page.text)


@pytest.mark.parametrize("data,files,message", [
    ({"text": ""}, None, "the article is empty"),
    ({"text": "words"}, {"file": ("a.txt", b"other words", "text/plain")}, "not both"),
    ({"text": ""}, {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}, "not .pdf"),
    ({"text": ""}, {"file": ("a.txt", b"\x00\x01binary", "text/plain")}, "binary"),
    ({"text": ARTICLE, "article_lang": "de"}, None, "unknown language &#39;de&#39;"),
])
def test_trace_form_shows_bad_input_on_the_page(client, data, files, message):
    r = client.post("/trace", data=data, files=files, follow_redirects=False)
    assert r.status_code in (400, 415), r.text
    assert message in r.text and 'class="error"' in r.text and 'enctype="multipart/form-data"' in r.text


def test_trace_of_an_unknown_language_fails_on_the_job_page(client):
    german = ("Der Minister sagte gestern in Berlin: „Die Regierung wird die Steuern im nächsten Jahr senken.“ "
              "Die Wirtschaft wachse wieder.")
    r = client.post("/trace", data={"text": german}, follow_redirects=False)
    page = finished(client, r.headers["location"])
    assert page.status_code == 400 and "looks like German" in page.text and "Traceback" not in page.text


def test_a_forgotten_job_is_a_clear_404(client):
    r = client.get("/trace/jobs/nosuchjob")
    assert r.status_code == 404 and "not kept any more" in r.text


def test_diff_page_posts_and_marks_the_issues(client):
    assert "<textarea" in client.get("/diff").text
    r = client.post("/diff", data={"quote": "250 soldiers left <b>", "original": "300 солдат ушли <b>",
                                   "quote_lang": "", "source_lang": "ru"})
    assert r.status_code == 200
    assert 'class="side"' in r.text and "k-number" in r.text and 'id="legend"' in r.text
    assert "&lt;b&gt;" in r.text and "<b>" not in r.text.split('<main>')[1]
    bad = client.post("/diff", data={"quote": "a", "original": ""})
    assert bad.status_code == 400 and "the original is empty" in bad.text


def test_index_page_shows_the_index(client):
    r = client.get("/index")
    assert r.status_code == 200
    for text in ("documents", "segments", "v000001", "fake/trigram-64", "no rebuild has run", "Sources"):
        assert text in r.text


def test_api_docs_page_is_served_offline(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert "/api/lookup" in r.text and "/api/trace" in r.text and "multipart/form-data" in r.text
    assert not re.search(r'(?:src|href)="(?:https?:)?//', r.text)  # nothing from another server


def test_static_files_are_the_packages_own(client):
    for path, kind in (("/static/app.css", "text/css"), ("/static/app.js", "javascript"),
                       ("/static/report.css", "text/css")):
        r = client.get(path)
        assert r.status_code == 200 and kind in r.headers["content-type"] and len(r.content) > 100
    assert client.get("/static/../app.py").status_code == 404

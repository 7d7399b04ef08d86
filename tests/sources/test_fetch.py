"""The fetcher against a real local HTTP server: every failure mode ends in a clear
message for its source, the other sources go on, and nothing half-done is recorded."""
import json
import re
import time

import pytest
from webfixtures import RU_PARAGRAPHS, UK_PARAGRAPHS, article_html, rss, site, write_config  # noqa: F401

from paths import ROOT
from tracer.sources.config import load_sources
from tracer.sources.fetch import fetch
from tracer.sources.state import FetchState

RSS = "application/rss+xml"


def _feed_source(site, path="/feed.xml", **extra):
    return {"type": "rss", "url": site.url(path), "lang": "ru", "kind": "original", **extra}


def _run(tmp_path, sources, defaults=None):
    cfg = load_sources(write_config(tmp_path / "sources.toml", sources, defaults))
    return fetch(cfg.sources, tmp_path / "state")


def _state(tmp_path):
    return FetchState(tmp_path / "state")


def test_normal_feed_becomes_documents(site, tmp_path):
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/feed.xml", rss([
        ("Item A", site.url("/news/a")), ("Item B", site.url("/news/b?utm_source=rss")),
        ("Photo", site.url("/photo/1")), ("Secret", site.url("/private/p")),
    ]), content_type=RSS)
    site.add("/news/a", article_html("Командующий о фронте", RU_PARAGRAPHS, date="2025-09-17T10:00:00+03:00"))
    site.add("/news/b", article_html("Второй материал", RU_PARAGRAPHS[::-1]))
    site.add("/photo/1", article_html("Фото", RU_PARAGRAPHS))
    site.add("/private/p", article_html("Тайна", RU_PARAGRAPHS))

    report = _run(tmp_path, {"ru-news": _feed_source(site, exclude=["/photo/"])})

    [src] = report.sources
    assert (src.status, src.listed, src.new_documents, src.errors) == ("ok", 4, 2, ())
    assert src.disallowed == 1 and src.skipped == 2  # the photo (pattern) and the robots.txt-forbidden page
    assert not site.hits("/private/p") and not site.hits("/photo/1")
    docs = {d.url: d for d in report.documents}
    assert set(docs) == {site.url("/news/a"), site.url("/news/b")}  # tracking parameters dropped
    a = docs[site.url("/news/a")]
    assert a.title == "Командующий о фронте" and a.date == "2025-09-17"  # from the page's metadata
    assert a.lang == "ru" and a.kind == "original" and a.source == "ru-news"
    assert "ситуация на фронте остается сложной" in a.text
    assert "Home" not in a.text and "Test site" not in a.text  # main text only
    b = docs[site.url("/news/b")]
    assert b.date.startswith("2025-09-17")  # no date on the page: the feed's pubDate
    assert all(r.headers["user-agent"] == "tracer-test/1.0" for r in site.requests)
    assert report.spooled == tuple(d.id for d in report.documents)


def test_rate_limit_spaces_requests_to_one_host(site, tmp_path):
    site.add("/feed.xml", rss([(f"N{i}", site.url(f"/n{i}")) for i in range(3)]), content_type=RSS)
    for i in range(3):
        site.add(f"/n{i}", article_html(f"N{i}", [f"Статья номер {i}. " + p for p in RU_PARAGRAPHS]))
    report = _run(tmp_path, {"s": _feed_source(site)}, {"rate_limit": 20})  # one request per 50 ms
    assert report.sources[0].new_documents == 3
    times = [r.at for r in site.requests]
    assert len(times) == 5  # robots.txt, feed, 3 pages
    gaps = [b - a for a, b in zip(times, times[1:])]
    # Spacing is enforced when a request is sent; the server notes arrival, which a
    # busy machine can delay for one request and not the next: judge the whole run.
    assert times[-1] - times[0] >= 0.9 * 0.05 * len(gaps) and min(gaps) >= 0.01, gaps


def test_slow_server_times_out_with_bounded_retries(site, tmp_path):
    site.add("/feed.xml", rss([("Slow", site.url("/slow")), ("Fast", site.url("/fast"))]), content_type=RSS,
             etag='"f1"')
    site.add("/slow", article_html("Slow", RU_PARAGRAPHS), delay=1.0)
    site.add("/fast", article_html("Fast", RU_PARAGRAPHS[:2]))
    t0 = time.monotonic()
    report = _run(tmp_path, {"s": _feed_source(site)}, {"timeout": 0.2, "retries": 1})
    assert time.monotonic() - t0 < 5
    [src] = report.sources
    assert src.status == "partial" and src.new_documents == 1
    [error] = src.errors
    assert "timed out (no answer within 0.2 s) after 2 attempts" in error and site.url("/slow") in error
    assert len(site.hits("/slow")) == 2
    with _state(tmp_path) as st:
        assert st.url_info(site.url("/slow")) is None  # nothing recorded for the failed page
        # the feed's ETag is not stored: next run lists the feed again and retries the slow page
        assert st.url_info(site.url("/feed.xml")) is None


def test_server_error_is_retried_then_reported_and_other_sources_continue(site, tmp_path):
    site.add("/broken.xml", "oops", status=500, content_type="text/plain")
    site.add("/good.xml", rss([("Good", site.url("/good"))]), content_type=RSS)
    site.add("/good", article_html("Good", UK_PARAGRAPHS))
    report = _run(tmp_path, {"broken": _feed_source(site, "/broken.xml"),
                             "good": _feed_source(site, "/good.xml", lang="uk")})
    broken, good = report.sources
    assert broken.status == "failed" and good.status == "ok" and good.new_documents == 1
    assert len(site.hits("/broken.xml")) == 3  # 1 + retries (2)
    [error] = broken.errors
    assert error == f"cannot read the feed: server error 500 (Internal Server Error) after 3 attempts: " \
                    f"{site.url('/broken.xml')}"
    assert report.failed_sources == ["broken"]
    assert report.errors == [f"broken: {error}"]
    with _state(tmp_path) as st:
        assert st.url_info(site.url("/broken.xml")) is None


def test_client_error_is_not_retried(site, tmp_path):
    site.add("/feed.xml", rss([("Gone", site.url("/gone"))]), content_type=RSS)
    report = _run(tmp_path, {"s": _feed_source(site)})
    assert len(site.hits("/gone")) == 1
    assert report.sources[0].errors == (f"HTTP 404 Not Found for {site.url('/gone')}",)
    assert report.sources[0].status == "failed"  # every page it tried failed


def test_redirect_loop_and_redirect_limit(site, tmp_path):
    site.add("/loop-a", status=302, location="/loop-b")
    site.add("/loop-b", status=301, location=site.url("/loop-a"))
    for i in range(4):
        site.add(f"/hop{i}", status=302, location=f"/hop{i + 1}")
    site.add("/hop4", article_html("Finally", RU_PARAGRAPHS))
    site.add("/moved", status=301, location="/hop4")
    site.add("/feed.xml", rss([("Loop", site.url("/loop-a")), ("Far", site.url("/hop0")),
                               ("Moved", site.url("/moved"))]), content_type=RSS)
    report = _run(tmp_path, {"s": _feed_source(site)}, {"max_redirects": 3})
    [src] = report.sources
    assert src.new_documents == 1
    errors = sorted(src.errors)
    assert errors[0] == f"redirect loop: {site.url('/loop-a')} → {site.url('/loop-b')} → {site.url('/loop-a')}"
    assert errors[1].startswith("too many redirects (more than 3)")
    [doc] = report.documents
    assert doc.url == site.url("/hop4")  # the page's final address
    with _state(tmp_path) as st:
        assert st.urls_of(doc.id) == sorted([site.url("/moved"), site.url("/hop4")])
        assert st.url_info(site.url("/loop-a")) is None and st.url_info(site.url("/hop0")) is None


def test_huge_page_is_abandoned_while_streaming(site, tmp_path):
    site.add("/feed.xml", rss([("Huge", site.url("/huge")), ("Big", site.url("/big")), ("Ok", site.url("/ok"))]),
             content_type=RSS)
    site.add("/huge", stream_bytes=50 * 2**20)  # no Content-Length: only streaming notices
    site.add("/big", b"x" * (2 * 2**20))  # declares 2 MB: refused before reading
    site.add("/ok", article_html("Ok", RU_PARAGRAPHS))
    report = _run(tmp_path, {"s": _feed_source(site)}, {"max_page_mb": 0.5})
    [src] = report.sources
    assert src.new_documents == 1 and src.status == "partial"
    errors = sorted(src.errors)
    assert errors[0] == f"page is 2 MB, over the 512 KB limit: {site.url('/big')}"
    assert errors[1] == f"page is larger than the 512 KB limit (stopped reading): {site.url('/huge')}"
    assert site.streamed_bytes < 20 * 2**20  # the download was cut, not completed
    with _state(tmp_path) as st:
        assert st.url_info(site.url("/huge")) is None and st.url_info(site.url("/big")) is None


def test_conditional_requests_and_changed_pages(site, tmp_path):
    lm = "Wed, 17 Sep 2025 08:00:00 GMT"
    site.add("/feed.xml", rss([("A", site.url("/a")), ("B", site.url("/b"))]), content_type=RSS, etag='"f1"')
    site.add("/a", article_html("A", RU_PARAGRAPHS), etag='"a1"')
    site.add("/b", article_html("B", UK_PARAGRAPHS), last_modified=lm)
    sources = {"s": _feed_source(site)}
    first = _run(tmp_path, sources)
    assert first.sources[0].new_documents == 2

    # Nothing changed: the feed answers 304 and no page is requested.
    site.requests.clear()
    second = _run(tmp_path, sources)
    assert second.sources[0].status == "unchanged"
    assert [r.path for r in site.requests] == ["/robots.txt", "/feed.xml"]
    assert site.requests[1].headers["if-none-match"] == '"f1"'

    # Page A was updated, a new item C appeared; B is unchanged.
    site.add("/feed.xml", rss([("A", site.url("/a")), ("B", site.url("/b")), ("C", site.url("/c"))]),
             content_type=RSS, etag='"f2"')
    site.add("/a", article_html("A", RU_PARAGRAPHS + ["Обновлено: командующий уточнил свои слова вечером."]),
             etag='"a2"')
    site.add("/c", article_html("C", RU_PARAGRAPHS[:1] + UK_PARAGRAPHS[1:]))
    site.requests.clear()
    third = _run(tmp_path, sources)
    [src] = third.sources
    assert (src.new_documents, src.not_modified, src.fetched) == (2, 1, 2)
    a_req, b_req = site.hits("/a")[0], site.hits("/b")[0]
    assert a_req.headers["if-none-match"] == '"a1"'
    assert b_req.headers["if-modified-since"] == lm
    texts = [d.text for d in third.documents]
    assert any("уточнил свои слова" in t for t in texts)
    with _state(tmp_path) as st:
        assert st.url_info(site.url("/a")).etag == '"a2"'
        assert st.url_info(site.url("/feed.xml")).etag == '"f2"'


def test_malformed_feed_fails_alone(site, tmp_path):
    site.add("/bad.xml", '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>\n'
             f'<item><title>A</title><link>{site.url("/a")}</link></itm></channel></rss>', content_type=RSS)
    site.add("/a", article_html("A", RU_PARAGRAPHS))
    site.add("/good.xml", rss([("G", site.url("/g"))]), content_type=RSS)
    site.add("/g", article_html("G", UK_PARAGRAPHS))
    site.add("/notafeed", "<html><body><p>hello</p></body></html>")
    report = _run(tmp_path, {"bad": _feed_source(site, "/bad.xml"), "html": _feed_source(site, "/notafeed"),
                             "good": _feed_source(site, "/good.xml")})
    bad, html, good = report.sources
    assert bad.status == "failed" and html.status == "failed" and good.status == "ok"
    [bad_error] = bad.errors
    assert re.fullmatch(r"the feed is not well-formed XML \(mismatched tag at line 3, column \d+\): "
                        + re.escape(site.url("/bad.xml")), bad_error), bad_error
    assert html.errors == (f"the address does not serve an RSS or Atom feed: {site.url('/notafeed')}",)
    assert not site.hits("/a")  # nothing of a broken feed is used
    assert [d.url for d in report.documents] == [site.url("/g")]


@pytest.mark.parametrize("encoding, content_type, meta", [
    ("cp1251", "text/html; charset=windows-1251", None),  # declared in the header
    ("koi8-r", "text/html", "koi8-r"),  # declared only in the page
    ("cp1251", "text/html; charset=utf-8", "windows-1251"),  # the header lies; the page is right
    ("cp1251", "text/html", None),  # declared nowhere: detected
])
def test_legacy_encodings_decode_correctly(site, tmp_path, encoding, content_type, meta):
    html = article_html("Новости дня", RU_PARAGRAPHS, charset_meta=meta)
    site.add("/feed.xml", rss([("P", site.url("/p"))]), content_type=RSS)
    site.add("/p", html.encode(encoding), content_type=content_type)
    report = _run(tmp_path, {"s": _feed_source(site)})
    [doc] = report.documents
    assert "Командующий заявил журналистам" in doc.text
    assert doc.title == "Новости дня"


def test_cp1251_feed_and_ukrainian_page(site, tmp_path):
    feed = rss([("Рада ухвалила", site.url("/rada"))]).replace('encoding="utf-8"', 'encoding="windows-1251"')
    site.add("/feed.xml", feed.encode("cp1251"), content_type="application/xml")
    site.add("/rada", article_html("Рада ухвалила закон", UK_PARAGRAPHS).encode("cp1251"), content_type="text/html")
    report = _run(tmp_path, {"rada": _feed_source(site, lang="uk")})
    [doc] = report.documents
    assert "Верховна Рада ухвалила в першому читанні" in doc.text and doc.lang == "uk"


def test_syndicated_story_is_stored_once_and_linked_to_every_url(site, tmp_path):
    site.add("/feed1.xml", rss([("Story", site.url("/agency/story"))]), content_type=RSS)
    site.add("/feed2.xml", rss([("Story", site.url("/partner/reprint"))]), content_type=RSS)
    site.add("/agency/story", article_html("Story", RU_PARAGRAPHS, boilerplate="<aside>Agency</aside>"))
    site.add("/partner/reprint", article_html("Story", RU_PARAGRAPHS, boilerplate="<div>Partner menu</div>"))
    report = _run(tmp_path, {"agency": _feed_source(site, "/feed1.xml"),
                             "partner": _feed_source(site, "/feed2.xml")})
    agency, partner = report.sources
    assert (agency.new_documents, partner.new_documents, partner.duplicates) == (1, 0, 1)
    [doc] = report.documents
    with _state(tmp_path) as st:
        assert set(st.urls_of(doc.id)) == {site.url("/agency/story"), site.url("/partner/reprint")}


def test_spooled_documents_survive_a_crash_before_ingest(site, tmp_path):
    site.add("/feed.xml", rss([("A", site.url("/a"))]), content_type=RSS, etag='"f1"')
    site.add("/a", article_html("A", RU_PARAGRAPHS), etag='"a1"')
    sources = {"s": _feed_source(site)}
    first = _run(tmp_path, sources)
    # ... the process dies here, before the documents reach the store ...
    second = _run(tmp_path, sources)
    assert second.sources[0].status == "unchanged"  # 304: the page is not downloaded again
    assert [d.id for d in second.documents] == [d.id for d in first.documents]  # but not lost either
    with _state(tmp_path) as st:
        assert st.acknowledge(second.spooled) == 1
    assert _run(tmp_path, sources).documents == ()


def test_robots_txt_unreachable_skips_the_site(site, tmp_path):
    site.add("/robots.txt", "down", status=503, content_type="text/plain")
    site.add("/feed.xml", rss([("A", site.url("/a"))]), content_type=RSS)
    report = _run(tmp_path, {"s": _feed_source(site)}, {"retries": 3})
    [src] = report.sources
    assert src.status == "failed"
    assert "robots.txt could not be read" in src.errors[0] and "skipped tonight" in src.errors[0]
    assert len(site.hits("/robots.txt")) == 2  # one retry at most for robots.txt
    assert not site.hits("/feed.xml")


def test_sitemap_index_and_feed_content_sources(site, tmp_path):
    site.add("/sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site.url('/sitemap-news.xml')}</loc><lastmod>2025-09-17</lastmod></sitemap>
</sitemapindex>""", content_type="application/xml")
    site.add("/sitemap-news.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{site.url('/s1')}</loc><news:news><news:publication_date>2025-09-16</news:publication_date>
    <news:title>S1</news:title></news:news></url>
  <url><loc>{site.url('/s2')}</loc><lastmod>2025-09-17</lastmod></url>
</urlset>""", content_type="application/xml")
    site.add("/s1", article_html("S1", RU_PARAGRAPHS))
    site.add("/s2", article_html("S2", UK_PARAGRAPHS))
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in UK_PARAGRAPHS)
    site.add("/full.xml", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
             f'<item><title>Full</title><link>{site.url("/full-item")}</link><description>{body}</description>'
             '</item></channel></rss>', content_type=RSS)
    report = _run(tmp_path, {
        "sm": {"type": "sitemap", "url": site.url("/sitemap.xml"), "lang": "auto", "kind": "original"},
        "full": _feed_source(site, "/full.xml", lang="uk", content="feed"),
    })
    sm, full = report.sources
    assert sm.status == "ok" and sm.new_documents == 2
    assert full.status == "ok" and full.new_documents == 1 and not site.hits("/full-item")
    langs = {d.url: d.lang for d in report.documents}
    assert langs[site.url("/s1")] == "ru" and langs[site.url("/s2")] == "uk"  # "auto": detected
    full_doc = next(d for d in report.documents if d.source == "full")
    assert full_doc.text.split("\n\n")[0] == UK_PARAGRAPHS[0]


def test_local_directory_and_jsonl_sources(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "j1", "text": "Перший документ дампу. " * 5, "lang": "uk"}) + "\n{bad json\n",
                    encoding="utf-8")
    report = _run(tmp_path, {
        "example": {"type": "directory", "path": str(ROOT / "corpora" / "example"), "lang": "auto",
                    "kind": "original", "exclude": ["/en/"]},
        "dump": {"type": "jsonl", "path": str(dump), "lang": "uk", "kind": "article"},
        "missing": {"type": "directory", "path": str(tmp_path / "nope"), "lang": "ru", "kind": "original"},
    })
    example, dump_src, missing = report.sources
    assert example.status == "ok" and example.listed == 14 and example.skipped == 5  # the en/ files
    assert dump_src.status == "partial" and dump_src.errors == (f"{dump}, line 2: invalid JSON (Expecting property "
                                                                f"name enclosed in double quotes)",)
    assert missing.status == "failed" and missing.errors == (f"directory not found: {tmp_path / 'nope'}",)
    assert report.failed_sources == ["missing"]
    by_source = {}
    for d in report.documents:
        by_source.setdefault(d.source, []).append(d)
    assert [d.id for d in by_source["dump"]] == ["j1"] and by_source["dump"][0].kind == "article"
    assert report.spooled == ()  # local documents are read again, never spooled

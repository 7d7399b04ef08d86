"""Monitoring is told the truth: a night where every source failed is not ok, and is no success."""
import json

import pytest
from typer.testing import CliRunner
from webfixtures import RU_PARAGRAPHS, UK_PARAGRAPHS, article_html, rss, site, write_config  # noqa: F401

import tracer.cli.app as app_module


def invoke(*args):
    return CliRunner().invoke(app_module.app, [str(a) for a in args])


def _summary(stdout: str, command: str) -> dict:
    [line] = [ln for ln in stdout.splitlines() if ln.startswith(f"tracer-{command} ")]
    return dict(kv.split("=", 1) for kv in line.split()[1:])


@pytest.fixture
def web(site, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")
    pages = [(f"P{i}", site.url(f"/p{i}")) for i in range(4)]
    site.add("/feed.xml", rss(pages), content_type="application/rss+xml")
    for i in range(4):
        site.add(f"/p{i}", article_html(f"Page {i}", RU_PARAGRAPHS if i % 2 else UK_PARAGRAPHS))
    return write_config(tmp_path / "sources.toml", {
        "web": {"type": "rss", "url": site.url("/feed.xml"), "lang": "auto", "kind": "original"}})


def _unreadable_pages(monkeypatch):
    """Pages download but cannot be read (as when the HTML cleaner is not installed)."""
    def broken(*a, **k):
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")

    monkeypatch.setattr("tracer.sources.fetch.extract_page", broken)


def test_every_page_failing_fails_the_fetch(web, index_dir, monkeypatch):
    _unreadable_pages(monkeypatch)
    r = invoke("--index", index_dir, "fetch", "--config", web)
    s = _summary(r.stdout, "fetch")
    assert (s["status"], s["sources_failed"], s["errors"], r.exit_code) == ("failed", "1", "4", 3)


def test_every_source_failing_fails_the_rebuild_and_is_no_success(web, index_dir, monkeypatch):
    r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", web)
    assert r.exit_code == 0 and _summary(r.stdout, "rebuild")["status"] == "ok", r.output
    good = json.loads(invoke("--index", index_dir, "status", "--json").stdout)["rebuild"]["last_success_at"]
    assert good
    _unreadable_pages(monkeypatch)
    r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", web, "--force")
    s = _summary(r.stdout, "rebuild")
    assert (s["status"], s["exit"]) == ("failed", "3"), r.output
    assert "every source failed" in r.stderr
    status = json.loads(invoke("--index", index_dir, "status", "--json").stdout)["rebuild"]
    assert status["last_rebuild"]["status"] == "failed"
    assert status["last_success_at"] == good  # the failed night is no success


def test_one_page_failing_is_partial_not_ok(web, index_dir, monkeypatch, site):
    site.add("/p3", "", status=404)
    r = invoke("--index", index_dir, "fetch", "--config", web)
    s = _summary(r.stdout, "fetch")
    assert (s["status"], s["sources_failed"], s["errors"], r.exit_code) == ("partial", "0", "1", 1)

"""corpora/sources.toml loads; a broken sources file fails in one line naming source and key."""
import pytest

from paths import ROOT
from tracer.errors import InputError
from tracer.sources.config import load_sources, parse_sources


def test_shipped_sources_file_loads():
    cfg = load_sources(ROOT / "corpora" / "sources.toml")
    names = cfg.names()
    assert {"gazeta-ru", "rada-news", "example"} <= set(names)
    gazeta, rada, example = cfg.get("gazeta-ru"), cfg.get("rada-news"), cfg.get("example")
    assert gazeta.type == "rss" and gazeta.lang == "ru" and gazeta.url.startswith("https://www.gazeta.ru/")
    assert rada.lang == "uk" and rada.kind == "original" and "rada.gov.ua" in rada.url
    assert rada.http.rate_limit < gazeta.http.rate_limit  # per-source override of [defaults]
    assert {s.lang for s in cfg.sources} >= {"ru", "uk", "en"}
    assert example.type == "directory" and example.kind == "original"
    assert example.path == (ROOT / "corpora" / "example").resolve() and example.path.is_dir()
    assert gazeta.wants("https://www.gazeta.ru/politics/2025/09/17/1.shtml")
    assert not gazeta.wants("https://www.gazeta.ru/photo/1.shtml")
    assert not gazeta.wants("https://example.com/politics/")
    assert gazeta.http.user_agent.startswith("tracer/")
    assert gazeta.http.max_bytes == 5 * 1024 * 1024


def test_select_and_unknown_source():
    cfg = load_sources(ROOT / "corpora" / "sources.toml")
    assert [s.name for s in cfg.select(["rada-news"])] == ["rada-news"]
    with pytest.raises(InputError, match="no source named 'nope'"):
        cfg.select(["nope"])


def _toml(tmp_path, text):
    p = tmp_path / "sources.toml"
    p.write_text(text, encoding="utf-8")
    return p


FEED = '[sources.news]\ntype = "rss"\nurl = "https://example.org/rss"\nlang = "ru"\nkind = "original"\n'


@pytest.mark.parametrize("text, fragments", [
    (FEED + 'rate_limit = "fast"\n', ["source 'news'", "key 'rate_limit'", "expected a number"]),
    (FEED + 'timeout = -1\n', ["source 'news'", "key 'timeout'", "between"]),
    (FEED + "include = ['([unclosed']\n", ["source 'news'", "key 'include'", "not a valid regular expression"]),
    (FEED + 'colour = "red"\n', ["source 'news'", "unknown key 'colour'"]),
    (FEED.replace('lang = "ru"', 'lang = "de"'), ["source 'news'", "key 'lang'", "en, ru, uk"]),
    (FEED.replace('kind = "original"', 'kind = "news"'), ["source 'news'", "key 'kind'"]),
    (FEED.replace('url = "https://example.org/rss"\n', ''), ["source 'news'", "missing key 'url'"]),
    (FEED.replace('https://example.org/rss', 'ftp://example.org/rss'), ["key 'url'", "http"]),
    (FEED.replace('type = "rss"', 'type = "twitter"'), ["key 'type'", "rss, atom, sitemap, directory, jsonl"]),
    ('[sources.local]\ntype = "directory"\nlang = "ru"\nkind = "original"\n', ["source 'local'", "missing key 'path'"]),
    ('[defaults]\nurl = "https://x.org"\n' + FEED, ["[defaults]", "key 'url' must be set per source"]),
    ('[defaults]\nretries = 2.5\n' + FEED, ["[defaults]", "key 'retries'", "whole number"]),
    ('[sourcez.news]\ntype = "rss"\n', ["unknown table 'sourcez'"]),
    ('title = "x"\n', ["unknown table 'title'"]),
    ('[defaults]\n', ["no sources defined"]),
    (FEED + 'content = "feed"\n[sources.sm]\ntype = "sitemap"\nurl = "https://x.org/s.xml"\nlang = "en"\n'
     'kind = "article"\ncontent = "feed"\n', ["source 'sm'", "key 'content'"]),
    ('[sources.news\ntype = "rss"\n', ["not valid TOML"]),
])
def test_bad_sources_file_is_one_clear_line(tmp_path, text, fragments):
    with pytest.raises(InputError) as err:
        load_sources(_toml(tmp_path, text))
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("sources.toml")
    for fragment in fragments:
        assert fragment in message, message


def test_missing_file_and_relative_paths(tmp_path):
    with pytest.raises(InputError, match="sources file not found"):
        load_sources(tmp_path / "nope.toml")
    (tmp_path / "dump").mkdir()
    cfg = parse_sources(
        {"sources": {"d": {"type": "jsonl", "path": "dump/x.jsonl", "lang": "en", "kind": "article"}}},
        tmp_path / "sources.toml",
    )
    assert cfg.get("d").path == (tmp_path / "dump" / "x.jsonl").resolve()  # relative to the file, not the cwd


def test_defaults_apply_and_sources_override():
    cfg = parse_sources({
        "defaults": {"rate_limit": 2.0, "max_page_mb": 1, "user_agent": "ua/1"},
        "sources": {
            "a": {"type": "rss", "url": "https://a.org/rss", "lang": "en", "kind": "article"},
            "b": {"type": "atom", "url": "https://b.org/atom", "lang": "uk", "kind": "original", "rate_limit": 0.1,
                  "enabled": False},
        },
    }, "sources.toml")
    a, b = cfg.get("a"), cfg.get("b")
    assert a.http.rate_limit == 2.0 and b.http.rate_limit == 0.1
    assert a.http.max_bytes == 1024 * 1024 and a.http.user_agent == "ua/1"
    assert [s.name for s in cfg.select()] == ["a"]  # disabled sources run only when named
    assert [s.name for s in cfg.select(["b"])] == ["b"]

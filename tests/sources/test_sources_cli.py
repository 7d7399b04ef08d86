"""`tracer fetch` / `tracer rebuild`: exit codes, the monitoring line, help with examples."""
import json

import pytest
from typer.testing import CliRunner
from webfixtures import RU_PARAGRAPHS, UK_PARAGRAPHS, article_html, rss, site, write_config  # noqa: F401

import tracer.cli.app as app_module
from fakes import FakeEncoder
from tracer.api import Tracer
from tracer.cli.sources_cmds import register
from tracer.index.versions import IndexVersions

register(app_module.app)
register(app_module.app)  # idempotent: the app may already register the commands itself


@pytest.fixture
def fake_cli(monkeypatch):
    """CLI commands get a Tracer with the FakeEncoder (fast; plumbing only)."""
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")


def invoke(*args):
    return CliRunner().invoke(app_module.app, [str(a) for a in args])


def _summary(stdout: str, command: str) -> dict:
    [line] = [ln for ln in stdout.splitlines() if ln.startswith(f"tracer-{command} ")]
    return dict(kv.split("=", 1) for kv in line.split()[1:])


@pytest.fixture
def web_config(site, tmp_path):
    site.add("/feed.xml", rss([("A", site.url("/a")), ("B", site.url("/b"))]), content_type="application/rss+xml")
    site.add("/a", article_html("Заявление командующего", RU_PARAGRAPHS))
    site.add("/b", article_html("Рішення Ради", UK_PARAGRAPHS))
    site.add("/down.xml", "", status=500, content_type="text/plain")
    return write_config(tmp_path / "sources.toml", {
        "web": {"type": "rss", "url": site.url("/feed.xml"), "lang": "auto", "kind": "original"},
        "down": {"type": "rss", "url": site.url("/down.xml"), "lang": "ru", "kind": "original", "enabled": False},
    })


def test_commands_registered_with_examples():
    names = {c.name for c in app_module.app.registered_commands}
    assert {"fetch", "rebuild"} <= names
    assert sum(1 for c in app_module.app.registered_commands if c.name == "rebuild") == 1
    for command in ("fetch", "rebuild"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "Example: tracer" in result.output


def test_rebuild_ok_then_nothing_new(fake_cli, web_config, index_dir):
    r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", web_config)
    assert r.exit_code == 0, r.output
    s = _summary(r.stdout, "rebuild")
    assert (s["status"], s["version"], s["docs_new"], s["errors"], s["exit"]) == ("ok", "v000001", "2", "0", "0")
    assert "built v000001" in r.stderr
    r = invoke("--index", index_dir, "--quiet", "rebuild", "--fetch", "--config", web_config)
    assert r.exit_code == 0
    assert _summary(r.stdout, "rebuild")["docs_new"] == "0" and r.stderr == ""  # --quiet: only the summary


def test_rebuild_partial_exit_1_and_json(fake_cli, web_config, index_dir):
    r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", web_config,
               "--source", "web", "--source", "down", "--json")
    assert r.exit_code == 1, r.output
    record = json.loads(r.stdout)
    assert record["status"] == "partial" and record["sources_failed"] == ["down"]
    assert _summary(r.stderr, "rebuild")["status"] == "partial"  # with --json the line goes to stderr
    assert "tracer: error: down: cannot read the feed: server error 500" in r.stderr


def test_rebuild_busy_exit_75(fake_cli, web_config, index_dir):
    with IndexVersions(index_dir).lock():
        r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", web_config)
    assert r.exit_code == 75
    assert _summary(r.stdout, "rebuild")["status"] == "busy"
    assert "tracer: another rebuild is running" in r.stderr


def test_rebuild_index_problem_exit_3(fake_cli, index_dir):
    r = invoke("--index", index_dir, "rebuild")
    assert r.exit_code == 3
    assert _summary(r.stdout, "rebuild")["status"] == "failed"
    assert "no tracer index at" in r.stderr and "no index version exists yet" in r.stderr


def test_bad_sources_file_exit_2(fake_cli, tmp_path, index_dir):
    bad = tmp_path / "bad.toml"
    bad.write_text('[sources.x]\ntype = "rss"\nurl = "https://x.org/rss"\nlang = "ru"\nkind = "original"\n'
                   'rate_limit = 0\n')
    r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", bad)
    assert r.exit_code == 2
    assert r.stderr.strip() == ("tracer: bad.toml: source 'x': key 'rate_limit': expected a value between "
                                "0.001 and 1000, got 0")


def test_fetch_command(fake_cli, web_config, index_dir):
    r = invoke("--index", index_dir, "fetch", "--config", web_config)
    assert r.exit_code == 0, r.output
    s = _summary(r.stdout, "fetch")
    assert (s["status"], s["docs_new"], s["sources"], s["sources_failed"]) == ("ok", "2", "1", "0")
    assert "run `tracer build`" in r.stderr
    with Tracer(index_dir, encoder=FakeEncoder()) as t:
        assert t.store.document_count() == 2
    r = invoke("--index", index_dir, "fetch", "--config", web_config, "--source", "down")
    s = _summary(r.stdout, "fetch")  # the only source failed: the fetch failed
    assert (r.exit_code, s["status"], s["sources_failed"]) == (3, "failed", "1")
    r = invoke("--index", index_dir, "fetch", "--config", web_config, "--source", "nope")
    assert r.exit_code == 2 and "no source named 'nope'" in r.stderr


@pytest.mark.e2e
def test_end_to_end_rebuild_with_the_real_model(monkeypatch, site, tmp_path, index_dir, real_encoder):
    """Fetch two tiny pages from the local server, rebuild, and look a quote up in the new version."""
    site.add("/feed.xml", rss([("A", site.url("/a")), ("B", site.url("/b"))]), content_type="application/rss+xml")
    site.add("/a", article_html("Заявление командующего", RU_PARAGRAPHS).encode("cp1251"),
             content_type="text/html; charset=windows-1251")
    site.add("/b", article_html("Рішення Ради", UK_PARAGRAPHS))
    config = write_config(tmp_path / "sources.toml", {
        "web": {"type": "rss", "url": site.url("/feed.xml"), "lang": "auto", "kind": "original"}})
    r = invoke("--index", index_dir, "rebuild", "--fetch", "--config", config)
    assert r.exit_code == 0, r.output
    assert _summary(r.stdout, "rebuild")["version"] == "v000001"
    with Tracer(index_dir, encoder=real_encoder) as t:
        result = t.lookup("The Verkhovna Rada passed the bill in the first reading", k=1)
        assert result.matches[0].url == site.url("/b")
        assert t.status()["current_version"] == "v000001"


def test_a_sources_file_named_without_fetch_is_checked_not_ignored(fake_cli, tmp_path, index_dir):
    r = invoke("--index", index_dir, "rebuild", "--config", tmp_path / "missing.toml")
    assert r.exit_code == 2
    assert r.stderr.strip() == (f"tracer: the sources file {tmp_path / 'missing.toml'} does not exist "
                                "(and is only read with --fetch)")
    present = tmp_path / "sources.toml"
    present.write_text("", encoding="utf-8")
    r = invoke("--index", index_dir, "rebuild", "--config", present)
    assert "is only read with --fetch" in r.stderr

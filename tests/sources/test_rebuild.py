"""Nightly rebuilds with the FakeEncoder: incremental, locked, recorded, crash-safe."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from webfixtures import RU_PARAGRAPHS, UK_PARAGRAPHS, article_html, rss, site, write_config  # noqa: F401

from paths import ROOT
from fakes import FakeEncoder
from tracer.api import Tracer
from tracer.errors import TracerError
from tracer.index.versions import IndexVersions
from tracer.index.layout import IndexDir
from tracer.sources.rebuild import EXIT_BUSY, RebuildBusy
from tracer.sources.records import RunRecords, rebuild_status

TESTS = Path(__file__).resolve().parents[1]


def _doc(folder: Path, name: str, text: str, lang: str = "ru") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(f"---\ntitle: {name}\nlang: {lang}\n---\n{text}\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    _doc(folder, "one", " ".join(RU_PARAGRAPHS))
    _doc(folder, "two", " ".join(UK_PARAGRAPHS), "uk")
    return folder


@pytest.fixture
def config(tmp_path, corpus):
    return write_config(tmp_path / "sources.toml", {
        "local": {"type": "directory", "path": str(corpus), "lang": "auto", "kind": "original"},
    })


def _tracer(index_dir, encoder=None):
    return Tracer(index_dir, encoder=encoder or FakeEncoder())


def test_two_rebuilds_embed_only_new_texts(index_dir, config, corpus):
    fake = FakeEncoder()
    with _tracer(index_dir, fake) as t:
        first = t.rebuild(config, fetch=True)
        assert (first.status, first.exit_code, first.version, first.built) == ("ok", 0, "v000001", True)
        assert first.docs_new == 2 and first.embedded == first.segments > 0 and first.cached == 0
        assert set(first.durations) == {"fetch", "ingest", "build"}
        assert first.encoder_id == fake.id and first.documents == 2

        _doc(corpus, "three", "Новый документ появился ночью. Командующий сделал еще одно заявление о снабжении.")
        fake.calls.clear()
        second = t.rebuild(config, fetch=True)
        assert (second.status, second.version, second.previous_version) == ("ok", "v000002", "v000001")
        assert second.docs_new == 1 and [d["title"] for d in second.new_documents] == ["three"]
        new_segments = second.segments - first.segments
        assert 0 < second.embedded <= new_segments and second.cached == first.segments
        assert sum(fake.calls) == second.embedded  # only the new texts reached the encoder

        third = t.rebuild(config, fetch=True)  # nothing changed: no new version
        assert (third.status, third.version, third.built, third.docs_new) == ("ok", "v000002", False, 0)
        assert any("nothing new to embed" in n for n in third.notes)
        assert IndexVersions(index_dir).current()[0] == "v000002"

    line = second.summary_line()
    assert line.startswith("tracer-rebuild status=ok version=v000002 docs_new=1 ")
    fields = dict(kv.split("=", 1) for kv in line.split()[1:])
    assert fields["errors"] == "0" and fields["exit"] == "0" and float(fields["seconds"]) >= 0


def test_run_records_and_status(index_dir, config):
    with _tracer(index_dir) as t:
        report = t.rebuild(config, fetch=True)
    records = sorted((index_dir / "rebuilds").glob("*.json"))
    assert len(records) == 1
    rec = json.loads(records[0].read_text())
    last = json.loads((index_dir / "last_rebuild.json").read_text())
    assert rec == last and rec["status"] == "ok" and rec["run_id"] == records[0].stem
    for key in ("started_at", "finished_at", "seconds", "docs_new", "new_documents", "encoder_id", "durations",
                "errors", "sources", "version", "segments", "summary", "exit_code"):
        assert key in rec, key
    assert rec["sources"][0]["name"] == "local" and rec["summary"] == report.summary_line()

    status = rebuild_status(IndexDir(index_dir), max_age_hours=36)
    assert status["last_rebuild"]["status"] == "ok" and status["last_rebuild"]["version"] == "v000001"
    assert status["stale"] is False and status["warnings"] == [] and status["running"] is None
    assert 0 <= status["last_rebuild_age_hours"] < 1 and status["last_success_at"] == rec["finished_at"]
    old = rebuild_status(IndexDir(index_dir), max_age_hours=0)
    assert old["stale"] is True and "check the nightly rebuild" in old["warnings"][0]


def test_rebuild_status_without_any_run(index_dir):
    status = rebuild_status(IndexDir(index_dir))
    assert status["last_rebuild"] is None and status["warnings"] == ["no index has been built yet"]


def test_lock_held_refuses_a_second_rebuild(index_dir, config):
    with _tracer(index_dir) as t:
        t.rebuild(config, fetch=True)
        with IndexVersions(index_dir).lock():
            with pytest.raises(RebuildBusy) as err:
                t.rebuild(config, fetch=True)
            assert err.value.exit_code == EXIT_BUSY == 75
            assert f"another rebuild is running (pid {os.getpid()}" in str(err.value)
            status = rebuild_status(IndexDir(index_dir))
            assert status["running"]["pid"] == os.getpid()
    assert len(list((index_dir / "rebuilds").glob("*.json"))) == 1  # the refused run left no record


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_lock_of_a_dead_process_is_cleared(index_dir, config):
    index_dir.mkdir(parents=True)
    pid = _dead_pid()
    (index_dir / "rebuild.lock").write_text(json.dumps(
        {"pid": pid, "hostname": os.uname().nodename, "started_at": "2025-09-17T01:00:00+00:00"}))
    with _tracer(index_dir) as t:
        report = t.rebuild(config, fetch=True)
    assert report.status == "ok"
    assert any(f"cleared a stale rebuild lock left by pid {pid}" in n for n in report.notes)
    assert (index_dir / "rebuild.lock").read_text() == ""  # released cleanly afterwards


def test_failed_build_keeps_previous_version_and_next_run_recovers(index_dir, config, corpus):
    class Failing(FakeEncoder):
        def encode_document(self, texts, **kw):
            raise TracerError("the encoder ran out of memory")

    with _tracer(index_dir) as t:
        assert t.rebuild(config, fetch=True).version == "v000001"
    _doc(corpus, "late", "Поздний документ о заседании парламента и новых правилах службы.")
    with _tracer(index_dir, Failing()) as t:
        failed = t.rebuild(config, fetch=True)
    assert (failed.status, failed.exit_code, failed.version, failed.built) == ("failed", 3, "v000001", False)
    assert failed.errors == ("the encoder ran out of memory",)
    assert IndexVersions(index_dir).current()[0] == "v000001"
    assert not [p for p in (index_dir / "versions").iterdir() if p.name.startswith(".tmp")]
    warn = rebuild_status(IndexDir(index_dir))["warnings"]
    assert warn == ["the last rebuild failed: the encoder ran out of memory"]
    with _tracer(index_dir) as t:
        again = t.rebuild(config, fetch=True)
    assert (again.status, again.version) == ("ok", "v000002")
    assert again.docs_new == 0  # ingested by the failed run already; only the build was missing


def test_partial_when_a_source_fails(index_dir, site, tmp_path, corpus):
    site.add("/feed.xml", rss([("A", site.url("/a"))]), content_type="application/rss+xml")
    site.add("/a", article_html("Заявление командующего", RU_PARAGRAPHS))
    site.add("/down.xml", "no", status=503, content_type="text/plain")
    config = write_config(tmp_path / "sources.toml", {
        "local": {"type": "directory", "path": str(corpus), "lang": "auto", "kind": "original"},
        "web": {"type": "rss", "url": site.url("/feed.xml"), "lang": "ru", "kind": "original"},
        "down": {"type": "rss", "url": site.url("/down.xml"), "lang": "uk", "kind": "original"},
    })
    with _tracer(index_dir) as t:
        report = t.rebuild(config, fetch=True)
        assert t.store.document_count() == 3
    assert (report.status, report.exit_code, report.version) == ("partial", 1, "v000001")
    assert report.sources_failed == ("down",) and report.docs_new == 3
    assert report.errors[0].startswith("down: cannot read the feed: server error 503")
    assert "sources_failed=1" in report.summary_line() and "exit=1" in report.summary_line()
    web = next(d for d in report.new_documents if d["source"] == "web")
    assert web["url"] == site.url("/a") and web["title"] == "Заявление командующего"
    # fetched documents reached the store: the spool is empty
    from tracer.sources.state import FetchState

    with FetchState(index_dir / "fetch") as st:
        assert st.pending() == []


def test_rebuild_without_fetch_builds_what_is_pending(index_dir):
    with _tracer(index_dir) as t:
        t.ingest([ROOT / "corpora" / "example" / "ru"])
        report = t.rebuild(None, fetch=False)
    assert (report.status, report.version, report.fetch) == ("ok", "v000001", False)
    assert report.sources == () and "fetch" not in report.durations


def test_nothing_to_build_is_an_index_problem(index_dir):
    with _tracer(index_dir) as t:
        report = t.rebuild(None, fetch=False)
    assert (report.status, report.exit_code, report.version) == ("failed", 3, None)
    assert "tracer ingest" in report.errors[0]


KILLED_CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path[:0] = [{tests!r}, {root!r}]
    from fakes import FakeEncoder
    from tracer.api import Tracer
    from tracer.sources.rebuild import rebuild

    class Slow(FakeEncoder):
        def encode_document(self, texts, **kw):
            Path({marker!r}).write_text("embedding")
            time.sleep(60)  # killed here, in the middle of the build
            return super().encode_document(texts, **kw)

    rebuild(Tracer({index!r}, encoder=Slow()), {config!r}, fetch=True)
""")


def test_kill_during_rebuild_leaves_previous_version_and_next_run_recovers(index_dir, config, corpus, tmp_path):
    with _tracer(index_dir) as t:
        assert t.rebuild(config, fetch=True).version == "v000001"
    _doc(corpus, "night", "Ночной документ о новых поставках и заявлениях министерства обороны.")
    marker = tmp_path / "marker"
    code = KILLED_CHILD.format(tests=str(TESTS), root=str(ROOT), marker=str(marker), index=str(index_dir),
                               config=str(config))
    child = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the child never reached the build"
            time.sleep(0.05)
        assert rebuild_status(IndexDir(index_dir))["running"]["pid"] == child.pid
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stderr.close()

    assert IndexVersions(index_dir).current()[0] == "v000001"  # still serving
    status = rebuild_status(IndexDir(index_dir))
    assert status["last_rebuild"]["status"] == "crashed" and status["running"] is None
    assert any("crashed" in w for w in status["warnings"])

    with _tracer(index_dir) as t:
        report = t.rebuild(config, fetch=True)
        assert t.store.document_count() == 3  # the document ingested before the kill is kept
    assert (report.status, report.version) == ("ok", "v000002")
    assert any(f"cleared a stale rebuild lock left by pid {child.pid}" in n for n in report.notes)
    assert any("had stopped without finishing" in n for n in report.notes)
    crashed = [json.loads(p.read_text()) for p in sorted((index_dir / "rebuilds").glob("*.json"))]
    assert [r["status"] for r in crashed] == ["ok", "crashed", "ok"]
    assert RunRecords(IndexDir(index_dir)).latest()["status"] == "ok"

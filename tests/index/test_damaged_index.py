"""A damaged index says so in one line; a read-only index can still be queried."""
import json
import os
import shutil
import stat
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import tracer.cli.app as app_module
from paths import ROOT

DOCS = [{"id": f"d{i}", "text": f"Document number {i} tells how the parliament voted on bill {i} this week."}
        for i in range(6)]


def cli(index, *args):
    return CliRunner().invoke(app_module.app, ["--index", str(index), *args])


@pytest.fixture
def fake_cli(monkeypatch):
    """CLI commands get a Tracer with the FakeEncoder (fast; plumbing only)."""
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")


@pytest.fixture
def built(tmp_path, fake_cli):
    index = tmp_path / "index"
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    assert cli(index, "ingest", str(tmp_path / "docs.jsonl")).exit_code == 0
    assert cli(index, "build").exit_code == 0
    return index


def test_garbage_database_is_reported_as_damage(built, fake_cli):
    (built / "tracer.db").write_bytes(b"this is not a database, just bytes " * 200)
    for f in built.glob("tracer.db-*"):
        f.unlink()
    for args in (("status",), ("lookup", "the parliament voted"), ("ingest", str(built.parent / "docs.jsonl"))):
        r = cli(built, *args)
        assert r.exit_code == 3, r.output
        assert "index damaged" in r.stderr and "tracer.db" in r.stderr and "internal error" not in r.stderr


def test_truncated_vector_index_is_reported_and_a_build_replaces_it(built, fake_cli):
    version = built / "versions" / "v000001"
    faiss_file = version / "index.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    r = cli(built, "lookup", "the parliament voted")
    assert r.exit_code == 3
    assert "index damaged" in r.stderr and faiss_file.name in r.stderr and "run `tracer build`" in r.stderr
    r = cli(built, "status", "--json")  # monitoring hears of it too
    assert any("index damaged" in w for w in json.loads(r.stdout)["rebuild"]["warnings"])
    r = cli(built, "build")  # nothing new, but the serving version is damaged: a new one is written
    assert r.exit_code == 0 and "built v000002" in r.stderr, r.output
    assert cli(built, "lookup", "the parliament voted", "--json").exit_code == 0


def test_nothing_new_publishes_nothing(built, fake_cli):
    r = cli(built, "build")
    assert r.exit_code == 0 and "nothing new" in r.stderr and "v000001 stays current" in r.stderr
    assert sorted(p.name for p in (built / "versions").iterdir()) == ["v000001"]
    r = cli(built, "build", "--force")
    assert r.exit_code == 0 and "built v000002" in r.stderr


def _read_only(path):
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            p = os.path.join(root, name)
            os.chmod(p, os.stat(p).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    os.chmod(path, os.stat(path).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def test_read_only_index_answers_status_and_lookup(built, tmp_path):
    cmd = [sys.executable, "-m", "tracer", "--index", str(built)]
    if os.geteuid() == 0:  # root writes anywhere: run without the capability that allows it
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make the index read-only for tracer")
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] + cmd
    env = dict(os.environ, TRACER_ENCODER="py:fakes:FakeEncoder",
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    _read_only(built)
    try:
        for args in (["status"], ["lookup", "the parliament voted", "--json"]):
            p = subprocess.run(cmd + args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
            assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["matches"]
    finally:
        for root, dirs, files in os.walk(built):
            for name in dirs + files:
                os.chmod(os.path.join(root, name), 0o755)
        os.chmod(built, 0o755)

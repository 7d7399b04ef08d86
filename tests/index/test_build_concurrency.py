"""A build works on what was stored when it started: an ingest meanwhile never breaks it."""
import json
import os
import subprocess
import sys
import time

from fakes import FakeEncoder
from paths import ROOT
from tracer.api import Tracer

DOCS = [{"id": f"d{i}", "text": f"Document number {i} tells how the parliament voted on bill {i} this week."}
        for i in range(6)]
MORE = [{"id": f"m{i}", "text": f"A later story {i} says the minister resigned after the vote on Friday."}
        for i in range(4)]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _tracer_cli(index, *args, env=None):
    e = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]), **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "tracer", "--index", str(index), *args], cwd=ROOT, env=e,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_ingest_during_a_build_waits_for_the_next_build(tmp_path):
    index = tmp_path / "index"
    with Tracer(index, encoder=FakeEncoder()) as t:
        t.ingest([_jsonl(tmp_path / "docs.jsonl", DOCS)])
        before = t.store.segment_count()
    gate = tmp_path / "gate"
    gate.mkdir()
    build = _tracer_cli(index, "build", env={"TRACER_ENCODER": "py:fakes:GatedFakeEncoder",
                                             "TRACER_TEST_GATE": str(gate)})
    try:
        deadline = time.monotonic() + 120
        while not (gate / "started").exists():
            assert build.poll() is None and time.monotonic() < deadline, build.communicate()
            time.sleep(0.05)
        # The build is embedding: a second process ingests more documents.
        ingest = _tracer_cli(index, "ingest", str(_jsonl(tmp_path / "more.jsonl", MORE)))
        out, err = ingest.communicate(timeout=120)
        assert ingest.returncode == 0, err
    finally:
        (gate / "go").touch()
        out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert "built v000001" in err
    with Tracer(index, encoder=FakeEncoder()) as t:
        assert t.index.current().manifest["count"] == before  # the snapshot taken when the build started
        assert t.store.document_count() == len(DOCS) + len(MORE)
        report = t.build()  # the next build takes the new documents
        assert report.built and report.segments == t.store.segment_count() > before

"""scripts/nightly-rebuild.sh as cron runs it: real processes, a tiny corpus, the FakeEncoder
(the real model's end-to-end rebuild is in test_sources_cli.py)."""
import os
import stat
import subprocess
import sys
from pathlib import Path

from webfixtures import RU_PARAGRAPHS, UK_PARAGRAPHS, write_config

from paths import ROOT

TESTS = Path(__file__).resolve().parents[1]

# The `tracer` the script runs: the real CLI with the FakeEncoder chosen by the
# TRACER_ENCODER setting (an encoder class importable on the path).
FAKE_ENCODER = "py:fakes:FakeEncoder"


def _env() -> dict:
    """The environment of a child process: no TRACER_* settings of the caller, tracer importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), str(TESTS), os.environ.get("PYTHONPATH")) if p)
    env["TRACER_ENCODER"] = FAKE_ENCODER
    return env


def test_nightly_script_rebuilds_and_prints_the_monitoring_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ru.md").write_text("---\nlang: ru\ntitle: ru\n---\n" + " ".join(RU_PARAGRAPHS), encoding="utf-8")
    (corpus / "uk.md").write_text("---\nlang: uk\ntitle: uk\n---\n" + " ".join(UK_PARAGRAPHS), encoding="utf-8")
    config = write_config(tmp_path / "sources.toml", {
        "local": {"type": "directory", "path": str(corpus), "lang": "auto", "kind": "original"}})
    wrapper = tmp_path / "tracer"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tracer "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    env = _env()
    env.update(TRACER_INDEX=str(tmp_path / "index"), TRACER_SOURCES=str(config), TRACER_BIN=str(wrapper),
               TRACER_LOG_DIR=str(tmp_path / "logs"))

    def run():
        return subprocess.run(["bash", str(ROOT / "scripts" / "nightly-rebuild.sh")], capture_output=True,
                              text=True, env=env, timeout=300)

    first = run()
    assert first.returncode == 0, first.stderr
    last = first.stdout.strip().splitlines()[-1]
    assert last.startswith("tracer-rebuild status=ok version=v000001 docs_new=2 "), first.stdout
    assert "Traceback" not in first.stderr
    second = run()
    assert second.returncode == 0, second.stderr
    assert "status=ok version=v000001 docs_new=0" in second.stdout  # nothing new: no new version
    [log] = list((tmp_path / "logs").iterdir())
    assert log.read_text().count("tracer-rebuild status=ok") == 2
    assert (tmp_path / "index" / "last_rebuild.json").is_file()


# An encoder that signals when the build starts embedding, then stalls there.
SLOW_ENCODER = """
import time
from pathlib import Path
from fakes import FakeEncoder

class Slow(FakeEncoder):
    def encode_document(self, texts, **kw):
        Path({marker!r}).write_text("embedding")
        time.sleep(60)  # stopped here by SIGTERM
        return super().encode_document(texts, **kw)
"""


def test_sigterm_stops_a_rebuild_in_order(tmp_path):
    """systemd stops a unit with SIGTERM: the run ends as "interrupted", exit 130, nothing published."""
    import json
    import signal
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ru.md").write_text("---\nlang: ru\n---\n" + " ".join(RU_PARAGRAPHS), encoding="utf-8")
    config = write_config(tmp_path / "sources.toml", {
        "local": {"type": "directory", "path": str(corpus), "lang": "auto", "kind": "original"}})
    marker = tmp_path / "marker"
    script = tmp_path / "slow_encoder.py"
    script.write_text(SLOW_ENCODER.format(marker=str(marker)))
    index = tmp_path / "index"
    env = _env()
    env.update(TRACER_ENCODER="py:slow_encoder:Slow", PYTHONPATH=os.pathsep.join((str(tmp_path), env["PYTHONPATH"])))
    proc = subprocess.Popen([sys.executable, "-m", "tracer", "--index", str(index), "rebuild", "--fetch",
                             "--config", str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert out.strip().splitlines()[-1] == "tracer-rebuild status=interrupted exit=130"
    assert err.strip().splitlines()[-1] == "tracer: interrupted; the previous index version keeps serving"
    record = json.loads((index / "last_rebuild.json").read_text())
    assert record["status"] == "interrupted" and record["version"] is None
    assert not (index / "CURRENT").exists()


def test_nightly_script_help_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    wrapper = tmp_path / "tracer"
    wrapper.write_text(f'#!/bin/sh\ntouch "{marker}"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    env = dict(_env(), TRACER_BIN=str(wrapper))
    script = str(ROOT / "scripts" / "nightly-rebuild.sh")
    for flag in ("--help", "-h"):
        p = subprocess.run(["bash", script, flag], capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, p.stderr
        assert "Usage:" in p.stdout and "Exit codes" in p.stdout and "TRACER_SOURCES" in p.stdout
    p = subprocess.run(["bash", script, "--fetch"], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 2 and "--help" in p.stderr
    assert not marker.exists()  # neither asking for help nor a stray argument started a rebuild

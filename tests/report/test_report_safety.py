"""What the renderers and the report writer do with hostile or awkward input (no model needed)."""
from __future__ import annotations

import os

import pytest
from conftest import make_trace

from tracer.errors import InputError
from tracer.report import render, write_report
from tracer.report.text import render_text

ESC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
RLO = "\u202e"
NOTE = "no machine translation installed for ru→en; install one with `tracer models install FILE.argosmodel`"


def _no_claims_trace() -> dict:
    trace = make_trace()
    trace["claims"] = []
    return trace


def _report_data(n: int = 3) -> dict:
    diff = {"quote": "we have 250,000 deserters", "original": "у нас 250 тыс. дезертиров", "quote_lang": "en",
            "source_lang": "ru", "issues": [], "alignment": [], "mt": None, "notes": [NOTE], "basis": "origin",
            "doc_id": "g1", "source": "gazeta.ru", "date": "2025-10-01", "url": None}
    claims = [{"claim_id": f"c{i}", "kind": "quote", "text": f"we have 250,000 deserters {RLO}", "verdict": "traced",
               "confidence": 0.9, "speaker": "she", "matches": [], "chain": [], "diff": diff, "flags": []}
              for i in range(1, n + 1)]
    return {"article": {"id": "a1", "title": f"Report of 2025-10-01 {RLO}evil", "lang": "en", "date": "2025-10-01"},
            "claims": claims, "legend": {}, "generated": "2025-10-02 10:00 UTC",
            "summary": {"by_verdict": {"traced": n}, "claims": n, "issues": 0, "issues_by_kind_and_severity": {},
                        "issues_by_severity": {}, "top_sources": [{"source": "gazeta.ru", "lang": "ru",
                                                                    "date": "2025-10-01", "claims": n}]}}


def test_report_is_written_through_a_fresh_temp_file_never_a_planted_one(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "report.json"
    (tmp_path / "report.json.tmp").symlink_to(victim)  # what the old writer would have followed
    write_report(_no_claims_trace(), out)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert out.is_file() and not out.is_symlink() and '"claims": []' in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "report.json.tmp", "victim.txt"]
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # an ordinary file, not the temp file's 0600


def test_report_to_a_directory_is_a_clear_error_and_leaves_nothing(tmp_path):
    target = tmp_path / "reports.html"
    target.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        write_report(_no_claims_trace(), target)
    assert list(tmp_path.iterdir()) == [target] and not list(target.iterdir())


def test_text_notes_carry_no_terminal_control_sequences():
    trace = make_trace(quote=f"go to the bunker {CLEAR}", title=f"Title {ESC_TITLE}")
    trace["claims"][0]["matches"][0]["context_before"] = f"before {ESC_TITLE}"
    trace["claims"][0]["matches"][0]["source"] = f"gazeta{CLEAR}"
    text = render_text(trace)
    assert "\x1b" not in text and "\x07" not in text and RLO not in text
    assert "go to the bunker" in text and "\ufffd" in text


def test_terminal_views_carry_no_control_sequences(capsys):
    from tracer.cli.views import lookup_tables, status_view
    from tracer.types import LookupResult, Match

    m = Match(1, 0.1, "d1", 1, "ru", "original", f"src{ESC_TITLE}", "t", None, "2025-10-01",
              f"passage {CLEAR}", 0, 10, f"before {ESC_TITLE}", f"after {RLO}", sentence=f"passage {CLEAR}")
    lookup_tables([LookupResult("1", f"quote {CLEAR}", "en", [m])])
    status_view({"index_dir": f"idx{CLEAR}", "documents": 1, "segments": 1, "current_version": None,
                 "rebuild": {"warnings": [f"the last rebuild failed: page {ESC_TITLE}"]}})
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\x07" not in out.out + out.err and RLO not in out.out
    assert "passage" in out.out and "last rebuild failed" in out.err


def test_html_shows_bidi_overrides_instead_of_obeying_them():
    page = render(_report_data(), "html")
    assert RLO not in page and "U+202E" in page


def test_mt_notice_shown_once_with_the_command_as_code():
    page = render(_report_data(3), "html")
    assert page.count("no machine translation installed") == 1
    assert "<code>tracer models install FILE.argosmodel</code>" in page and "`" not in page
    md = render(_report_data(3), "md")
    assert md.count("no machine translation installed") == 1
    assert "`tracer models install FILE.argosmodel`" in md


def test_markdown_does_not_escape_dates_or_figures():
    md = render(_report_data(1), "md")
    assert "2025-10-01" in md and "2025\\-10\\-01" not in md
    assert "250,000" in md and "250 тыс." in md and "тыс\\." not in md
    assert RLO not in md


def test_text_best_match_shows_the_matched_passage():
    trace = make_trace(original="ты никто, иди в посадку")
    lines = render_text(trace).splitlines()
    best = next(line for line in lines if "Best match:" in line)
    assert "ты никто, иди в посадку" in best and "В Раде заявили" not in best
    assert any("headline:" in line and "В Раде заявили" in line for line in lines)

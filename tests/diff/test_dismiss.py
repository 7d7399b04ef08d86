"""Dismiss files: plain lines with comments, JSON lines, clear errors."""
from __future__ import annotations

import json

import pytest

from tracer.diff.dismiss import dismiss_line, load_dismissed, parse_dismissed
from tracer.errors import InputError

A, B, C = "meaning:0123456789abcdef", "number:fedcba9876543210", "addition:00000000000000ff"


def test_plain_and_json_lines_mixed(tmp_path):
    text = "\n".join([
        "# dismissed by the desk, 2025-10-03",
        "",
        f"{A}   # bunker -> посадку: checked, a known false flag",
        json.dumps({"fingerprint": B, "note": "250 тыс. is 250,000"}, ensure_ascii=False),
        json.dumps({"kind": "addition", "severity": "minor", "quote_span": [1, 2], "fingerprint": C}),
    ])
    path = tmp_path / "dismissed.txt"
    path.write_text("\ufeff" + text, encoding="utf-8")
    d = load_dismissed(path)
    assert d.fingerprints == {A, B, C} and A in d and len(d) == 3
    issues = [{"fingerprint": A}, {"fingerprint": "meaning:1111111111111111"}]
    assert d.mark(issues) == 1 and [i["dismissed"] for i in issues] == [True, False]


@pytest.mark.parametrize("line, fragment", [
    ("meaning:0123", "expected a fingerprint"),
    ("bunker -> посадку", "expected a fingerprint"),
    ("{not json", "invalid JSON"),
    ('{"note": "no fingerprint"}', "\"fingerprint\""),
    ('["meaning:0123456789abcdef"]', "\"fingerprint\""),
])
def test_a_bad_line_is_named(line, fragment):
    with pytest.raises(InputError) as err:
        parse_dismissed(f"{A}\n{line}\n", "d.txt")
    assert "d.txt, line 2" in str(err.value) and fragment in str(err.value)


def test_missing_or_binary_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_dismissed(tmp_path / "none.txt")
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="UTF-8"):
        load_dismissed(bad)
    assert len(load_dismissed(None)) == 0


def test_dismiss_line_round_trips():
    issue = {"fingerprint": A, "kind": "meaning", "quote_text": "the\nbunker", "source_text": "посадку"}
    line = dismiss_line(issue, "c12")
    assert line == f"{A}  # c12: the bunker → посадку"
    assert parse_dismissed(line).fingerprints == {A}

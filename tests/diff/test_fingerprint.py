"""Issue fingerprints: stable across re-traces (whitespace, quote marks, case,
offsets), different for another finding or another pair of texts."""
from __future__ import annotations

import re

from tracer.diff.fingerprint import FINGERPRINT_RE, issue_fingerprint, normalise
from tracer.diff.types import DiffIssue, DiffResult

Q, O = "you’re nothing, go to the bunker", "ты никто, иди в посадку"


def test_normalise_folds_what_extraction_changes():
    assert normalise("  «Ты  никто»,\n иди — в ПОСАДКУ! ") == normalise('"ты никто", иди - в посадку')
    assert normalise("всё") == normalise("все")
    assert normalise("you’re") == normalise("you're")


def test_fingerprint_ignores_offsets_and_typography():
    a = issue_fingerprint("meaning", "bunker", "посадку", Q, O)
    assert FINGERPRINT_RE.match(a) and a.startswith("meaning:")
    assert a == issue_fingerprint("meaning", " Bunker ", "посадку", "You're nothing,  go to the bunker.", "«Ты никто, иди в посадку»")
    # another kind, other words, or the same words in another pair: another finding
    assert a != issue_fingerprint("addition", "bunker", "посадку", Q, O)
    assert a != issue_fingerprint("meaning", "the bunker", "посадку", Q, O)
    assert a != issue_fingerprint("meaning", "bunker", "посадку", Q + " now", O)


def test_every_issue_in_the_json_has_its_fingerprint():
    issue = DiffIssue("meaning", "major", (26, 32), (16, 23), "bunker", "посадку", "…")
    moved = DiffIssue("meaning", "major", (30, 36), (20, 27), "bunker", "посадку", "…")
    r = DiffResult(Q, O, "en", "ru", (issue,), (), None, ())
    d = r.to_dict()["issues"][0]
    assert d["fingerprint"] == issue.fingerprint(Q, O) == moved.fingerprint(Q, O)
    assert re.match(r"^meaning:[0-9a-f]{16}$", d["fingerprint"])

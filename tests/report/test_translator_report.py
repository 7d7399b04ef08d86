"""The report for translators, without the model (a fake differ): which text a
claim is compared against, every claim with a candidate diffed and labelled by
verdict, issues by severity with the rest folded, the key findings, dismissals."""
from __future__ import annotations

import copy
import re

import pytest
from fake_diff import FakeDiffer

from tracer.diff.dismiss import DismissList
from tracer.report import build_report, render
from tracer.report.compare import comparison_text, diff_claim_text, embedded_pairs

SENTENCE = "Депутат Верховной рады Марьяна Безуглая заявила, что с начала конфликта часть самовольно покинули около 250 тыс. украинских военнослужащих."
HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
WINDOW = "часть самовольно покинули около 250 тыс. украинских военнослужащих."


def test_a_window_is_compared_as_matched_the_sentence_kept_as_context():
    rel = SENTENCE.index(WINDOW)
    m = {"segment_kind": "window", "text": WINDOW, "sentence": SENTENCE, "start": 500 + rel, "sentence_start": 500}
    assert comparison_text({"kind": "numeric"}, m) == (WINDOW, "passage")


def test_quote_segment_for_a_quote_claim_is_the_quoted_words():
    sentence = "«Ты никто, иди в посадку», — заявила Безуглая."
    m = {"segment_kind": "quote", "text": "Ты никто, иди в посадку", "sentence": sentence}
    assert comparison_text({"kind": "quote"}, m) == ("Ты никто, иди в посадку", "passage")
    # reported speech carries its own frame: the sentence's frame is its counterpart
    assert comparison_text({"kind": "reported"}, m) == (sentence, "sentence")
    assert comparison_text({"kind": "quote"}, {"segment_kind": "sentence", "text": sentence,
                                               "sentence": sentence}) == (sentence, "passage")


def test_inner_quotations_are_paired_and_diffed_on_their_own():
    quote = "The causes were ‘strange orders’ and practice, where ‘you’re nothing, go to the bunker’"
    original = 'Причинами стали "странные приказы" и практика, когда "ты никто, иди в посадку"'
    pairs = embedded_pairs(quote, original)
    assert [(quote[a:b], original[c:d]) for (a, b), (c, d) in pairs] == [
        ("strange orders", "странные приказы"), ("you’re nothing, go to the bunker", "ты никто, иди в посадку")]
    assert embedded_pairs(quote, "без кавычек") == []

    differ = FakeDiffer({"bunker": ("addition", "minor", "посадку")})
    d = diff_claim_text(differ, quote, original, quote_lang="en", source_lang="ru")
    # the long diff's issue inside the pair is replaced by the pair's own
    assert len(d["issues"]) == 1 and d["issues"][0].get("inner_quote")
    issue = d["issues"][0]
    assert quote[slice(*issue["quote_span"])] == "bunker"
    assert original[slice(*issue["source_span"])] == "посадку"
    assert differ.calls[1:] == [("strange orders", "странные приказы"),
                                ("you’re nothing, go to the bunker", "ты никто, иди в посадку")]  # each pair on its own


def _trace(trace_factory, verdict="traced"):
    t = copy.deepcopy(trace_factory())
    t["claims"][0]["verdict"] = verdict
    return t


def test_every_claim_with_a_candidate_is_diffed_and_labelled_by_verdict(trace_factory):
    differ = FakeDiffer({"bunker": ("meaning", "major", "посадку")})
    for verdict, basis in (("traced", "origin"), ("paraphrase", "origin"), ("unsourced", "closest passage")):
        data = build_report(_trace(trace_factory, verdict), differ=differ)
        d = data["claims"][0]["diff"]
        assert d["basis"] == basis
        assert data["claims"][1]["diff"] is None  # no candidate at all
    assert d["basis_label"] == "closest passage, not accepted as the origin"
    page = render(data, "html")
    assert "closest passage, not accepted as the origin" in page
    assert "Closest passage, not accepted as the origin" in render(data, "md")


MANY = {"bunker": ("meaning", "major", "посадку"), "nothing": ("negation", "minor", "никто"),
        "go": ("omission", "minor", "иди"), "the": ("addition", "minor", None),
        "you": ("name", "critical", "ты"), "to": ("hedge", "minor", None), "re": ("untranslated", "minor", None)}


def test_issues_by_severity_then_position_top_five_then_folded(trace_factory):
    data = build_report(_trace(trace_factory), differ=FakeDiffer(MANY))
    issues = data["claims"][0]["diff"]["issues"]
    ranks = [("critical", "major", "minor").index(i["severity"]) for i in issues]
    assert ranks == sorted(ranks) and issues[0]["kind"] == "name" and issues[1]["kind"] == "meaning"
    minors = [i["quote_span"][0] for i in issues if i["severity"] == "minor"]
    assert minors == sorted(minors)
    assert len(issues) == 7 and all(re.match(r"^[a-z]+:[0-9a-f]{16}$", i["fingerprint"]) for i in issues)

    page = render(data, "html")
    claim = page[page.index('id="c1"'):page.index('id="c2"')]
    shown = claim[:claim.index('<details class="more">')]
    assert shown.count('<li id="c1-i') == 5
    assert '<summary>2 more (less severe)</summary><ol class="issues" start="6">' in claim
    md = render(data, "md")
    block = md[md.index("### Claim c1"):md.index("### Claim c2")]
    assert "2 more (less severe):" in block and block.rstrip().splitlines()[-1].startswith("7. ")
    assert block.index("5. ") < block.index("2 more") < block.index("6. ")


def test_key_findings_list_critical_and_major_by_severity(trace_factory):
    t = _trace(trace_factory)
    second = copy.deepcopy(t["claims"][0])
    second.update(claim_id="c3", verdict="unsourced")
    t["claims"].append(second)
    data = build_report(t, differ=FakeDiffer(MANY))
    findings = data["summary"]["findings"]
    assert [(f["claim_id"], f["severity"], f["kind"], f["basis"]) for f in findings] == [
        ("c1", "critical", "name", "origin"), ("c3", "critical", "name", "closest passage"),
        ("c1", "major", "meaning", "origin"), ("c3", "major", "meaning", "closest passage")]
    assert findings[2]["quote_text"] == "bunker" and findings[2]["source_text"] == "посадку"
    page = render(data, "html")
    top = page[:page.index("<h2>Summary</h2>")]
    assert '<h2 id="findings">Key findings</h2>' in top and "“bunker”" in top and "“посадку”" in top
    assert "2 more against a closest passage, not accepted as the origin" in top
    md = render(data, "md")
    assert md.index("## Key findings") < md.index("## Summary")
    assert "| c1 | major | meaning | “bunker” → “посадку” |" in md


def test_dismissed_issues_are_hidden_counted_and_marked(trace_factory):
    data = build_report(_trace(trace_factory), differ=FakeDiffer(MANY))
    fp = {i["kind"]: i["fingerprint"] for i in data["claims"][0]["diff"]["issues"]}
    dismissed = DismissList(frozenset({fp["meaning"], fp["name"]}))
    data = build_report(_trace(trace_factory), differ=FakeDiffer(MANY), dismissed=dismissed)
    d = data["claims"][0]["diff"]
    assert len(d["issues"]) == 7 and d["dismissed"] == 2
    assert {i["kind"] for i in d["issues"] if i["dismissed"]} == {"meaning", "name"}
    s = data["summary"]
    assert s["dismissed"] == 2 and s["issues"] == 5 and s["findings"] == []
    assert "meaning" not in s["issues_by_kind"]
    page = render(data, "html")
    assert "2 dismissed issues hidden" in page and "k-meaning s-major" not in page
    assert "(dismiss file)" in render(data, "md")


def test_a_report_passes_through_build_report(trace_factory):
    data = build_report(_trace(trace_factory), differ=FakeDiffer(MANY))
    assert build_report(data) is data


def test_hostile_texts_stay_escaped_in_findings(trace_factory):
    t = _trace(trace_factory)
    t["claims"][0]["text"] = HOSTILE + " bunker"
    data = build_report(t, differ=FakeDiffer({"<script>": ("meaning", "major", None)}))
    page = render(data, "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    md = render(data, "md")
    assert "<script>" not in md


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_an_issue_shows_its_fingerprint(trace_factory, fmt):
    data = build_report(_trace(trace_factory), differ=FakeDiffer(MANY))
    fp = data["claims"][0]["diff"]["issues"][0]["fingerprint"]
    assert fp in render(data, fmt)


def test_a_report_without_diffs_lists_no_findings(trace_factory):
    data = build_report(_trace(trace_factory), diff=False)
    assert "findings" not in data["summary"] and all(c["diff"] is None for c in data["claims"])
    assert "Key findings" not in render(data, "md") and "Key findings" not in render(data, "html")


def test_words_to_check_of_direct_quotes_come_first():
    from tracer.report.findings import key_findings

    def claim(cid, kind, word, drop):
        issue = {"kind": "meaning", "severity": "minor", "quote_text": word, "source_text": "x", "drop": drop,
                 "message": "", "quote_span": [0, 1], "source_span": [0, 1]}
        return {"claim_id": cid, "kind": kind, "diff": {"basis": "origin", "issues": [issue]}}

    claims = [claim("c1", "reported", "further", 0.43), claim("c2", "quote", "bunker", 0.32),
              claim("c3", "quote", "abbreviation", 0.40)]
    assert [f["quote_text"] for f in key_findings(claims) if f.get("to_check")] == ["abbreviation", "bunker",
                                                                                     "further"]

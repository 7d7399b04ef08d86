"""Candidate evidence: features of the best candidate, rivals, ranking."""
from dataclasses import replace

from trace_fixtures import match

from tracer.trace.candidates import GAP_CAP, SHORT_WORDS, claim_queries, features, rank, rivals
from tracer.trace.claims import extract_claims
from tracer.trace.verdict import CALIBRATION


def test_lead_counts_only_rivals_carrying_another_statement():
    best = match("A", score=0.40, seg=1, cluster=7)
    same_doc = match("A", score=0.39, seg=2)
    relay = match("B", score=0.39, seg=3, cluster=7)  # a syndicated copy of the same statement: no rival
    rival = match("C", score=0.30, seg=4)
    assert rivals(best, [best, same_doc, relay, rival]) == [rival]
    f = features(best, 0.0, 12, "en", [best, same_doc, relay, rival])
    assert abs(f["lead"] - 0.10) < 1e-9
    alone = features(best, 0.0, 12, "en", [best, same_doc, relay])
    assert alone["lead"] == GAP_CAP


def test_lead_is_negative_below_a_rival_and_capped():
    low = match("A", score=0.1, seg=1)
    high = match("B", score=0.9, seg=2)
    assert features(low, 0.0, 12, "en", [low, high])["lead"] == -GAP_CAP


def test_short_claims_and_same_language_are_features():
    m = match("A", lang="en")
    f = features(m, 0.0, 3, "en")
    assert f["short"] == (SHORT_WORDS - 3) / SHORT_WORDS and f["same_lang"] == 1.0
    assert features(m, 0.0, 20, "uk")["short"] == 0.0


def test_rank_adds_coherence_towards_the_articles_source():
    a, b = match("A", score=0.05, seg=1), match("B", score=0.05, seg=2)
    ranked = rank([a, b], replace(CALIBRATION, coherence_weight=0.1), coh={"B": 1.0})
    assert ranked[0][1].doc_id == "B"
    assert [m.doc_id for _, m in rank([match("A", score=0.2), match("B", score=0.3, seg=2)], CALIBRATION)] == ["B", "A"]


def test_claim_queries_add_parts_and_focus_without_repeats():
    text = "“We are ready,” she said, “and we will not retreat.”"
    [claim] = extract_claims(text, "en")
    queries = claim_queries(claim, text)
    assert queries[0] and len(queries) == len(set(queries))
    assert all(any(ch.isalnum() for ch in q) for q in queries)


class CoveringLookup:
    """Stands in for Lookup.coverages: a coverage per candidate text, and the texts it was asked about."""

    def __init__(self, cover):
        self.cover = cover
        self.asked = []

    def coverages(self, query, texts):
        self.asked.append(list(texts))
        return None if self.cover is None else [self.cover[t] for t in texts]


def test_coverage_is_measured_for_candidates_coherence_could_lift():
    from tracer.trace.candidates import COVERAGE_REACH, COVERAGE_UNMEASURED, Candidates, _with_coverage

    [claim] = extract_claims("“We are ready to defend every village,” she said.", "en")
    near = replace(match("A", score=0.40, seg=1), text="a")
    close = replace(match("B", score=0.40 - COVERAGE_REACH + 0.01, seg=2), text="b")
    far = replace(match("C", score=0.40 - COVERAGE_REACH - 0.01, seg=3), text="c")
    lookup = CoveringLookup({"a": 0.7, "b": 0.55})
    out = _with_coverage(lookup, claim, Candidates((near, close, far)))
    assert lookup.asked == [["a", "b"]]
    assert [m.signals.get("coverage") for m in out.matches] == [0.7, 0.55, None]
    assert features(out.matches[0], 0.0, 12, "en")["coverage"] == 0.7
    assert features(out.matches[2], 0.0, 12, "en")["coverage"] == COVERAGE_UNMEASURED
    # in the claim's own language shared words inflate coverage: the neutral value
    assert features(out.matches[0], 0.0, 12, out.matches[0].lang)["coverage"] == COVERAGE_UNMEASURED
    # without word vectors (a fake encoder) the candidates are left as they were
    same = Candidates((near, close))
    assert _with_coverage(CoveringLookup(None), claim, same) is same

"""The second view re-scores near-ties only, by the cosine difference it sees."""
import numpy as np
import pytest

from tracer.lookup.rescore import Candidate
from tracer.lookup.second_view import REACH, SecondView


def cand(sid, score):
    return Candidate(sid, cosine=0.9, margin=score, score=score, signals={"margin": score})


class Table:
    """Second-view vectors looked up by text (unit vectors at chosen cosines to the query)."""

    def __init__(self, cosines: dict[str, float]) -> None:
        self.cosines = cosines
        self.calls: list[list[str]] = []

    def query(self, texts):
        return np.array([[1.0, 0.0]] * len(texts), np.float32)

    def document(self, texts):
        self.calls.append(list(texts))
        return np.array([[c, np.sqrt(1 - c * c)] for c in (self.cosines[t] for t in texts)], np.float32)


def view(cosines, weight=0.2):
    table = Table(cosines)
    return SecondView(table.query, table.document, weight), table


def test_a_near_tie_is_decided_by_the_second_view():
    sv, _ = view({"a": 0.80, "b": 0.90})
    ranked = [cand(1, -0.100), cand(2, -0.101)]
    out = sv.rescore("q", ranked, {1: "a", 2: "b"}.get)
    assert [c.segment_id for c in out] == [2, 1]
    # the first view's best keeps its score; the rival moves by w * (cos2 - cos2_best)
    assert out[1].score == pytest.approx(-0.100)
    assert out[0].score == pytest.approx(-0.101 + 0.2 * 0.10)
    assert out[0].signals["second_view"] == pytest.approx(0.90)
    assert out[0].signals["margin"] == -0.101  # the first view's signals are kept


def test_a_clear_lead_is_not_re_read():
    sv, table = view({"a": 0.5, "b": 0.99})
    ranked = [cand(1, 0.10), cand(2, 0.10 - 0.2 * REACH - 0.001)]
    assert sv.rescore("q", ranked, {1: "a", 2: "b"}.get) == ranked
    assert table.calls == []  # nothing was encoded


def test_the_second_view_must_prefer_a_rival_by_more_than_the_lead():
    sv, _ = view({"a": 0.85, "b": 0.86})
    ranked = [cand(1, 0.010), cand(2, 0.005)]
    out = sv.rescore("q", ranked, {1: "a", 2: "b"}.get)
    assert [c.segment_id for c in out] == [1, 2]  # 0.2 * 0.01 < 0.005


def test_weight_zero_changes_nothing():
    sv, table = view({"a": 0.1, "b": 0.9}, weight=0.0)
    ranked = [cand(1, 0.0), cand(2, 0.0)]
    assert sv.rescore("q", ranked, {1: "a", 2: "b"}.get) == ranked
    assert table.calls == []
    with pytest.raises(ValueError):
        SecondView(lambda t: t, lambda t: t, -0.1)


def test_candidates_outside_the_gate_keep_their_place_and_score():
    sv, _ = view({"a": 0.80, "b": 0.90, "c": 0.99})
    ranked = [cand(1, 0.0), cand(2, -0.001), cand(3, -0.5)]
    out = sv.rescore("q", ranked, {1: "a", 2: "b", 3: "c"}.get)
    assert [c.segment_id for c in out] == [2, 1, 3]
    assert out[2] == ranked[2] and "second_view" not in out[2].signals


def test_document_vectors_are_cached():
    sv, table = view({"a": 0.80, "b": 0.90})
    ranked = [cand(1, 0.0), cand(2, 0.0)]
    sv.rescore("q1", ranked, {1: "a", 2: "b"}.get)
    sv.rescore("q2", ranked, {1: "a", 2: "b"}.get)
    assert table.calls == [["a", "b"]]


def test_only_rivals_in_the_best_s_language_are_re_read():
    # raw second-view cosines favour the query's own language: an English
    # look-alike must not overtake a Ukrainian original on them
    sv, table = view({"uk-original": 0.80, "en-lookalike": 0.95, "uk-twin": 0.85})
    ranked = [cand(1, 0.0), cand(2, -0.001), cand(3, -0.002)]
    langs = {1: "uk", 2: "en", 3: "uk"}
    out = sv.rescore("q", ranked, {1: "uk-original", 2: "en-lookalike", 3: "uk-twin"}.get, langs.get)
    assert [c.segment_id for c in out] == [3, 1, 2]
    assert table.calls == [["uk-original", "uk-twin"]]
    assert out[2] == ranked[1]

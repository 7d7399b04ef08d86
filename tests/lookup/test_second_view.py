"""The second view re-scores near-ties only, by how well each covers the quote word by word."""
import numpy as np
import pytest

from tracer.lookup.rescore import Candidate
from tracer.lookup.second_view import GATE, MAX_RIVALS, SecondView, coverage


def cand(sid, score):
    return Candidate(sid, cosine=0.9, margin=score, score=score, signals={"margin": score})


def unit(c):
    """A word vector at cosine ``c`` to the quote's single word [1, 0]."""
    return [c, float(np.sqrt(1 - c * c))]


class Table:
    """Word vectors looked up by text: the quote "q*" is one word; a candidate's words sit at chosen cosines."""

    def __init__(self, words: dict[str, list[float]]) -> None:
        self.words = words
        self.calls: list[str] = []

    def __call__(self, text):
        if text.startswith("q"):
            return np.array([[1.0, 0.0]], np.float32)
        self.calls.append(text)
        return np.array([unit(c) for c in self.words[text]], np.float32)


def view(words, weight=1.2):
    table = Table(words)
    return SecondView(table, weight), table


def test_coverage_is_the_mean_best_cosine_of_the_quote_s_words():
    q = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    c = np.array([unit(0.8), unit(0.6)], np.float32)
    # word 1's best is 0.8; word 2's best is max(0.6, 0.8) (the second component of each)
    assert coverage(q, c) == pytest.approx((0.8 + 0.8) / 2)
    assert coverage(q, np.zeros((0, 2), np.float32)) == 0.0


def test_a_near_tie_is_decided_by_coverage():
    sv, _ = view({"a": [0.80], "b": [0.90, 0.2]})
    ranked = [cand(1, -0.100), cand(2, -0.101)]
    out = sv.rescore("q", ranked, {1: "a", 2: "b"}.get)
    assert [c.segment_id for c in out] == [2, 1]
    # the first view's best keeps its score; the rival moves by w * (coverage - coverage of the best)
    assert out[1].score == pytest.approx(-0.100)
    assert out[0].score == pytest.approx(-0.101 + 1.2 * 0.10, abs=1e-6)  # float32 vectors
    assert out[0].signals["coverage"] == pytest.approx(0.90, abs=1e-6)
    assert out[0].signals["margin"] == -0.101  # the first view's signals are kept


def test_a_clear_lead_is_not_re_read():
    sv, table = view({"a": [0.5], "b": [0.99]})
    ranked = [cand(1, 0.10), cand(2, 0.10 - GATE - 0.001)]
    assert sv.rescore("q", ranked, {1: "a", 2: "b"}.get) == ranked
    assert table.calls == []  # nothing was encoded


def test_coverage_must_prefer_a_rival_by_more_than_the_lead():
    sv, _ = view({"a": [0.85], "b": [0.86]})
    ranked = [cand(1, 0.020), cand(2, 0.005)]
    out = sv.rescore("q", ranked, {1: "a", 2: "b"}.get)
    assert [c.segment_id for c in out] == [1, 2]  # 1.2 * 0.01 < 0.015


def test_weight_zero_changes_nothing():
    sv, table = view({"a": [0.1], "b": [0.9]}, weight=0.0)
    ranked = [cand(1, 0.0), cand(2, 0.0)]
    assert sv.rescore("q", ranked, {1: "a", 2: "b"}.get) == ranked
    assert table.calls == []
    with pytest.raises(ValueError):
        SecondView(lambda t: t, -0.1)


def test_candidates_outside_the_gate_or_past_the_first_few_keep_their_place_and_score():
    words = {str(i): [0.5 + 0.05 * i] for i in range(MAX_RIVALS + 2)}
    sv, table = view(words)
    ranked = [cand(i, -0.001 * i) for i in range(MAX_RIVALS + 1)] + [cand(99, -0.5)]
    out = sv.rescore("q", ranked, lambda sid: str(sid) if sid != 99 else "6")
    assert table.calls == [str(i) for i in range(MAX_RIVALS)]
    assert out[-1] == ranked[-1] and "coverage" not in out[-1].signals
    assert [c.segment_id for c in out[:MAX_RIVALS]] == list(range(MAX_RIVALS))[::-1]


def test_candidate_word_vectors_are_cached():
    sv, table = view({"a": [0.80], "b": [0.90]})
    ranked = [cand(1, 0.0), cand(2, 0.0)]
    sv.rescore("q1", ranked, {1: "a", 2: "b"}.get)
    sv.rescore("q2", ranked, {1: "a", 2: "b"}.get)
    assert table.calls == ["a", "b"]


def test_candidates_in_the_quote_s_language_are_not_re_read_beside_translations():
    # word vectors are not centred per language: an English look-alike would
    # cover an English quote better than its Ukrainian original does
    sv, table = view({"uk-original": [0.80], "en-lookalike": [0.99], "uk-twin": [0.85]})
    ranked = [cand(1, 0.0), cand(2, -0.001), cand(3, -0.002)]
    langs = {1: "uk", 2: "en", 3: "uk"}
    out = sv.rescore("q", ranked, {1: "uk-original", 2: "en-lookalike", 3: "uk-twin"}.get, langs.get, "en")
    assert [c.segment_id for c in out] == [3, 1, 2]
    assert table.calls == ["uk-original", "uk-twin"]
    assert out[2] == ranked[1]


def test_same_language_near_ties_are_re_read_when_nothing_else_is_near():
    sv, _ = view({"a": [0.80], "b": [0.95]})
    ranked = [cand(1, 0.0), cand(2, -0.001)]
    out = sv.rescore("q", ranked, {1: "a", 2: "b"}.get, {1: "ru", 2: "ru"}.get, "ru")
    assert [c.segment_id for c in out] == [2, 1]


def test_translations_are_re_read_among_themselves_behind_a_look_alike():
    # an English look-alike first: the Ukrainian candidates are still re-read (the best of them keeps
    # its score), so their scores do not depend on whether the look-alike is indexed
    sv, table = view({"uk-a": [0.70], "uk-b": [0.95]})
    ranked = [cand(1, 0.05), cand(2, 0.0), cand(3, -0.001)]
    langs = {1: "en", 2: "uk", 3: "uk"}
    out = sv.rescore("q", ranked, {2: "uk-a", 3: "uk-b"}.get, langs.get, "en")
    assert table.calls == ["uk-a", "uk-b"]
    assert [c.segment_id for c in out] == [3, 1, 2]
    alone = sv.rescore("q", ranked[1:], {2: "uk-a", 3: "uk-b"}.get, langs.get, "en")
    assert {c.segment_id: c.score for c in alone} == {c.segment_id: c.score for c in out if c.segment_id != 1}


def test_prefetch_reads_what_rescore_will_read_in_one_call():
    table = Table({"a": [0.80], "b": [0.90, 0.2], "c": [0.1]})
    batches: list[list[str]] = []

    def many(texts):
        batches.append(list(texts))
        return [table(t) for t in texts]

    sv = SecondView(table, 1.2, many=many)
    ranked = [cand(1, -0.100), cand(2, -0.101), cand(3, -0.5)]
    texts = sv.reread("q1", ranked, {1: "a", 2: "b", 3: "c"}.get)
    assert texts == ["q1", "a", "b"]  # the quote, then the near-ties (3 is outside the gate)
    sv.prefetch(texts)
    assert batches == [["q1", "a", "b"]]
    table.calls.clear()
    out = sv.rescore("q1", ranked, {1: "a", 2: "b", 3: "c"}.get)
    assert table.calls == []  # everything came from the prefetch
    assert [c.segment_id for c in out] == [2, 1, 3]
    assert sv.reread("q1", [cand(1, 0.1), cand(2, -0.5)], {1: "a", 2: "b"}.get) == []  # a clear lead: none

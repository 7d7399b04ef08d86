"""Margin scoring, hubness, language centring and the lexical signals."""
import numpy as np
import pytest

from tracer.index.exact import ExactIndex
from tracer.lookup.rescore import Weights, lexical_signals, rescore, same_language_penalty
from tracer.text.names import is_acronym


def unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_numbers_agree_across_languages():
    sig = lexical_signals("About 250,000 soldiers left.", "en", "Около 250 тыс. военных ушли.", "ru")
    assert sig["numbers"] == 1.0
    sig = lexical_signals("About 250,000 soldiers left.", "en", "Около 150 тыс. военных ушли.", "ru")
    assert sig["numbers"] < 0


def test_distinctive_shared_figures_are_counted_apart_from_agreement():
    # one fingerprint figure (182,000); the year is shared but not distinctive
    sig = lexical_signals("Desertions reached 182,000 in 2024.", "en", "В 2024 году число достигло 182 тыс.", "ru")
    assert sig["figures"] == 0.5
    two = lexical_signals("Inflation fell to 3.2%, and 1,500 jobs came.", "en",
                          "Інфляція впала до 3,2%, з'явилося 1500 робочих місць.", "uk")
    assert two["figures"] == 1.0
    # small whole counts agree, but they fingerprint nothing
    small = lexical_signals("Two soldiers and 15 officers left.", "en", "Ушли два солдата и 15 офицеров.", "ru")
    assert small["numbers"] == 1.0 and "figures" not in small
    assert "figures" not in lexical_signals("About 250,000 left.", "en", "Около 150 тыс. ушли.", "ru")


def test_a_year_on_one_side_only_is_neutral_but_a_different_year_counts():
    relative = lexical_signals("Desertions this year surged to 182,000.", "en",
                               "Число случаев в 2024 году достигло 182 тыс.", "ru")
    assert relative["numbers"] == 1.0  # "this year" for 2024 is no disagreement
    other_year = lexical_signals("In 2023 there were 24,000 cases.", "en", "В 2022 году было 24 тыс. случаев.", "ru")
    assert other_year["numbers"] < 0
    assert "numbers" not in lexical_signals("This year it rained.", "en", "В 2024 году шёл дождь.", "ru")


def test_names_agree_across_scripts_and_abbreviations_are_neutral():
    sig = lexical_signals("Bezouglya said the army is tired.", "en", "Безугла заявила, що армія втомилася.", "uk")
    assert sig["names"] == 1.0
    # СЗЧ rendered as "SOUs": neither side is penalised for its abbreviation
    sig = lexical_signals("At the moment, we have SOUs as many as troops.", "en",
                          "Наразі в нас СЗЧ стільки, скільки було війська.", "uk")
    assert "names" not in sig  # no signal either way, not a weak one
    sig = lexical_signals("An impressive figure, we will soon have half the number of SOUs of our army.", "en",
                          "«Впечатляющая цифра, скоро у нас СЗЧ будет половина нашей армии».", "ru")
    assert "names" not in sig  # «Впечатляющая» is capitalised for standing first: not a name
    sig = lexical_signals("He said that Syrsky agreed.", "en", "Він сказав, що Безугла погодилася.", "uk")
    assert sig["names"] < 0


@pytest.mark.parametrize("text, expected", [("СЗЧ", True), ("SOUs", True), ("NATO", True), ("ЗСУ", True),
                                            ("Bezouglya", False), ("Gazeta.Ru", False), ("Verkhovna Rada", False)])
def test_is_acronym(text, expected):
    assert is_acronym(text) is expected


def test_rescore_prefers_the_candidate_with_less_hubness():
    cos = np.array([0.90, 0.89, 0.5, 0.0], dtype=np.float32)
    ids = np.array([7, 8, 9, -1])
    r_x = np.array([0.3, 0.3, 0.3, 0.0], dtype=np.float32)
    hub = np.array([0.95, 0.70, 0.6, 0.0], dtype=np.float32)  # segment 7 is close to everything
    out = rescore("q", "en", cos, ids, r_x, hub, {})
    assert [c.segment_id for c in out] == [8, 7, 9]  # padding (-1) dropped
    assert out[0].margin == pytest.approx(0.89 - (0.3 + 0.70) / 2, abs=1e-6)


def test_the_querys_neighbourhood_is_taken_in_each_candidates_language():
    cos = np.array([0.6, 0.6], np.float32)
    ids = np.array([1, 2])
    r_x = np.array([0.2, 0.4], np.float32)  # the query is closer to everything in candidate 2's language
    out = rescore("q", "en", cos, ids, r_x, np.zeros(2, np.float32), {}, use_lexical=False)
    assert [c.segment_id for c in out] == [1, 2]


def test_hubness_weight_scales_the_segments_neighbourhood():
    cos = np.array([0.9, 0.85], np.float32)
    ids = np.array([1, 2])
    r_x = np.array([0.2, 0.2], np.float32)
    hub = np.array([0.8, 0.6], np.float32)
    even = rescore("q", "en", cos, ids, r_x, hub, {}, use_lexical=False)
    heavy = rescore("q", "en", cos, ids, r_x, hub, {}, use_lexical=False, weights=Weights(hubness=0.7))
    assert {c.segment_id: round(c.margin, 4) for c in even} == {1: round(0.9 - 0.1 - 0.4, 4), 2: round(0.85 - 0.1 - 0.3, 4)}
    assert {c.segment_id: round(c.margin, 4) for c in heavy} == {1: round(0.9 - 0.1 - 0.56, 4), 2: round(0.85 - 0.1 - 0.42, 4)}


def test_same_language_candidates_pay_a_penalty_unless_verbatim():
    w = Weights(same_language=0.1)
    assert same_language_penalty(0.6, w) == pytest.approx(0.1)
    assert same_language_penalty(0.99, w) == 0.0  # the quote itself
    assert 0 < same_language_penalty(0.9, w) < 0.1
    cos = np.array([0.70, 0.65], np.float32)
    ids = np.array([1, 2])
    texts = {1: ("english look-alike", "en"), 2: ("русский оригинал", "ru")}
    zero = np.zeros(2, np.float32)
    out = rescore("q", "en", cos, ids, zero, zero, texts, use_lexical=False, weights=w)
    assert [c.segment_id for c in out] == [2, 1]


def test_exact_top_gives_the_full_rescore_first_n():
    """Figures and names worked out only where they can matter: the first n are the same, in order."""
    rng = np.random.default_rng(3)
    words = ["Kyiv", "Moscow", "Syrsky", "Bezuhla", "250,000", "182 тыс.", "two", "3.2%", "the", "army", "said"]
    for trial in range(40):
        n = 50
        ids = np.arange(n, dtype=np.int64)
        cos = rng.uniform(0.2, 0.5, n).astype(np.float32)
        r_x = rng.uniform(0.1, 0.2, n).astype(np.float32)
        r_y = rng.uniform(0.1, 0.2, n).astype(np.float32)
        texts = {i: (" ".join(rng.choice(words, 6)), "ru" if i % 3 else "en") for i in range(n)}
        query = " ".join(rng.choice(words, 6))
        w = Weights(numbers=0.02, names=0.02, same_language=0.06)
        full = rescore(query, "en", cos, ids, r_x, r_y, texts, True, w)
        for top in (1, 5, 20):
            part = rescore(query, "en", cos, ids, r_x, r_y, texts, True, w, exact_top=top)
            assert [(c.segment_id, c.score, c.signals) for c in part[:top]] == \
                   [(c.segment_id, c.score, c.signals) for c in full[:top]], (trial, top)
            assert sorted(c.segment_id for c in part) == sorted(c.segment_id for c in full)

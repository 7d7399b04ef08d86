"""Margin scoring, hubness, language centring and the lexical signals."""
import numpy as np
import pytest

from tracer.index.exact import ExactIndex
from tracer.index.space import centre, compute_hubness, hubness_column, language_directions, language_means
from tracer.lookup.rescore import lexical_signals, query_neighbourhood, rescore
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


def test_query_neighbourhood_ignores_padding():
    assert query_neighbourhood(np.array([0.9, 0.8, -np.inf, 0.1]), 2) == pytest.approx(0.85)
    assert query_neighbourhood(np.array([-np.inf]), 2) == 0.0


def test_rescore_prefers_the_candidate_with_less_hubness():
    cos = np.array([0.90, 0.89, 0.5, 0.0], dtype=np.float32)
    ids = np.array([7, 8, 9, -1])
    hub = np.array([0.95, 0.70, 0.6, 0.0], dtype=np.float32)  # segment 7 is close to everything
    out = rescore("q", "en", cos, ids, hub, {}, margin_k=2)
    assert [c.segment_id for c in out] == [8, 7, 9]  # padding (-1) dropped
    r_x = (0.90 + 0.89) / 2
    assert out[0].margin == pytest.approx(0.89 - (r_x + 0.70) / 2, abs=1e-6)


def test_compute_hubness_per_language_excludes_self():
    rng = np.random.default_rng(0)
    vecs = unit(rng.normal(size=(30, 16)))
    langs = ["en"] * 10 + ["ru"] * 20
    index = ExactIndex(dim=16)
    index.add(vecs, np.arange(30))

    def search(q, k, allowed):
        return index.search(q, k, allowed)

    hub, columns = compute_hubness(vecs, langs, search, k=2)
    assert columns == ["en", "ru"] and hub.shape == (30, 2)
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -np.inf)
    expected_en = np.sort(sims[:, :10], axis=1)[:, ::-1][:, :2].mean(axis=1)
    np.testing.assert_allclose(hub[:, 0], expected_en, atol=1e-5)
    assert hubness_column(columns, "ru") == 1 and hubness_column(columns, "uk") is None


def test_language_centring_shrinks_small_languages():
    rng = np.random.default_rng(1)
    offset = np.zeros(8, dtype=np.float32)
    offset[0] = 3.0
    en = unit(rng.normal(size=(300, 8)) + offset)
    uk = unit(rng.normal(size=(5, 8)) - offset)
    vecs = np.vstack([en, uk])
    langs = ["en"] * 300 + ["uk"] * 5
    means = language_means(vecs, langs)
    np.testing.assert_allclose(means["en"], en.mean(axis=0) * 300 / 400, atol=1e-6)
    assert np.linalg.norm(means["uk"]) < 0.05 * np.linalg.norm(uk.mean(axis=0)) + 1e-6
    out = centre(vecs, langs + [], means)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert abs(out[:300, 0].mean()) < abs(en[:, 0].mean())  # the language offset is gone
    untouched = centre(vecs[:2], ["de", "de"], means)  # a language without a mean stays as it was
    np.testing.assert_allclose(untouched, vecs[:2], atol=1e-6)


def test_language_directions_remove_each_languages_own_axis():
    rng = np.random.default_rng(0)
    dim = 16
    accent = np.zeros(dim, np.float32)
    accent[3] = 1.0  # ru varies most along this axis, en does not
    ru = rng.standard_normal((1200, dim)).astype(np.float32) * 0.1 + np.outer(rng.standard_normal(1200) * 2, accent)
    en = rng.standard_normal((1200, dim)).astype(np.float32) * 0.1
    few = rng.standard_normal((30, dim)).astype(np.float32)
    vectors = unit(np.vstack([ru, en, few]))
    langs = ["ru"] * 1200 + ["en"] * 1200 + ["uk"] * 30
    dirs = language_directions(vectors, langs, 1)
    assert set(dirs) == {"ru", "en"}  # 30 uk rows are too few to tell an accent from a topic
    assert dirs["ru"].shape == (1, dim) and abs(abs(float(dirs["ru"][0, 3])) - 1.0) < 0.05
    assert np.allclose(np.linalg.norm(dirs["en"], axis=1), 1.0, atol=1e-5)
    out = centre(vectors, langs, {}, dirs)
    assert np.allclose(out[:1200] @ dirs["ru"].T, 0.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert np.allclose(out[-30:], vectors[-30:], atol=1e-6)  # languages without directions unchanged
    assert language_directions(vectors, langs, 0) == {}


def test_hubness_weight_scales_the_segments_neighbourhood():
    cos = np.array([0.9, 0.85], np.float32)
    ids = np.array([1, 2])
    hub = np.array([0.8, 0.6], np.float32)
    even = rescore("q", "en", cos, ids, hub, {}, margin_k=2, use_lexical=False)
    heavy = rescore("q", "en", cos, ids, hub, {}, margin_k=2, use_lexical=False, hubness_weight=0.7)
    r_x = (0.9 + 0.85) / 2
    assert {c.segment_id: round(c.margin, 4) for c in even} == {1: round(0.9 - r_x / 2 - 0.4, 4), 2: round(0.85 - r_x / 2 - 0.3, 4)}
    assert {c.segment_id: round(c.margin, 4) for c in heavy} == {1: round(0.9 - r_x / 2 - 0.56, 4), 2: round(0.85 - r_x / 2 - 0.42, 4)}

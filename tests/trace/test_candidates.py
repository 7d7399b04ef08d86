"""Candidate evidence: per-language backgrounds, the features of one candidate, ranking."""
from dataclasses import replace

from trace_fixtures import match

from tracer.trace.candidates import GAP_CAP, SHORT_WORDS, Candidates, claim_queries, features, rank, rank_score
from tracer.trace.claims import extract_claims
from tracer.trace.verdict import CALIBRATION


def test_backgrounds_are_each_languages_median_and_full_lists_are_marked():
    ru = [match("A", cosine=c, seg=i, lang="ru") for i, c in enumerate((0.9, 0.8, 0.7))]
    uk = [match("B", cosine=0.6, seg=10, lang="uk")]
    c = Candidates.from_searches([("ru", ru), ("uk", uk), ("en", [])], k=3)
    assert c.backgrounds == {"ru": 0.8, "uk": 0.6}
    assert c.full == frozenset({"ru"})  # uk returned fewer than k: its median says little
    assert len(c.matches) == 4


def test_small_language_pool_borrows_a_conservative_background():
    m_en = replace(match("E", 0.04, 1), lang="en", cosine=0.79)
    # English returned fewer passages than a full search: its median (0.27) says nothing
    c = Candidates((m_en,), {"en": 0.27, "ru": 0.54, "uk": 0.52}, frozenset({"ru", "uk"}))
    assert c.background_of(m_en) == 0.54
    assert Candidates((m_en,), {"en": 0.6, "ru": 0.54}, frozenset({"en", "ru"})).background_of(m_en) == 0.6



def test_gap_counts_rivals_of_other_documents_in_the_same_language_only():
    best = match("A", cosine=0.90, seg=1, lang="ru")
    same_doc = match("A", cosine=0.89, seg=2, lang="ru")
    relay = match("B", cosine=0.89, seg=3, lang="uk")  # a translation elsewhere: no rival
    rival = match("C", cosine=0.85, seg=4, lang="ru")
    f = features(best, 0.0, 12, "en", 0.80, [best, same_doc, relay, rival], lambda m: 0.80)
    assert abs(f["excess"] - 0.10) < 1e-9
    assert abs(f["gap"] - 0.05) < 1e-9  # against C only
    alone = features(best, 0.0, 12, "en", 0.80, [best, same_doc, relay], lambda m: 0.80)
    assert alone["gap"] == GAP_CAP


def test_short_claims_and_same_language_are_features():
    m = match("A", lang="en")
    f = features(m, 0.0, 3, "en", 0.8)
    assert f["short"] == (SHORT_WORDS - 3) / SHORT_WORDS and f["same_lang"] == 1.0
    assert features(m, 0.0, 20, "uk", 0.8)["short"] == 0.0


def test_rank_prefers_a_translation_over_a_same_language_lookalike():
    same = match("E", lang="en", cosine=0.905, signals={"margin": 0.04}, score=0.04)
    cross = match("U", lang="uk", cosine=0.905, signals={"margin": 0.04}, score=0.04)
    assert rank_score(same, "en", CALIBRATION, 0.85) < rank_score(cross, "en", CALIBRATION, 0.85)
    ranked = rank([same, cross], "en", CALIBRATION, lambda m: 0.85)
    assert [m.doc_id for _, m in ranked] == ["U", "E"]


def test_rank_adds_coherence_towards_the_articles_source():
    a, b = match("A", score=0.05, seg=1), match("B", score=0.05, seg=2)
    ranked = rank([a, b], "en", replace(CALIBRATION, coherence_weight=0.1), lambda m: 0.8, coh={"B": 1.0})
    assert ranked[0][1].doc_id == "B"


def test_claim_queries_add_parts_and_focus_without_repeats():
    text = "“We are ready,” she said, “and we will not retreat.”"
    [claim] = extract_claims(text, "en")
    queries = claim_queries(claim, text)
    assert queries[0] and len(queries) == len(set(queries))
    assert all(any(ch.isalnum() for ch in q) for q in queries)

"""The gap model: features, probability and the severity it gives."""
from __future__ import annotations

import pytest

from tracer.diff import diff_texts
from tracer.diff.gap_model import FEATURES, GAP_MODEL, GapModel, gap_features


def _features(**over):
    base = dict(content=2, clause=False, n_content=12, width=1, facing_gaps=0.0, nearest=0.55, typical=0.7,
                text="One sentence here. ")
    base.update(over)
    return gap_features(**base)


def test_features_are_the_models():
    assert set(_features()) == set(FEATURES)
    assert set(GAP_MODEL.weights) <= set(FEATURES)
    assert 0.0 < GAP_MODEL.major_at < 1.0 and GAP_MODEL.provenance


def test_more_words_and_a_whole_clause_make_a_gap_likelier():
    p2 = GAP_MODEL.probability(_features(content=2))
    p5 = GAP_MODEL.probability(_features(content=5))
    clause = GAP_MODEL.probability(_features(content=2, clause=True))
    assert p2 < p5 and p2 < clause


def test_a_gap_facing_unmatched_words_is_a_rewording_not_a_change():
    alone = GAP_MODEL.probability(_features(content=3, width=0))
    facing = GAP_MODEL.probability(_features(content=3, width=3, facing_gaps=1.0))
    assert facing < alone


def test_a_gap_on_the_longer_side_whose_removal_brings_the_sentences_closer_is_likelier():
    same_length = GAP_MODEL.probability(_features(content=3, other_content=12))
    longer = GAP_MODEL.probability(_features(content=3, other_content=8))
    assert longer > same_length
    f = _features(content=3, ablation=0.02, sentence_gaps=0.5)
    assert f["ablation"] == pytest.approx(1.0)  # in units of 0.02 of cosine
    assert GAP_MODEL.probability(f) > GAP_MODEL.probability(_features(content=3, ablation=-0.02, sentence_gaps=0.5))
    assert GAP_MODEL.probability(f) > GAP_MODEL.probability(_features(content=3, ablation=0.02, sentence_gaps=0.2))


def test_severity_follows_the_threshold():
    m = GapModel(weights={"content": 1.0}, bias=0.0, major_at=0.7)
    assert m.severity({"content": 0.0}) == ("minor", 0.5)
    sev, p = m.severity({"content": 3.0})
    assert sev == "major" and p > 0.9



@pytest.mark.e2e
def test_a_dropped_clause_is_a_major_omission_with_its_confidence():
    r = diff_texts("The mayor said the bridge will reopen in May.",
                   "Мэр сказал, что мост откроют в мае, хотя депутаты городского совета требовали закрыть его для "
                   "грузовиков навсегда.", quote_lang="en", source_lang="ru", use_mt=False)
    om = [i for i in r.issues if i.kind == "omission" and i.severity == "major"]
    assert om, r.issues
    d = om[0].to_dict()
    assert GAP_MODEL.major_at <= d["confidence"] <= 1.0 and set(d["evidence"]) == set(FEATURES)


@pytest.mark.e2e
def test_same_language_gaps_keep_the_word_count():
    r = diff_texts("Мэр сказал, что мост откроют в мае.",
                   "Мэр сказал, что мост откроют в мае, а ремонт дороги закончат осенью.",
                   quote_lang="ru", source_lang="ru", use_mt=False)
    om = [i for i in r.issues if i.kind == "omission"]
    assert om and om[0].severity == "major" and om[0].confidence is None

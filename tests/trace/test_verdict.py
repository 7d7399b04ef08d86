"""The verdict model: fitted numbers, monotone confidence, thresholds."""
from tracer.trace.verdict import CALIBRATION, FEATURES, confidence, decide, standalone_confidence, standalone_logit


def test_calibration_is_fitted_and_monotonic():
    assert set(CALIBRATION.weights) <= set(FEATURES)
    assert "bench_trace_news.py --fit" in CALIBRATION.provenance  # numbers come from the benchmark, not by hand
    base = {f: 0.0 for f in FEATURES}
    low = confidence({**base, "score": 0.05, "lead": -0.05, "cosine": 0.3})
    high = confidence({**base, "score": 0.40, "lead": 0.15, "cosine": 0.6})
    assert 0.0 <= low < high <= 1.0
    assert decide(0.0, base) == "unsourced"
    f = CALIBRATION.traced_feature
    assert decide(1.0, {**base, f: CALIBRATION.traced_above + 0.01}) == "traced"
    assert decide(1.0, {**base, f: CALIBRATION.traced_above - 0.01}) == "paraphrase"



def test_standalone_logit_is_the_weighted_sum():
    f = {name: 0.1 for name in CALIBRATION.weights}
    expected = CALIBRATION.bias + sum(0.1 * w for w in CALIBRATION.weights.values())
    assert abs(standalone_logit(f) - expected) < 1e-9
    assert 0.0 < standalone_confidence(f) < 1.0


def test_confidence_grows_with_the_articles_other_claims_pointing_at_the_document():
    base = {f: 0.0 for f in FEATURES}
    assert confidence({**base, "coherence": 1.0}) > confidence({**base, "coherence": 0.0})


def test_every_context_feature_enters_the_confidence_and_nothing_unknown_does():
    assert set(CALIBRATION.context_weights) - {"standalone"} <= set(FEATURES)
    base = {f: 0.0 for f in FEATURES}
    for name, w in CALIBRATION.context_weights.items():
        if name != "standalone" and w:
            moved = confidence({**base, name: 1.0})
            assert (moved > confidence(base)) == (w > 0), name

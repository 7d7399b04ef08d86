"""Fitting the lookup confidence (tracer/lookup/confidence.py) on the fit half of bench_news.

Every match of every fit-split lookup (all rows: full sentences, fragments,
machine translations, ru<->uk, verbatim) is one example: its features
(``tracer.lookup.confidence.features``) and whether it is the gold. Rows are
weighted equally, so no one shape sets the model. The fitted numbers replace
the CALIBRATION block of tracer/lookup/confidence.py, and the module's model
is swapped in this process, so the held-out rows that follow use it.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tracer" / "lookup" / "confidence.py"


def _examples(results: dict, split: str):
    from tracer.lookup.confidence import FEATURES

    X, y, w = [], [], []
    for per in results.values():
        res = per.get(split)
        if res is None or not res.feats:
            continue
        rows = [(f, label) for fs, ls in zip(res.feats, res.labels) for f, label in zip(fs, ls)]
        for f, label in rows:
            X.append([f[name] for name in FEATURES])
            y.append(label)
            w.append(1.0 / len(rows))
    return np.array(X), np.array(y, dtype=int), np.array(w) * len(w) / max(sum(w), 1e-9)


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    edges = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(p[edges == b].mean() - y[edges == b].mean()) * (edges == b).sum()
                     for b in range(bins) if (edges == b).any()) / max(len(p), 1))


def fit_confidence(results: dict) -> None:
    """Fit, write and install the confidence model from the fit split's lookups."""
    from sklearn.linear_model import LogisticRegression

    import tracer.lookup.confidence as conf
    from tracer.config import Settings
    from tracer.encoders.factory import encoder_for

    X, y, w = _examples(results, "fit")
    lr = LogisticRegression(C=1.0, max_iter=10000).fit(X, y, sample_weight=w)
    weights = {name: round(float(c), 4) for name, c in zip(conf.FEATURES, lr.coef_[0])}
    model = conf.ConfidenceModel(weights=weights, bias=round(float(lr.intercept_[0]), 4))
    p = np.array([conf.probability(dict(zip(conf.FEATURES, x)), model) for x in X])
    ece = round(expected_calibration_error(p, y), 4)
    provenance = (f"scripts/bench_news.py --fit-confidence on {dt.date.today()}: logistic regression (C=1) on "
                  f"{len(y)} matches of the fit split's lookups ({int(y.sum())} gold), every row weighted equally; "
                  f"fit ECE {ece}")
    model = conf.ConfidenceModel(weights=weights, bias=model.bias, encoder_id=encoder_for(Settings()).id,
                                 provenance=provenance, metrics={"fit_ece": ece})
    block = (
        "CALIBRATION = ConfidenceModel(\n"
        f"    weights={weights!r},\n"
        f"    bias={model.bias!r},\n"
        f"    encoder_id={model.encoder_id!r},\n"
        f"    provenance={provenance!r},\n"
        f"    metrics={dict(model.metrics)!r},\n"
        ")\n"
    )
    text = TARGET.read_text(encoding="utf-8")
    text = re.sub(r"CALIBRATION = ConfidenceModel\(\n.*?\n\)\n", lambda _: block, text, count=1, flags=re.S)
    TARGET.write_text(text, encoding="utf-8")
    conf.CALIBRATION = model
    print(f"\nconfidence model written to {TARGET.relative_to(ROOT)}: {weights}, bias {model.bias}; fit ECE {ece}",
          flush=True)

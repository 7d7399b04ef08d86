"""How sure a lookup is: the calibrated chance that a match carries the quote.

The score ranks; it is no probability. Each match gets a confidence from a
logistic model over evidence the lookup already has:

* ``score``   the CSLS score with the lexical signals (tracer.lookup.rescore);
* ``lead``    how far it stands above the best match of *another* document
              (negative below it; capped): a clear winner, or one of a crowd;
* ``cosine``  its centred cosine: near 1 only for the same words;
* ``same``    1 when the match is in the quote's language (a verbatim copy
              scores differently from a translation);
* ``short``   (8 - words) / 8 for quotes under eight words: short quotes
              match many passages by their shape alone;
* ``numbers`` / ``names``  agreement of figures and names, in [-1, 1].

The model is fitted on the fit half of the real-news benchmark
(``scripts/bench_news.py --fit-confidence``, which writes
:data:`CALIBRATION`) and its calibration is checked on the held-out half.
Confidences are made non-increasing with rank: a lower-ranked match is never
"surer" than the one above it.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..types import LookupResult, Match

__all__ = ["FEATURES", "ConfidenceModel", "CALIBRATION", "CONTEXT_K", "features", "with_confidence"]

FEATURES: tuple[str, ...] = ("score", "lead", "cosine", "same", "short", "numbers", "names")
LEAD_CAP = 0.3
# Matches a lookup weighs a match against (the caller may show fewer).
CONTEXT_K = 5
SHORT_WORDS = 8


@dataclass(frozen=True)
class ConfidenceModel:
    """Fitted weights of the lookup confidence (see the module docstring)."""

    weights: Mapping[str, float]
    bias: float
    encoder_id: str = ""
    provenance: str = ""
    metrics: Mapping[str, float] = field(default_factory=dict)


# Fitted by scripts/bench_news.py --fit-confidence (see `provenance`); replace
# the whole block with the script's output, never edit single numbers by hand.
CALIBRATION = ConfidenceModel(
    weights={'score': 23.7276, 'lead': 11.4857, 'cosine': 7.5536, 'same': -2.4252, 'short': 0.0476, 'numbers': -0.145, 'names': -0.1341},
    bias=-4.5143,
    encoder_id='e5-small-int8/onnx-int8-solo/passage: |passage: |lower',
    provenance="scripts/bench_news.py --fit-confidence on 2026-12-05: logistic regression (C=1) on 94851 matches of the fit split's lookups (18869 gold), every row weighted equally; fit ECE 0.0054",
    metrics={'fit_ece': 0.0054},
)


def features(match: Match, matches: Sequence[Match], query: str, query_lang: str) -> dict[str, float]:
    """The evidence for one match of a lookup (``matches``: all of its matches)."""
    others = [m.score for m in matches if m.doc_id != match.doc_id]
    lead = match.score - max(others) if others else LEAD_CAP
    # A passage that is not its document's best place is measured against that better passage:
    # against other documents only, every lower place of a one-document result led by the cap
    # (0.99 for a sentence that merely stands next to the quote's). Top matches are unchanged.
    siblings = [m.score for m in matches if m.doc_id == match.doc_id and m is not match and m.score > match.score]
    if siblings:
        lead = min(lead, match.score - max(siblings))
    words = len(query.split())
    return {
        "score": float(match.score),
        "lead": max(-LEAD_CAP, min(LEAD_CAP, float(lead))),
        "cosine": float(match.cosine),
        "same": 1.0 if match.lang == query_lang else 0.0,
        "short": max(0, SHORT_WORDS - words) / SHORT_WORDS,
        "numbers": float(match.signals.get("numbers", 0.0)),
        "names": float(match.signals.get("names", 0.0)),
    }


def probability(feats: Mapping[str, float], model: ConfidenceModel | None = None) -> float:
    """P(the match carries the quote) under ``model`` (default: :data:`CALIBRATION`)."""
    model = model or CALIBRATION
    z = model.bias + sum(w * float(feats.get(name, 0.0)) for name, w in model.weights.items())
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def with_confidence(result: LookupResult, model: ConfidenceModel | None = None) -> LookupResult:
    """The result with each match's confidence filled in, non-increasing with rank."""
    out: list[Match] = []
    ceiling = 1.0
    for m in result.matches:
        p = min(ceiling, probability(features(m, result.matches, result.query, result.query_lang), model))
        ceiling = p
        out.append(replace(m, confidence=round(p, 4)))
    return replace(result, matches=out)

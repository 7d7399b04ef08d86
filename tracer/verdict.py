"""From the evidence of one claim to a confidence and a verdict.

The evidence is a handful of numbers about the claim's best candidate origin
(after the date rule and document-coherence re-ranking):

* ``score``     the lookup score: margin cos − (r_x + r_y)/2 plus the small
                number/name weights of tracer.match;
* ``cosine``    the raw cosine (same-language hits run higher than
                cross-lingual ones, so it carries some information the margin
                removes);
* ``numbers``   agreement of figures, in [-1, 1], 0 when neither side has any;
* ``names``     agreement of names across scripts, in [-1, 1];
* ``coherence`` share of the article's other claims whose best origin is in
                the same document, in [0, 1];
* ``length``    words in the claim / 40, capped at 1 (short quotes give
                noisier margins).

``confidence`` is a logistic model of "the best candidate's document is the
claim's true origin", and the verdict thresholds it:

* ``unsourced`` when confidence < ``unsourced_below``;
* ``traced`` when the wording is close (score ≥ ``traced_score``);
* ``paraphrase`` otherwise (same content, looser wording).

Every number in :data:`CALIBRATION` is fitted by ``scripts/bench_trace.py
--fit`` on the *fit* split of the benchmark data and checked on the held-out
*eval* split; the provenance string says which run produced it. Nothing here
imports numpy or the model.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["FEATURES", "VERDICTS", "Calibration", "CALIBRATION", "confidence", "decide"]

FEATURES: tuple[str, ...] = ("score", "cosine", "numbers", "names", "coherence", "length")
VERDICTS: tuple[str, ...] = ("traced", "paraphrase", "unsourced")


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters of the trace scoring (see the module docstring)."""

    weights: Mapping[str, float]
    bias: float
    unsourced_below: float  # confidence under which a claim is unsourced
    traced_score: float  # lookup score at or above which wording counts as close
    coherence_weight: float  # added to a candidate's score × its document's coherence
    vote_min: float  # a claim votes for its best document only above this score
    chain_delta: float  # another document joins the chain within this score of the best
    provenance: str = ""
    metrics: Mapping[str, float] = field(default_factory=dict)


# Fitted by scripts/bench_trace.py --fit (see `provenance`); replace the whole
# block with the script's output, never edit single numbers by hand.
CALIBRATION = Calibration(
    weights={"score": 60.0, "cosine": 0.0, "numbers": 1.0, "names": 1.0, "coherence": 1.0, "length": 0.0},
    bias=-2.0,
    unsourced_below=0.5,
    traced_score=0.08,
    coherence_weight=0.02,
    vote_min=0.03,
    chain_delta=0.05,
    provenance="initial guess before the first fit; not yet fitted",
)


def confidence(features: Mapping[str, float], cal: Calibration = CALIBRATION) -> float:
    """P(the best candidate's document is the true origin), in [0, 1]."""
    z = cal.bias + sum(w * float(features.get(name, 0.0)) for name, w in cal.weights.items())
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def decide(conf: float, features: Mapping[str, float], cal: Calibration = CALIBRATION) -> str:
    """The verdict for a claim with this confidence and these features."""
    if conf < cal.unsourced_below:
        return "unsourced"
    return "traced" if float(features.get("score", 0.0)) >= cal.traced_score else "paraphrase"

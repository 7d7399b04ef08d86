"""From the evidence of one claim to a confidence and a verdict.

The evidence is a handful of numbers about the claim's best candidate origin
(after the date rule and document-coherence re-ranking):

* ``cosine``    raw cosine of claim and candidate;
* ``excess``    cosine minus the claim's background (the median cosine of
                its ten nearest indexed passages): how much the candidate
                stands out from what is merely nearby;
* ``margin``    the lookup margin cos − (r_x + r_y)/2 (tracer.match);
* ``gap``       excess minus the excess of the best passage of another
                document in the candidate's language (capped at 0.3): how
                clearly it beats its own rivals; a translation of it in a
                relay, in another language, is no rival;
* ``numbers``   agreement of figures, in [-1, 1], 0 when neither side has any;
* ``names``     agreement of names across scripts, in [-1, 1];
* ``coherence`` share of the article's other claims whose best origin is in
                the same document, in [0, 1];
* ``length``    words in the claim / 40, capped at 1;
* ``short``     (8 − words) / 8 for claims under eight words, else 0: short
                claims match many passages by their shape alone;
* ``same_lang`` 1 when the candidate is in the article's language (e5 puts
                any two sentences of one language closer than a translation).

``confidence`` is a logistic model of "the best candidate's document is the
claim's true origin", and the verdict thresholds it:

* ``unsourced`` when confidence < ``unsourced_below``;
* ``traced`` when the wording is close (``traced_feature`` ≥ ``traced_above``);
* ``paraphrase`` otherwise (same content, looser wording).

Candidates are ranked by the lookup score with a share of the hubness
penalty given back (``margin_share``), a ``same_lang_penalty`` and the
coherence bonus (``coherence_weight``), see tracer.trace.rank_score.

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

FEATURES: tuple[str, ...] = ("cosine", "excess", "margin", "gap", "numbers", "names", "coherence", "length", "short",
                             "same_lang")
VERDICTS: tuple[str, ...] = ("traced", "paraphrase", "unsourced")


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters of the trace scoring (see the module docstring)."""

    weights: Mapping[str, float]
    bias: float
    unsourced_below: float  # confidence under which a claim is unsourced
    traced_feature: str  # the feature that tells close wording from a paraphrase …
    traced_above: float  # … and the value at or above which wording counts as close
    margin_share: float  # share of the hubness penalty kept when ranking (1 = the lookup score)
    same_lang_penalty: float  # taken off the rank of candidates in the article's language
    coherence_weight: float  # added to a candidate's rank × its document's coherence
    vote_min: float  # a claim votes for its best document only when it ranks this high
    chain_delta: float  # another document joins the chain within this rank of the best
    encoder_id: str = ""  # the encoder the numbers were fitted with (they do not transfer to another)
    provenance: str = ""
    metrics: Mapping[str, float] = field(default_factory=dict)


# Fitted by scripts/bench_trace.py --fit (see `provenance`); replace the whole
# block with the script's output, never edit single numbers by hand.
CALIBRATION = Calibration(
    weights={'excess': 9.2176, 'margin': 18.3546, 'numbers': 0.8402, 'names': 0.3214, 'same_lang': -6.4672},
    bias=-3.7706,
    unsourced_below=0.52,
    traced_feature='cosine',
    traced_above=0.6719,
    margin_share=1.0,
    same_lang_penalty=0.16,
    coherence_weight=0.2,
    vote_min=0.06,
    chain_delta=0.2,
    provenance=(
        "scripts/bench_trace.py --fit on 2026-11-21: fit split (seed 20251001), 2033 claims (868 with a true "
        "origin ranked first, 1165 without); ranking grid on fit P@1 (0.9275; with coherence 0.9830); "
        "logistic regression C=10 on excess, margin, numbers, names, same_lang, stories and Tatoeba weighted "
        "equally; unsourced_below maximises unsourced F1 on fit (P 0.877, R 0.929); "
        "traced_feature/traced_above maximise the balanced accuracy of close vs loose story claims on fit "
        "(0.846, n=152); chain_delta: largest grid value with at most 2% false chain hops on fit stories "
    ),
    metrics={},
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
    return "traced" if float(features.get(cal.traced_feature, 0.0)) >= cal.traced_above else "paraphrase"

"""From the evidence of one claim to a confidence and a verdict.

The evidence is a handful of numbers about the claim's best candidate origin
(after the date rule and document-coherence re-ranking):

* ``cosine``    raw cosine of claim and candidate;
* ``excess``    cosine minus the background of the search that found it (the
                median cosine of the query's ten nearest passages in that
                language): how much the candidate stands out from what is
                merely nearby;
* ``margin``    the lookup margin cos − (r_x + r_y)/2 (tracer.match);
* ``gap``       excess minus the excess of the best passage of another
                document in the candidate's language (capped at 0.3): how
                clearly it beats its own rivals; a translation of it in a
                relay, in another language, is no rival;
* ``numbers``   agreement of figures, in [-1, 1], 0 when neither side has any;
* ``figures``   distinctive figures both sides share (182,000, 3.2%; not
                years or small counts), 0.5 for one, 1 for two or more;
* ``names``     agreement of names across scripts, in [-1, 1];
* ``coherence`` share of the article's *confident* other claims whose best
                origin is in the same document, in [0, 1];
* ``length``    words in the claim / 40, capped at 1;
* ``short``     (8 − words) / 8 for claims under eight words, else 0: short
                claims match many passages by their shape alone;
* ``same_lang`` 1 when the candidate is in the article's language (e5 puts
                any two sentences of one language closer than a translation);
* ``adjacent``  1 when the candidate is the sentence next to (or the same
                as) where a confident neighbouring claim of the article came
                from: rewrites mostly keep their source's order.

Confidence comes in two stages, both logistic models of "the best
candidate's document is the claim's true origin":

1. *standalone*: ``weights`` and ``bias`` over the claim's own evidence
   (no coherence). A claim whose standalone confidence reaches
   ``vote_conf`` votes for its best document;
2. *in context*: ``context_weights`` over the standalone logit, the
   coherence of the best document (the share of the other claims' votes) and
   ``adjacent``, plus ``context_bias``. Coherence is not used on its own: an article whose
   claims are each a little weak must not have them all declared unsourced
   together, nor an invented quote traced because its neighbours are real.

The verdict thresholds the in-context confidence:

* ``unsourced`` when confidence < ``unsourced_below``;
* ``traced`` when the wording is close (``traced_feature`` ≥ ``traced_above``);
* ``paraphrase`` otherwise (same content, looser wording).

Candidates are ranked by a mix of the lookup margin and the excess
(``margin_share`` of the margin), a ``same_lang_penalty`` and a coherence
bonus (``coherence_weight`` × the share of votes), see tracer.trace.

Every number in :data:`CALIBRATION` is fitted by ``scripts/bench_trace.py
--fit`` on the *fit* split of the benchmark data and checked on the held-out
*eval* split; the provenance string says which run produced it, and
``encoder_id`` which encoder (the numbers do not carry over to another one).
Nothing here imports numpy or the model.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["FEATURES", "VERDICTS", "Calibration", "CALIBRATION", "standalone_logit", "standalone_confidence",
           "confidence", "decide"]

FEATURES: tuple[str, ...] = ("cosine", "excess", "margin", "gap", "numbers", "figures", "names", "coherence", "length",
                             "short", "same_lang", "adjacent")
VERDICTS: tuple[str, ...] = ("traced", "paraphrase", "unsourced")


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters of the trace scoring (see the module docstring)."""

    weights: Mapping[str, float]  # standalone model
    bias: float
    context_weights: Mapping[str, float]  # in-context model: "standalone" (its logit) and "coherence"
    context_bias: float
    vote_conf: float  # standalone confidence at which a claim votes for its best document
    unsourced_below: float  # confidence under which a claim is unsourced
    traced_feature: str  # the feature that tells close wording from a paraphrase …
    traced_above: float  # … and the value at or above which wording counts as close
    margin_share: float  # share of the hubness penalty kept when ranking (1 = the lookup score)
    same_lang_penalty: float  # taken off the rank of candidates in the article's language
    coherence_weight: float  # added to a candidate's rank × its document's coherence
    chain_delta: float  # another document joins the chain within this rank of the best
    adjacency_weight: float = 0.0  # added to the rank of a candidate next to a confident neighbour's source
    # confidence a second version of a statement (a relay beside its original)
    # needs to join the chain; None: the same as ``unsourced_below``
    chain_conf: float | None = None
    encoder_id: str = ""  # the encoder the numbers were fitted with (they do not transfer to another)
    provenance: str = ""
    metrics: Mapping[str, float] = field(default_factory=dict)


# Fitted by scripts/bench_trace.py --fit (see `provenance`); replace the whole
# block with the script's output, never edit single numbers by hand.
CALIBRATION = Calibration(
    weights={'excess': 9.4273, 'margin': 12.418, 'gap': 11.5013, 'numbers': 0.137, 'figures': 6.6682, 'names': 1.1659, 'short': -1.0558, 'same_lang': -6.6358},
    bias=-2.9201,
    context_weights={'standalone': 1.6408, 'coherence': 2.7166, 'adjacent': 0.9981},
    context_bias=-0.2527,
    vote_conf=0.5,
    unsourced_below=0.49,
    traced_feature='margin',
    traced_above=-0.091,
    margin_share=0.5,
    same_lang_penalty=0.16,
    coherence_weight=0.16,
    adjacency_weight=0.0,
    chain_delta=0.3,
    chain_conf=0.1,
    encoder_id='e5-small-int8/onnx-int8/passage: |passage: |lower',
    provenance=(
        "scripts/bench_trace.py --fit on 2026-11-22: fit split (seed 20251001), 2303 claims (1010 with a true "
        "origin ranked first, 1293 without); ranking grid on fit P@1 (0.9460; with coherence 0.9912, "
        "adjacency 0.9912); standalone logistic regression C=10 on excess, margin, gap, numbers, figures, "
        "names, short, same_lang, in-context one on its logit, coherence and adjacency (stories only), "
        "stories and Tatoeba weighted equally; unsourced_below maximises min(P, R) of unsourced on fit (P "
        "0.935, R 0.936); traced_feature/traced_above maximise the balanced accuracy of close vs loose story "
        "claims on fit (0.950, n=160); chain_delta/chain_conf: the grid pair finding origin and relay "
        "together most often with at most 2% wrong extra chain hops on fit stories "
    ),
    metrics={'extraction_recall': 0.999, 'extraction_precision': 0.998, 'origin_p1_all_sourced': 0.9847, 'origin_p1_traced': 0.9967, 'unsourced_precision': 0.9355, 'unsourced_recall': 0.934, 'traced_vs_paraphrase_acc': 0.9222, 'chain_article_relay_origin': 0.969},
)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def standalone_logit(features: Mapping[str, float], cal: Calibration = CALIBRATION) -> float:
    """Log-odds that the candidate is the origin, from the claim's own evidence."""
    return cal.bias + sum(w * float(features.get(name, 0.0)) for name, w in cal.weights.items())


def standalone_confidence(features: Mapping[str, float], cal: Calibration = CALIBRATION) -> float:
    """P(origin) from the claim's own evidence (decides whether a claim votes)."""
    return _sigmoid(standalone_logit(features, cal))


def confidence(features: Mapping[str, float], cal: Calibration = CALIBRATION) -> float:
    """P(the best candidate's document is the true origin), in [0, 1], in context."""
    z = (cal.context_bias + cal.context_weights.get("standalone", 1.0) * standalone_logit(features, cal)
         + cal.context_weights.get("coherence", 0.0) * float(features.get("coherence", 0.0))
         + cal.context_weights.get("adjacent", 0.0) * float(features.get("adjacent", 0.0)))
    return _sigmoid(z)


def decide(conf: float, features: Mapping[str, float], cal: Calibration = CALIBRATION) -> str:
    """The verdict for a claim with this confidence and these features."""
    if conf < cal.unsourced_below:
        return "unsourced"
    return "traced" if float(features.get(cal.traced_feature, 0.0)) >= cal.traced_above else "paraphrase"

"""From the evidence of one claim to a confidence and a verdict.

The evidence is a handful of numbers about the claim's best candidate origin
(after the date rule and the article-coherence re-ranking):

* ``score``     the lookup score (CSLS over reference neighbourhoods plus
                figures and names, tracer.lookup.rescore): comparable across
                languages and independent of what else is indexed;
* ``lead``      score minus the score of the best candidate carrying *another*
                statement (another document outside its syndication cluster),
                capped at +-0.3: relays of the same statement are no rivals;
* ``cosine``    centred cosine of claim and candidate (near 1: the same words);
* ``numbers``   agreement of figures, in [-1, 1], 0 when neither side has any;
* ``figures``   distinctive figures both sides share (182,000, 3.2%; not
                years or small counts), 0.5 for one, 1 for two or more;
* ``names``     agreement of names across scripts, in [-1, 1];
* ``coherence`` share of the article's *confident* other claims whose best
                origin is in the same document, in [0, 1];
* ``short``     (8 - words) / 8 for claims under eight words, else 0: short
                claims match many passages by their shape alone;
* ``same_lang`` 1 when the candidate is in the article's language;
* ``coverage``  how well the candidate covers the claim word by word (the mean
                best cosine of the claim's words, tracer.lookup.second_view):
                a translation carries every word, the sentence next to a
                withheld one only the topic's (candidates in the claim's own
                language get the neutral 0.5: shared words inflate it);
* ``adjacent``  1 when the candidate is the sentence next to (or the same
                as) where a confident neighbouring claim of the article came
                from: rewrites mostly keep their source's order;
* ``taken``     1 when the candidate is already the best match of another
                claim of the article that it fits better: a fabricated quote
                among real ones finds the real ones' sources;
* ``aligned_q`` share of the claim's content words the diff's word alignment
                covers in the candidate, ``aligned_s`` the reverse
                (tracer.diff.coverage): the sentence next to a withheld one
                shares its topic, not its words.

Confidence comes in two stages, both logistic models of "the best
candidate carries the claim":

1. *standalone*: ``weights`` and ``bias`` over the claim's own evidence
   (no coherence). A claim whose standalone confidence reaches
   ``vote_conf`` votes for its best document;
2. *in context*: ``context_weights`` over the standalone logit, the
   coherence of the best document (the share of the other claims' votes),
   ``adjacent``, ``taken`` and the aligned shares, plus ``context_bias``.

The verdict thresholds the in-context confidence:

* ``unsourced`` when confidence < ``unsourced_below``;
* ``traced`` when the wording is close (``traced_feature`` >= ``traced_above``);
* ``paraphrase`` otherwise (same content, looser wording).

Candidates are ranked by the lookup score plus ``coherence_weight`` x the
share of votes and ``adjacency_weight`` when adjacent (tracer.trace.candidates).

Every number in :data:`CALIBRATION` is fitted by ``scripts/bench_trace_news.py
--fit`` on the *fit* half of the real-text trace benchmark and checked on the
held-out half; the provenance string says which run produced it, and
``encoder_id`` which encoder (the numbers do not carry over to another one).
Nothing here imports numpy or the model.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["FEATURES", "VERDICTS", "Calibration", "CALIBRATION", "standalone_logit", "standalone_confidence",
           "confidence", "decide"]

FEATURES: tuple[str, ...] = ("score", "lead", "cosine", "numbers", "figures", "names", "coherence", "short",
                             "same_lang", "coverage", "adjacent", "taken", "aligned_q", "aligned_s")
VERDICTS: tuple[str, ...] = ("traced", "paraphrase", "unsourced")


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters of the trace scoring (see the module docstring)."""

    weights: Mapping[str, float]  # standalone model
    bias: float
    context_weights: Mapping[str, float]  # in-context model: "standalone" (its logit), then context features
    context_bias: float
    vote_conf: float  # standalone confidence at which a claim votes for its best document
    unsourced_below: float  # confidence under which a claim is unsourced
    traced_feature: str  # the feature that tells close wording from a paraphrase …
    traced_above: float  # … and the value at or above which wording counts as close
    coherence_weight: float  # added to a candidate's rank x its document's coherence
    adjacency_weight: float = 0.0  # added to the rank of a candidate next to a confident neighbour's source
    encoder_id: str = ""  # the encoder the numbers were fitted with (they do not transfer to another)
    provenance: str = ""
    metrics: Mapping[str, float] = field(default_factory=dict)


# Fitted by scripts/bench_trace.py --fit (see `provenance`); replace the whole
# block with the script's output, never edit single numbers by hand.
CALIBRATION = Calibration(
    weights={'score': 3.9102, 'lead': 3.6852, 'cosine': 8.4193, 'numbers': 0.9116, 'figures': 0.4074, 'names': 0.6915, 'short': -0.5163, 'same_lang': -1.7528, 'coverage': 4.4855},
    bias=-6.5591,
    context_weights={'standalone': 1.6798, 'coherence': 3.1699, 'adjacent': 2.168, 'taken': -1.6187, 'aligned_q': 1.2398, 'aligned_s': 1.2368},
    context_bias=-3.9258,
    vote_conf=0.5,
    unsourced_below=0.38,
    traced_feature='cosine',
    traced_above=0.46,
    coherence_weight=0.15,
    adjacency_weight=0.0,
    encoder_id='e5-small-int8/onnx-int8-solo/passage: |passage: |lower',
    provenance=(
        "scripts/bench_trace_news.py --fit on 2026-12-05: fit half, 'unrelated' index (199 articles, 1064 "
        "claims, 774 with the right top candidate); coherence_weight by fit P@1 {\"0.0\": 0.7162, \"0.05\": "
        "0.7227, \"0.1\": 0.7227, \"0.15\": 0.7246, \"0.2\": 0.7237, \"0.3\": 0.7237}; logistic regressions C=1; "
        "unsourced_below maximises min(P, R) of unsourced on fit (0.916); traced_above: the cosine of the 5% "
        "loosest of 538 professional translations found on fit "
    ),
    metrics={},
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
    z = cal.context_bias + cal.context_weights.get("standalone", 1.0) * standalone_logit(features, cal)
    z += sum(w * float(features.get(name, 0.0)) for name, w in cal.context_weights.items() if name != "standalone")
    return _sigmoid(z)


def decide(conf: float, features: Mapping[str, float], cal: Calibration = CALIBRATION) -> str:
    """The verdict for a claim with this confidence and these features."""
    if conf < cal.unsourced_below:
        return "unsourced"
    return "traced" if float(features.get(cal.traced_feature, 0.0)) >= cal.traced_above else "paraphrase"

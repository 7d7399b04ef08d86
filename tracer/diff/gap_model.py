"""How serious a gap is across languages: the fitted model behind the
severity of an omission or an addition.

A run of words without a counterpart (``gaps.gap_runs``) is a real omission
or addition, or word-alignment noise in a free rendering. Counting its words
alone (the rule the same-language diff keeps) flags many faithful
translations, so across languages the severity comes from a logistic model
over what the alignment says about the run: how many words, whether it is a
whole clause, whether the other side has nothing in its place (an insertion
point) or words that are themselves unmatched (a rewording), how close the
run's nearest look-alikes are compared with the text's typical pair, and how
long the texts are (long windows collect more noise).

The weights are fitted by ``scripts/gap_fit.py`` on the fit half of the
WMT23 diff benchmark (faithful professional translations against the same
pairs with a clause dropped or inserted); the held-out half is reported by
``scripts/bench_diff.py``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

FEATURES = ("content", "clause", "share", "insertion", "width", "facing_gaps", "nearest", "below_typical",
            "sentences", "length")

_SENTENCE_END = re.compile(r"[.!?…]+[»\"”)]*\s+\S")


@dataclass(frozen=True)
class GapModel:
    """Logistic weights over FEATURES; a gap is major from ``major_at`` up."""

    weights: Mapping[str, float]
    bias: float
    major_at: float
    provenance: str = ""

    def probability(self, features: Mapping[str, float]) -> float:
        """How likely the gap is a real omission or addition (fit-half calibrated)."""
        z = self.bias + sum(w * features.get(n, 0.0) for n, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def severity(self, features: Mapping[str, float]) -> tuple[str, float]:
        """("major" or "minor", the probability)."""
        p = self.probability(features)
        return ("major" if p >= self.major_at else "minor"), p


def gap_features(*, content: int, clause: bool, n_content: int, width: int, facing_gaps: float,
                 nearest: float, typical: float, text: str) -> dict[str, float]:
    """The features of one run (see the module doc); ``width`` is how many
    words of the other side lie in its place, ``facing_gaps`` the share of
    those that have no counterpart either, ``nearest`` the mean cosine of the
    run's words to their closest word on the other side."""
    return {
        "content": math.log1p(content),
        "clause": float(clause),
        "share": content / max(n_content, 1),
        "insertion": float(width <= 0),
        "width": math.log1p(max(min(width, 20), 0)),
        "facing_gaps": facing_gaps,
        "nearest": nearest,
        "below_typical": typical - nearest,
        "sentences": math.log1p(len(_SENTENCE_END.findall(text))),
        "length": math.log1p(n_content),
    }


# Fitted by scripts/gap_fit.py (see GAP_MODEL.provenance).
GAP_MODEL = GapModel(
    weights={"content": 3.3896, "clause": 2.1746, "share": 0.8133, "insertion": 0.5849, "width": 0.1638,
             "facing_gaps": -1.2919, "nearest": -1.3671, "below_typical": 1.9131, "sentences": 0.0756,
             "length": -0.1789},
    bias=-4.3686,
    major_at=0.50,
    provenance="scripts/gap_fit.py: fit half of the WMT23 diff benchmark, 494 gap runs, logistic regression "
               "C=1.0, major_at keeps faithful pairs with a major gap <= 2.5%",
)

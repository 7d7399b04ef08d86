"""How serious a gap is across languages: the fitted model behind the
severity of an omission or an addition.

A run of words without a counterpart (``gaps.gap_runs``) is a real omission
or addition, or word-alignment noise in a free rendering. Counting its words
alone (the rule the same-language diff keeps) flags many faithful
translations, so across languages the severity comes from a logistic model
over what the alignment says about the run: how many words, whether it is a
whole clause, whether the other side has nothing in its place (an insertion
point) or words that are themselves unmatched (a rewording), how close the
run's nearest look-alikes are compared with the text's typical pair, how
long the texts are (long windows collect more noise) — and three things the
word pairs do not see: how much of the run's sentence is unmatched (a
dropped clause leaves several short runs), whether taking the run out brings
its sentence closer to the other side's (``ablation``: the sentence model
reads the whole), and how much longer the run's side is than the other
(``length_ratio``, in content words: a translation keeps its length).

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
            "sentences", "length", "sentence_gaps", "ablation", "length_ratio")

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
                 nearest: float, typical: float, text: str, sentence_gaps: float = 0.0,
                 ablation: float = 0.0, other_content: int | None = None,
                 expected_ratio: float = 0.0) -> dict[str, float]:
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
        "sentence_gaps": sentence_gaps,
        # cosine moves by hundredths: in units of 0.02, the scale of the other features' weights
        "ablation": ablation * 50.0,
        "length_ratio": (math.log1p(n_content) - math.log1p(n_content if other_content is None else other_content)
                         - expected_ratio),
    }


# How many more content words (log1p) a faithful translation has than its
# original, by (translation's language, original's language): translations
# run longer into Russian and Ukrainian than into English. Measured by
# scripts/gap_fit.py on the fit half's faithful pairs (means; pairs not
# listed, and one language, expect the same length).
LENGTH_OFFSETS: dict[tuple[str, str], float] = {("en", "ru"): -0.007, ("en", "uk"): -0.056, ("ru", "en"): 0.105,
                                                ("uk", "en"): 0.121}


def expected_ratio(quote_lang: str, source_lang: str, side: str) -> float:
    """The log length ratio of a faithful pair, seen from the run's side ("q" or "s")."""
    offset = LENGTH_OFFSETS.get((quote_lang, source_lang), 0.0)
    return offset if side == "q" else -offset


# Fitted by scripts/gap_fit.py (see GAP_MODEL.provenance).
GAP_MODEL = GapModel(
    weights={"content": 2.4915, "clause": 1.9865, "share": 0.2271, "insertion": 0.7356, "width": 0.4085,
             "facing_gaps": -1.2944, "nearest": -0.6763, "below_typical": 1.1479, "sentences": -0.0396,
             "length": 0.2899, "sentence_gaps": 1.532, "ablation": 0.7795, "length_ratio": 4.1098},
    bias=-6.3086,
    major_at=0.46,
    provenance="scripts/gap_fit.py: fit half of the WMT23 diff benchmark, 494 gap runs, logistic regression "
               "C=1.0, major_at keeps faithful pairs with a major gap <= 2.5%",
)

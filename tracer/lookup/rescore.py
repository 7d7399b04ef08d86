"""Re-ranking of one query's index hits: a cross-lingual margin plus lexical evidence.

Raw e5 cosines sit in a narrow band (unrelated pairs 0.78-0.82), and some
segments ("hubs") are close to everything. Bitext miners fix both with a
margin: a pair counts when it is closer than each side's usual neighbours.
We use CSLS over fixed reference neighbourhoods (tracer.index.space)

    margin = cos(x, y) - r_x / 2 - w * r_y        (CSLS proper: w = 1/2)

where w is ``Settings.hubness_weight``, r_x is the query's neighbourhood in
the candidate's language and r_y the candidate's neighbourhood in the
query's language. Lexical evidence that survives translation (figures,
transliterated names) is added on top with small weights.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..text.names import extract_names, match_names, uncertain_name
from ..text.numbers import extract_numbers, numbers_agree

_DATED = ("year", "date")


def distinctive_figure(n) -> bool:
    """A figure specific enough to fingerprint a statement: 182,000 or 3.2%
    rarely recur by chance, while small whole counts ("two", "15") and years
    are shared by unrelated sentences all the time."""
    if n.kind not in ("count", "money", "percent"):
        return False
    return abs(n.value) >= 100 or n.value != int(n.value)


# A batch of lookups meets the same texts again and again (each query against
# its 50 candidates, hubs against many queries): extract figures and names once.
@lru_cache(maxsize=1 << 16)
def _figures(text: str, lang: str) -> tuple:
    return tuple(extract_numbers(text, lang))


@lru_cache(maxsize=1 << 16)
def _names(text: str, lang: str) -> tuple:
    return tuple(extract_names(text, lang))


@dataclass(frozen=True)
class Candidate:
    """A scored index hit before it is dressed up as a ``Match``."""

    segment_id: int
    cosine: float
    margin: float
    score: float
    signals: dict[str, float]


def lexical_signals(query: str, query_lang: str, candidate: str, candidate_lang: str) -> dict[str, float]:
    """Agreement of figures and names between a quote and a candidate, each in [-1, 1].

    0 when neither side has any; positive when they share them; negative when
    one side has figures/names the other lacks or contradicts. ``figures``
    (in [0, 1], only when positive) counts the distinctive figures both share
    (:func:`distinctive_figure`; 1 for two or more).
    """
    signals: dict[str, float] = {}
    qn, cn = _figures(query, query_lang), _figures(candidate, candidate_lang)
    if qn or cn:
        pairs, only_q, only_c = numbers_agree(list(qn), list(cn))
        # Rewrites turn dates into "this year" / "в прошлом году": a year on
        # one side only says little, while a different year says a lot. So an
        # unmatched year or date counts only when the other side has one too.
        if not any(n.kind in _DATED for n in cn):
            only_q = [n for n in only_q if n.kind not in _DATED]
        if not any(n.kind in _DATED for n in qn):
            only_c = [n for n in only_c if n.kind not in _DATED]
        total = len(pairs) + len(only_q) + len(only_c)
        if total:
            signals["numbers"] = (len(pairs) - len(only_q) - 0.5 * len(only_c)) / total
        # Agreement is a share; "figures" says how much evidence it rests on:
        # one shared 182,000 says more than any number of shared "two"s.
        shared = sum(1 for a, _ in pairs if distinctive_figure(a))
        if shared:
            signals["figures"] = min(shared, 2) / 2.0
    qa, ca = _names(query, query_lang), _names(candidate, candidate_lang)
    if qa or ca:
        pairs, only_q, only_c = match_names(list(qa), list(ca))
        # СЗЧ is "SOUs" in one English rewrite and "AWOL" in another, and a
        # segment's first word may be capitalised only for standing first: an
        # unmatched uncertain name counts for nothing either way.
        only_q = [n for n in only_q if not uncertain_name(query, n)]
        only_c = [n for n in only_c if not uncertain_name(candidate, n)]
        total = len(pairs) + len(only_q) + len(only_c)
        if total:
            signals["names"] = (len(pairs) - len(only_q) - 0.5 * len(only_c)) / total
    return signals


@dataclass(frozen=True)
class Weights:
    """How the score is put together (``Settings`` carries the values)."""

    hubness: float = 0.5  # of the candidate's neighbourhood (the query's weighs 1/2)
    numbers: float = 0.02  # of the figures' agreement, in [-1, 1]
    names: float = 0.02  # of the names' agreement, in [-1, 1]
    same_language: float = 0.0  # taken off a candidate in the quote's own language ...
    verbatim_cosine: float = 0.95  # ... unless its cosine says it is the same words


def same_language_penalty(cos: float, weights: Weights) -> float:
    """Two texts of one language share words and shape that a translation does
    not: a same-language candidate needs more to win, unless it is (nearly) the
    quote itself. Tapers from the full penalty 0.1 below the verbatim cosine to none at it."""
    return weights.same_language * min(1.0, max(0.0, (weights.verbatim_cosine - cos) / 0.1))


def rescore(
    query: str,
    query_lang: str,
    cosines: np.ndarray,
    ids: np.ndarray,
    r_x: np.ndarray,
    r_y: np.ndarray,
    texts: dict[int, tuple[str, str]],
    use_lexical: bool = True,
    weights: Weights = Weights(),
    exact_top: int | None = None,
) -> list[Candidate]:
    """Turn raw (cosine, id) hits for one query into candidates sorted by score.

    ``r_x`` (the query's neighbourhood in each hit's language) and ``r_y``
    (each hit's neighbourhood in the query's language) are indexed like
    ``ids``; ``texts`` maps a segment id to (text, lang) for the lexical
    signals and the language check.

    With ``exact_top = n`` the lexical signals (the costly part) are only
    worked out while they can still change who the first ``n`` are: figures
    and names move a score by at most ``numbers + names``, so once ``n``
    candidates are fully scored and the next one could not reach the n-th
    even with full agreement, the rest keep their score without them (and
    stay below the first ``n``). The first ``n`` are exactly those, in
    exactly the order, of a full rescore.
    """
    keep = ids >= 0
    cosines, ids, r_x, r_y = cosines[keep], ids[keep], r_x[keep], r_y[keep]
    base = []
    for cos, sid, rx, ry in zip(cosines.tolist(), ids.tolist(), r_x.tolist(), r_y.tolist()):
        margin = cos - rx / 2.0 - weights.hubness * ry
        score = margin
        text, lang = texts.get(sid, ("", ""))
        if lang == query_lang and weights.same_language:
            score -= same_language_penalty(cos, weights)
        base.append((score, int(sid), cos, margin, text, lang))
    lexical = use_lexical and (weights.numbers or weights.names)
    if exact_top is None or not lexical:
        exact_top = len(base)
    bound = abs(weights.numbers) + abs(weights.names)
    base.sort(key=lambda b: (-b[0], b[1]))
    done: list[Candidate] = []
    best: list[float] = []  # min-heap of the exact_top highest final scores so far
    rest: list[Candidate] = []
    for score, sid, cos, margin, text, lang in base:
        signals = {"cosine": cos, "margin": margin}
        if len(best) == exact_top and score + bound < best[0]:
            rest.append(Candidate(sid, float(cos), float(margin), float(score), signals))
            continue
        if lexical and text:
            lex = lexical_signals(query, query_lang, text, lang)
            score += weights.numbers * lex.get("numbers", 0.0) + weights.names * lex.get("names", 0.0)
            signals.update(lex)
        done.append(Candidate(sid, float(cos), float(margin), float(score), signals))
        if len(best) < exact_top:
            heapq.heappush(best, float(score))
        else:
            heapq.heappushpop(best, float(score))
    done.sort(key=lambda c: (-c.score, c.segment_id))
    return done + rest

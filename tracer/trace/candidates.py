"""Candidate origins of claims: the lookups, and the evidence about each candidate.

The lookup score (tracer.lookup.rescore) is comparable across languages and
does not depend on what else is indexed, so one search over every allowed
language finds a claim's candidates; :func:`features` says how far the best
one stands out from the passages of other statements (never from copies of
its own statement: syndicated relays are no rivals, tracer.index.clusters).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..lookup.filters import SearchFilter
from ..lookup.lookup import Lookup
from ..types import Match
from .claims import Claim, query_text
from .verdict import Calibration

__all__ = ["Candidates", "claim_queries", "gather_candidates", "features", "rivals", "rank", "K_INTERNAL"]

ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


# Candidates kept per claim query: coherence and chains look past the k shown.
K_INTERNAL = 10
# ``lead`` (a feature) is capped: beyond this a candidate has no rival worth
# the name, and a candidate with no rival at all gets the cap.
GAP_CAP = 0.3
# Candidates whose word coverage of the claim is measured (the ``coverage``
# feature): those the article's coherence can still lift to first place
# (coherence_weight x a share <= 0.15), at most this many.
COVERAGE_REACH = 0.15
COVERAGE_MAX = 5
# ``coverage`` of a candidate too far behind to have been measured: about the
# coverage of an unrelated passage (median 0.53 for the best passage of an
# invented quote on the fit half; 0.69 for the true origin).
COVERAGE_UNMEASURED = 0.5
# Claims shorter than this many words ("We are not begging for help") match
# many passages by their shape alone; ``short`` grows as they get shorter.
SHORT_WORDS = 8


def claim_queries(claim: Claim, text: str) -> list[str]:
    """What is looked up for a claim: the claim, and its parts or its clause."""
    queries = [query_text(claim.text)]
    if len(claim.parts) > 1:
        queries += [query_text(text[s:e]) for s, e in claim.parts]
    if claim.focus is not None:
        queries.append(query_text(text[claim.focus[0]:claim.focus[1]]))
    seen: list[str] = []
    for q in queries:
        if q and q not in seen and any(ch.isalnum() for ch in q):
            seen.append(q)
    return seen


@dataclass(frozen=True)
class Candidates:
    """The lookups of one claim: every query's hits, each passage once, best score first."""

    matches: tuple[Match, ...]


def gather_candidates(
    lookup: Lookup,
    claims: Sequence[Claim],
    text: str,
    *,
    where: SearchFilter = SearchFilter(),
    k: int = K_INTERNAL,
    progress: ProgressFn = _noop,
) -> list[Candidates]:
    """Candidate origins of each claim (the lookups; no scoring decisions yet).

    A claim is looked up whole and, for split quotes and reported speech, by
    its parts and its "that ..." clause; each passage keeps the best score
    any of those queries gave it.
    """
    queries: list[tuple[str, str]] = []
    owner: list[int] = []
    for n, claim in enumerate(claims):
        for j, q in enumerate(claim_queries(claim, text)):
            queries.append((f"{claim.claim_id}#{j}", q))
            owner.append(n)
    best: list[dict[int, Match]] = [{} for _ in claims]
    results = lookup.search(queries, k=k, where=where, progress=progress)
    for n, res in zip(owner, results):
        for m in res.matches:
            prev = best[n].get(m.segment_id)
            if prev is None or m.score > prev.score:
                best[n][m.segment_id] = m
    out = [Candidates(tuple(sorted(b.values(), key=lambda m: (-m.score, m.segment_id)))) for b in best]
    return [_with_coverage(lookup, claim, c) for claim, c in zip(claims, out)]


def _with_coverage(lookup: Lookup, claim: Claim, cands: Candidates) -> Candidates:
    """The candidates with their word coverage of the claim (signal ``coverage``)
    where it can matter: the ones within ``COVERAGE_REACH`` of the best."""
    if not cands.matches:
        return cands
    best = cands.matches[0].score
    near = [m for m in cands.matches[:COVERAGE_MAX] if m.score >= best - COVERAGE_REACH]
    cover = lookup.coverages(query_text(claim.text), [m.text for m in near])
    if cover is None:
        return cands
    moved = {m.segment_id: replace(m, signals={**m.signals, "coverage": round(c, 4)}) for m, c in zip(near, cover)}
    return Candidates(tuple(moved.get(m.segment_id, m) for m in cands.matches))


def same_statement(a: Match, b: Match) -> bool:
    """Whether two passages carry one statement: one document, or one syndication cluster."""
    return a.doc_id == b.doc_id or (a.cluster is not None and a.cluster == b.cluster)


def rivals(m: Match, candidates: Sequence[Match]) -> list[Match]:
    """The candidates that carry another statement than ``m`` (relays of it are not rivals)."""
    return [r for r in candidates if not same_statement(m, r)]


def features(m: Match, coherence: float, words: int, claim_lang: str,
             candidates: Sequence[Match] = ()) -> dict[str, float]:
    """The evidence for one candidate (see tracer.trace.verdict for the list)."""
    others = [r.score for r in rivals(m, candidates)]
    lead = min(GAP_CAP, max(-GAP_CAP, m.score - max(others))) if others else GAP_CAP
    return {
        "score": float(m.score),
        "lead": float(lead),
        "cosine": float(m.cosine),
        "numbers": float(m.signals.get("numbers", 0.0)),
        "figures": float(m.signals.get("figures", 0.0)),
        "names": float(m.signals.get("names", 0.0)),
        "coherence": float(coherence),
        "short": max(0, SHORT_WORDS - words) / SHORT_WORDS,
        "same_lang": 1.0 if m.lang == claim_lang else 0.0,
        # word vectors are not centred per language: an unrelated English line shares an
        # English claim's "We are not ..." (0.78 where its Russian origin had 0.61), so a
        # candidate in the claim's own language is judged by the cosine alone
        "coverage": (float(m.signals.get("coverage", COVERAGE_UNMEASURED)) if m.lang != claim_lang
                     else COVERAGE_UNMEASURED),
    }


def rank(ms: Sequence[Match], cal: Calibration, coh: dict[str, float] | None = None,
         adjacency: Callable[[Match], float] | None = None) -> list[tuple[float, Match]]:
    """Candidates by their lookup score, plus the article's coherence and adjacency bonuses."""
    ranked = [(float(m.score) + cal.coherence_weight * (coh or {}).get(m.doc_id, 0.0)
               + (cal.adjacency_weight * adjacency(m) if adjacency else 0.0), m) for m in ms]
    ranked.sort(key=lambda t: (-t[0], -t[1].score, t[1].segment_id))
    return ranked

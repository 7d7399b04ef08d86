"""Candidate origins of claims: the lookups, and the evidence about each candidate.

Each language is searched on its own (see :func:`gather_candidates`); each
candidate carries the background of the search that found it, from which
:func:`features` and :func:`rank_score` measure how far it stands out.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import median

from ..lookup.filters import SearchFilter
from ..lookup.lookup import Lookup
from ..types import Match
from .claims import Claim, query_text
from .verdict import Calibration

__all__ = ["Candidates", "claim_queries", "gather_candidates", "features", "rank_score", "rank",
           "K_INTERNAL"]

ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


# Candidates kept per claim query: coherence and chains look past the k shown.
K_INTERNAL = 10
# ``gap`` (a feature) is capped: beyond this a candidate has no rival worth
# the name, and a lone candidate (no rival in its language) gets the cap.
GAP_CAP = 0.3
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
    """The lookups of one claim: every query's hits, each passage once, with
    the background of the search that found it: the median cosine of that
    query's hits in that language, what "nearby but unrelated" looks like.

    A language with fewer indexed passages than one search returns (eight
    English segments in the example corpus) has no neighbourhood to speak of:
    the median of whatever it holds is far too low and everything in it
    would stand out, so the highest background of a fully searched language
    is used instead (the conservative choice).
    """

    matches: tuple[Match, ...]
    backgrounds: dict[str, float] = field(default_factory=dict)  # language → background of the main query
    full: frozenset[str] = frozenset()  # languages whose searches returned full lists
    by_segment: dict[int, float] = field(default_factory=dict)  # segment → background of the search that found it

    @classmethod
    def from_searches(cls, per_lang: Sequence[tuple[str, Sequence[Match]]], k: int = K_INTERNAL) -> "Candidates":
        """The candidates of one query searched once per language (``k`` hits
        each): its background in a language is the median cosine of its hits there."""
        return cls(tuple(m for _, ms in per_lang for m in ms),
                   {lang: float(median(m.cosine for m in ms)) for lang, ms in per_lang if ms},
                   frozenset(lang for lang, ms in per_lang if len(ms) >= k))

    def background_of(self, m: Match) -> float:
        own = self.by_segment.get(m.segment_id, self.backgrounds.get(m.lang))
        if own is not None and m.lang in self.full:
            return own
        full = [v for lang, v in self.backgrounds.items() if lang in self.full]
        if full:
            return max(full + ([own] if own is not None else []))
        return max(self.backgrounds.values()) if self.backgrounds else (own or 0.0)


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

    Each language is searched on its own. e5 puts two sentences of one
    language (or of Russian and Ukrainian) closer than a sentence and its
    English translation, so one mixed search fills the candidate list with
    look-alikes ("I don't like soccer" for "I don't like Christmas anymore")
    and pushes the translation out of it: on the benchmark a mixed search
    kept the true origin among the ten candidates for 63% of the English
    claims. Per-language searches also give a per-language background, so
    candidates of different languages are compared on how far each stands
    out from its own neighbourhood.
    """
    queries: list[tuple[str, str]] = []
    owner: list[tuple[int, int]] = []
    for n, claim in enumerate(claims):
        for j, q in enumerate(claim_queries(claim, text)):
            queries.append((f"{claim.claim_id}#{j}", q))
            owner.append((n, j))
    best: list[dict[int, tuple[Match, float]]] = [{} for _ in claims]
    backgrounds: list[dict[str, float]] = [{} for _ in claims]
    full: list[set[str]] = [set() for _ in claims]
    for lang in where.searched_langs():
        results = lookup.search(queries, k=k, where=where.only(lang), progress=progress, second_view=False)
        for (n, j), res in zip(owner, results):
            if not res.matches:
                continue
            bg = float(median(m.cosine for m in res.matches))
            if j == 0:
                backgrounds[n][lang] = bg
                if len(res.matches) >= k:
                    full[n].add(lang)
            for m in res.matches:
                # keep, per passage, the query it stands out most for
                prev = best[n].get(m.segment_id)
                if prev is None or m.cosine - bg > prev[0].cosine - prev[1]:
                    best[n][m.segment_id] = (m, bg)
    out = []
    for b, bgs, f in zip(best, backgrounds, full):
        ms = tuple(sorted((m for m, _ in b.values()), key=lambda m: (-m.score, m.segment_id)))
        out.append(Candidates(ms, bgs, frozenset(f), {sid: bg for sid, (_, bg) in b.items()}))
    return out


def features(m: Match, coherence: float, words: int, claim_lang: str, background: float,
              rivals: Sequence[Match] = (), background_of: Callable[[Match], float] | None = None) -> dict[str, float]:
    """The evidence for one candidate (see tracer.verdict for the list).

    ``rivals`` are the claim's other candidates: ``gap`` is how far this one
    stands out from the best passage of *another* document in *its own*
    language (a relay in another language does not count against it).
    """
    excess = float(m.cosine) - background
    same = [float(r.cosine) - (background_of(r) if background_of else background)
            for r in rivals if r.lang == m.lang and r.doc_id != m.doc_id]
    gap = min(GAP_CAP, excess - max(same)) if same else GAP_CAP
    return {
        "cosine": float(m.cosine),
        "excess": excess,
        "margin": float(m.signals.get("margin", m.score)),
        "gap": gap,
        "numbers": float(m.signals.get("numbers", 0.0)),
        "figures": float(m.signals.get("figures", 0.0)),
        "names": float(m.signals.get("names", 0.0)),
        "coherence": float(coherence),
        "length": min(words, 40) / 40.0,
        "short": max(0, SHORT_WORDS - words) / SHORT_WORDS,
        "same_lang": 1.0 if m.lang == claim_lang else 0.0,
    }


def rank_score(m: Match, claim_lang: str, cal: Calibration, background: float) -> float:
    """The score candidates of one claim are ranked by (before coherence).

    A mix of two ways to say "stands out": the lookup margin cos − (r_x +
    r_y)/2, and the excess cos − background of the candidate's language
    (``margin_share`` of the first). The margin's r_y (hubness) is high for a
    statement whose translations are indexed, which penalises exactly the
    original-plus-relays case; the excess has no such term. The lexical
    signals of the lookup (figures, names) are kept as they are. Candidates in
    the article's own language get ``same_lang_penalty`` (e5 puts any two
    sentences of one language of the same shape close; a verbatim quote, at
    cosine ≈ 1, still wins).
    """
    margin = float(m.signals.get("margin", m.score))
    lexical = float(m.score) - margin
    excess = float(m.cosine) - background
    same = 1.0 if m.lang == claim_lang else 0.0
    return cal.margin_share * margin + (1.0 - cal.margin_share) * excess + lexical - cal.same_lang_penalty * same


def rank(ms: Sequence[Match], claim_lang: str, cal: Calibration, background: Callable[[Match], float],
          coh: dict[str, float] | None = None, adjacency: Callable[[Match], float] | None = None
          ) -> list[tuple[float, Match]]:
    ranked = [(rank_score(m, claim_lang, cal, background(m)) + cal.coherence_weight * (coh or {}).get(m.doc_id, 0.0)
               + (cal.adjacency_weight * adjacency(m) if adjacency else 0.0), m) for m in ms]
    ranked.sort(key=lambda t: (-t[0], -t[1].score, t[1].segment_id))
    return ranked

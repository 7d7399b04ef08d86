"""Source chains: article → relay → original, ordered by date.

A chain starts with the article, holds the claim's best origin and the other
documents carrying the same statement, and is extended backwards by looking
up the earliest passage itself (a relay's quote finds the interview it came
from). No hop may be later than the passage it explains or than the article.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from ..lookup.filters import SearchFilter
from ..lookup.lookup import Lookup
from .candidates import K_INTERNAL, Candidates, features, rank
from .claims import query_text
from ..types import Match
from .verdict import Calibration, confidence, standalone_confidence

__all__ = ["ChainHop", "later_than", "build_chains", "CHAIN_DEPTH"]

# How far a chain is followed backwards (article → relay → original → …).
CHAIN_DEPTH = 2


@dataclass(frozen=True)
class ChainHop:
    """One step of a source chain; the first hop is the article itself."""

    doc_id: str
    lang: str
    date: str | None
    source: str | None
    role: str  # "article" | "relay" | "origin"
    title: str | None = None
    url: str | None = None
    text: str = ""  # the passage carrying the claim
    start: int | None = None
    end: int | None = None
    confidence: float | None = None  # that this passage carries the claim (of the hop before it)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else value


def later_than(candidate_date: str | None, article_date: str | None) -> bool:
    """The date rule: True when both dates are known and the candidate is later."""
    a, b = _day(candidate_date), _day(article_date)
    return bool(a and b and a > b)


def _hop(m: Match, role: str, conf: float | None) -> ChainHop:
    return ChainHop(doc_id=m.doc_id, lang=m.lang, date=m.date, source=m.source, role=role, title=m.title,
                    url=m.url, text=m.text, start=m.start, end=m.end,
                    confidence=round(conf, 4) if conf is not None else None)


def _date_order(hops: list[ChainHop]) -> list[ChainHop]:
    """Latest first (closest to the article), the earliest last; undated hops
    keep their place after the dated ones (their order cannot be known)."""
    dated = sorted((h for h in hops if _day(h.date)), key=lambda h: _day(h.date) or "", reverse=True)
    return dated + [h for h in hops if not _day(h.date)]


def build_chains(lookup: Lookup, info, traces: list[dict[str, Any]], cal: Calibration, *,
                 where: SearchFilter, follow: bool) -> list[list[ChainHop]]:
    article_hop = ChainHop(doc_id=info.id, lang=info.lang, date=info.date, source=info.source, role="article",
                           title=info.title, url=info.url, text="", confidence=None)
    nodes: list[dict[str, tuple[Match, float]]] = []
    for t in traces:
        found: dict[str, tuple[Match, float]] = {}
        if t["verdict"] != "unsourced" and t["ranked"]:
            best, top = t["ranked"][0]
            found[top.doc_id] = (top, t["conf"])
            # Other documents carrying the same statement (a relay and its
            # original both match an article quote): close to the best, and
            # credible on their own.
            for r, m in t["ranked"][1:]:
                if m.doc_id in found or r < best - cal.chain_delta:
                    continue
                # The article's claims vote for whichever version of a
                # statement edges ahead (the relay for one, the original for
                # the next): each version's share of the votes understates
                # both, so a second version counts the best one's votes too.
                coh = min(1.0, t["coh"].get(m.doc_id, 0.0) + t["coh"].get(top.doc_id, 0.0))
                feats = features(m, coh, t["words"], info.lang,
                                  t["cands"].background_of(m), [x for _, x in t["ranked"]],
                                  t["cands"].background_of)
                feats["adjacent"] = t["adj"](m)
                conf = confidence(feats, cal)
                if conf >= (cal.unsourced_below if cal.chain_conf is None else cal.chain_conf):
                    found[m.doc_id] = (m, conf)
        nodes.append(found)
    if follow:
        _follow_back(lookup, info, nodes, cal, where=where)
    out = []
    for found in nodes:
        if not found:
            out.append([article_hop])
            continue
        hops = _date_order([_hop(m, "relay", conf) for m, conf in found.values()])
        hops[-1] = replace(hops[-1], role="origin")
        out.append([article_hop] + hops)
    return out


def _follow_back(lookup: Lookup, info, nodes: list[dict[str, tuple[Match, float]]], cal: Calibration, *,
                 where: SearchFilter) -> None:
    """Look up each chain's earliest passage to find where *it* came from.

    The passage is traced like a claim (its own background; coherence among
    the passages of the same document); the best remaining candidate joins
    the chain when it is credible and not later than the passage it explains.
    """
    frontier = {n: min((m for m, _ in found.values()), key=lambda m: (_day(m.date) or "9999", -m.score))
                for n, found in enumerate(nodes) if found}
    for _ in range(CHAIN_DEPTH):
        if not frontier:
            return
        by_doc: dict[str, list[int]] = {}
        for n, m in frontier.items():
            by_doc.setdefault(m.doc_id, []).append(n)
        new_frontier: dict[int, Match] = {}
        for doc_id, owners in sorted(by_doc.items()):
            texts = sorted({query_text(frontier[n].text) for n in owners})
            found: dict[str, list[tuple[str, list[Match]]]] = {t: [] for t in texts}
            for group in where.searched_langs():
                results = lookup.search([(str(i), t) for i, t in enumerate(texts)], k=K_INTERNAL,
                                        where=where.only(group).excluding([doc_id]), second_view=False)
                for t, res in zip(texts, results):
                    found[t].append((group, list(res.matches)))
            # The passages of one relay mostly come from the same original:
            # each passage's best candidate, then coherence among them (the
            # share of the *other* passages confidently pointing at the same
            # document) enters the in-context confidence, as for claims.
            best: dict[int, tuple[Match, dict[str, float]]] = {}
            for n in owners:
                hop = frontier[n]
                per_lang = found[query_text(hop.text)]
                c = Candidates.from_searches(per_lang)
                ok = [m for m in c.matches if not later_than(m.date, hop.date) and not later_than(m.date, info.date)
                      and m.doc_id not in nodes[n]]
                ranked = rank(ok, hop.lang, cal, c.background_of)
                if ranked:
                    m = ranked[0][1]
                    best[n] = (m, features(m, 0.0, len(hop.text.split()), hop.lang, c.background_of(m), ok,
                                           c.background_of))
            # one vote per passage (several claims may share a relay passage)
            votes = {frontier[n].segment_id: m.doc_id for n, (m, f) in best.items()
                     if standalone_confidence(f, cal) >= cal.vote_conf}
            for n, (m, f) in best.items():
                others = [d for sid, d in votes.items() if sid != frontier[n].segment_id]
                f = {**f, "coherence": sum(d == m.doc_id for d in others) / len(others) if others else 0.0}
                conf = confidence(f, cal)
                if conf >= cal.unsourced_below:
                    nodes[n][m.doc_id] = (m, conf)
                    new_frontier[n] = m
        frontier = new_frontier

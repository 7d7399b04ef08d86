"""Source chains: article -> relays -> origin, from the statement's syndication cluster.

The best candidate of a claim is one copy of a statement; the other copies
are the members of its syndication cluster (tracer.index.clusters): the
outlet that published it first, relays that copied it, translations. The
chain lists each document once, ordered by date, and the origin is the
earliest *dated* member: an undated copy is never preferred over a dated one
(it is listed, marked undated). A member published after the article cannot
be its source and is left out (the date rule), and a member whose figures
contradict the claim's is listed with a note rather than silently.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from ..lookup.filters import SearchFilter
from ..lookup.lookup import Lookup
from ..text.numbers import extract_numbers, numbers_agree
from ..types import Match

__all__ = ["ChainHop", "later_than", "build_chains"]


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
    confidence: float | None = None  # that this passage carries the claim
    note: str | None = None  # e.g. "undated", "figures differ: ..."

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else value


def later_than(candidate_date: str | None, article_date: str | None) -> bool:
    """The date rule: True when both dates are known and the candidate is later."""
    a, b = _day(candidate_date), _day(article_date)
    return bool(a and b and a > b)


def _hop(m: Match, role: str, conf: float | None, note: str | None = None) -> ChainHop:
    return ChainHop(doc_id=m.doc_id, lang=m.lang, date=m.date, source=m.source, role=role, title=m.title,
                    url=m.url, text=m.text, start=m.start, end=m.end,
                    confidence=round(conf, 4) if conf is not None else None, note=note)


def figure_note(claim_text: str, claim_lang: str, m: Match) -> str | None:
    """A note when the passage's figures contradict the claim's."""
    a = [n for n in extract_numbers(claim_text, claim_lang) if n.kind != "ordinal"]
    b = [n for n in extract_numbers(m.text, m.lang) if n.kind != "ordinal"]
    if not a or not b:
        return None
    _, only_a, only_b = numbers_agree(a, b)
    if only_a and only_b:
        return (f"figures differ: the claim has {', '.join(x.text for x in only_a)}; "
                f"this copy has {', '.join(y.text for y in only_b)}")
    return None


def order_hops(members: list[tuple[Match, str | None]], conf: float) -> list[ChainHop]:
    """Hops of one statement, closest to the article first: undated copies
    (their place cannot be known), then dated ones from the latest to the
    earliest; the earliest dated one is the origin (the best match when none is dated)."""
    dated = sorted((x for x in members if _day(x[0].date)), key=lambda x: (_day(x[0].date) or "", x[0].doc_id),
                   reverse=True)
    undated = [x for x in members if not _day(x[0].date)]
    hops = [_hop(m, "relay", conf, note or "undated") for m, note in undated]
    hops += [_hop(m, "relay", conf, note) for m, note in dated]
    if dated:
        hops[-1] = replace(hops[-1], role="origin")
    elif hops:
        hops[0] = replace(hops[0], role="origin")
        hops = hops[1:] + hops[:1]
    return hops


def build_chains(lookup: Lookup | None, info, traces: list[dict[str, Any]],
                 where: SearchFilter | None = None) -> list[list[ChainHop]]:
    """Each claim's chain: the article, then its statement's copies by date."""
    article_hop = ChainHop(doc_id=info.id, lang=info.lang, date=info.date, source=info.source, role="article",
                           title=info.title, url=info.url, text="", confidence=None)
    out = []
    for t in traces:
        if t["verdict"] == "unsourced" or not t["ranked"]:
            out.append([article_hop])
            continue
        top = t["ranked"][0][1]
        members = [top]
        if top.cluster is not None and lookup is not None:
            members += lookup.searcher.cluster_members(top.cluster, where or SearchFilter())
        by_doc: dict[str, Match] = {}
        for m in members:
            if m.doc_id not in by_doc and not later_than(m.date, info.date):
                by_doc[m.doc_id] = m
        claim = t["claim"]
        notes = [(m, figure_note(claim.text, info.lang, m) if m is not top else None) for m in by_doc.values()]
        out.append([article_hop] + order_hops(notes, t["conf"]))
    return out

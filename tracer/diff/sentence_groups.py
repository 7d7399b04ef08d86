"""Which sentences of a quote render which sentences of its original.

A passage of several sentences is translated sentence by sentence, but not
one to one: a translator splits a long sentence, merges two short ones, or
moves a clause into the next. Checks that balance counts over a whole text
(the negation check counts negations on both sides) then compare one
sentence's "failed" with another sentence's «не вдалося» and see a change
where there is none, or the reverse. :func:`sentence_groups` pairs the
sentences through the word alignment: sentences joined by enough mutual best
matches fall into one group, the smallest units whose content both sides
share.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from .align import Alignment, Word, itermax

__all__ = ["SENTENCE_BREAK", "SentenceGroup", "sentence_groups", "within_groups"]

# Where a sentence ends (ablation.sentence_bounds reads sentences the same way).
SENTENCE_BREAK = re.compile(r"[.!?…]+[»\"”’)\]]*\s+|\n+")
# Two sentences are linked by this many mutual best matches, or by this
# share of the shorter one's words (a sentence linked to nothing joins its
# predecessor). Requiring both split more passages and flagged more
# faithful ones on the fit half.
MIN_LINKS = 2
MIN_LINK_SHARE = 0.25


@dataclass(frozen=True)
class SentenceGroup:
    """Word indices of the quote and of the original that render each other."""

    quote: frozenset[int]
    source: frozenset[int]


def _sentence_of(words: tuple[Word, ...], text: str) -> list[int]:
    """The sentence number of each word."""
    breaks = [m.start() for m in SENTENCE_BREAK.finditer(text.rstrip())]
    out, k = [], 0
    for w in words:
        while k < len(breaks) and breaks[k] < w.start:
            k += 1
        out.append(k)
    return out


def sentence_groups(al: Alignment) -> list[SentenceGroup]:
    """Groups of quote and original sentences that render each other, in
    text order; one group holding everything when either side is a single
    sentence or the alignment links nothing."""
    qs = _sentence_of(al.quote_words, al.quote)
    ss = _sentence_of(al.source_words, al.source)
    n_q, n_s = (max(x) + 1 if x else 0 for x in (qs, ss))
    everything = [SentenceGroup(frozenset(range(len(qs))), frozenset(range(len(ss))))]
    if n_q <= 1 or n_s <= 1:
        return everything
    q_len = [qs.count(k) for k in range(n_q)]
    s_len = [ss.count(k) for k in range(n_s)]
    links: dict[tuple[int, int], int] = {}
    for p in al.pairs:
        if p.round == 1:
            key = (qs[p.q], ss[p.s])
            links[key] = links.get(key, 0) + 1
    # union-find over quote sentences 0..n_q-1 and source sentences n_q..n_q+n_s-1
    parent = list(range(n_q + n_s))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked = set()
    for (a, b), n in links.items():
        if n >= MIN_LINKS or n >= MIN_LINK_SHARE * min(q_len[a], s_len[b]):
            parent[find(a)] = find(n_q + b)
            linked.update((a, n_q + b))
    if not linked:
        return everything
    # a sentence linked to nothing (a heading, a free rendering) goes with its
    # predecessor on its side, or its successor when it opens the text
    for first, count in ((0, n_q), (n_q, n_s)):
        nodes = range(first, first + count)
        anchored = [x for x in nodes if x in linked]
        if not anchored:
            continue
        for x in nodes:
            if x not in linked:
                before = [y for y in anchored if y < x]
                parent[find(x)] = find(before[-1] if before else anchored[0])
    roots: dict[int, tuple[set[int], set[int]]] = {}
    for i, k in enumerate(qs):
        roots.setdefault(find(k), (set(), set()))[0].add(i)
    for j, k in enumerate(ss):
        roots.setdefault(find(n_q + k), (set(), set()))[1].add(j)
    groups = [SentenceGroup(frozenset(q), frozenset(s)) for q, s in roots.values()]
    return sorted(groups, key=lambda g: (min(g.quote, default=10**9), min(g.source, default=10**9)))


# Taken off the cosine of a word pair across two sentence groups when the
# alignment is redone: a word pairs with a look-alike in another sentence
# only if nothing in its own group comes close.
CROSS_GROUP_PENALTY = 0.1


def within_groups(al: Alignment, penalty: float = CROSS_GROUP_PENALTY) -> Alignment:
    """``al`` aligned again with pairs across sentence groups discounted, so
    that "bear" in one sentence stops pairing with «ведмедя» of the next."""
    groups = sentence_groups(al)
    if len(groups) <= 1 or penalty <= 0:
        return al
    q_group = np.zeros(len(al.quote_words), int)
    s_group = np.zeros(len(al.source_words), int)
    for k, g in enumerate(groups):
        q_group[list(g.quote)] = k
        s_group[list(g.source)] = k
    cross = (q_group[:, None] != s_group[None, :]).astype(np.float32) * penalty
    return replace(al, pairs=tuple(itermax(al.sim, penalty=cross)))

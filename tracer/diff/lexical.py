"""Alignment of two texts in the same language, by their words' lemmas.

Contextual vectors are the wrong tool here: in "ты никто, иди в бункер" and
"ты никто, иди в посадку" every word has the same context, so «бункер» and
«посадку» come out nearly identical and nothing is flagged. Two texts in one
language are compared word by word instead, the way a translator reads a
revision: words with the same lemma (Russian and Ukrainian through
pymorphy3, so «посадка» / «посадку» are one word; English lowercased) pair
with similarity 1, everything else 0. The longest common subsequence pairs
words in order (difflib), and a word moved elsewhere still finds its
partner, so reordering is not a change. The checks downstream then see a
changed word as a one-word gap on both sides at the same place (reported as
``meaning``), a dropped clause as an omission, an added one as an addition.
"""
from __future__ import annotations

import difflib

import numpy as np

from .align import AlignedPair, Alignment, words_of
from .morph import lemma

__all__ = ["align_lexical", "word_key"]


def word_key(word: str, lang: str) -> str:
    """What two words must share to be the same word: the lemma (ru/uk),
    else the lowercased word without a possessive 's."""
    w = word.lower().replace("’", "'").replace("ё", "е")
    if w.endswith("'s"):
        w = w[:-2]
    if any(c.isdigit() for c in w):
        return w
    return lemma(w, lang)


def align_lexical(quote: str, source: str, lang: str) -> Alignment:
    """Word alignment of two texts in ``lang`` by lemma identity."""
    qw, sw = words_of(quote), words_of(source)
    qk = [word_key(w.text, lang) for w in qw]
    sk = [word_key(w.text, lang) for w in sw]
    sim = np.zeros((len(qw), len(sw)), np.float32)
    index: dict[str, list[int]] = {}
    for j, k in enumerate(sk):
        index.setdefault(k, []).append(j)
    for i, k in enumerate(qk):
        for j in index.get(k, ()):
            sim[i, j] = 1.0
    pairs: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, qk, sk, autojunk=False).get_matching_blocks():
        for d in range(block.size):
            pairs[block.a + d] = block.b + d
    # Words moved elsewhere: pair each remaining word with the nearest free
    # occurrence of its lemma on the other side.
    used = set(pairs.values())
    for i, k in enumerate(qk):
        if i in pairs:
            continue
        free = [j for j in index.get(k, ()) if j not in used]
        if free:
            j = min(free, key=lambda j: abs(j / max(len(sw), 1) - i / max(len(qw), 1)))
            pairs[i] = j
            used.add(j)
    out = tuple(AlignedPair(i, j, 1.0, 1) for i, j in sorted(pairs.items()))
    return Alignment(quote, source, qw, sw, out, sim)

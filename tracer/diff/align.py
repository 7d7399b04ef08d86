"""Cross-lingual word alignment from contextual token vectors (no MT needed).

The method is the similarity-based one of SimAlign (Jalili Sabet et al.,
2020) and awesome-align, written from the papers: embed both texts with the
multilingual encoder, average each word's sub-word vectors, take the cosine
matrix between the words of the two texts, and keep the *mutual* best
matches ("argmax"); then repeat on the words still unaligned, with the
already-aligned rows and columns damped ("itermax"), so a word can pick up a
second partner (посадку ↔ "tree line") without forcing every word to align.
A small distortion penalty on relative positions breaks ties between repeated
words the way SimAlign's distortion prior does.

Everything downstream (omission, addition, meaning checks, the report's
linked spans) reads :class:`Alignment`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..text.words import Word, word_vectors, words_of

__all__ = ["Word", "AlignedPair", "Alignment", "words_of", "align_texts", "align_vectors", "itermax"]

# Which layer's hidden states to align with. Middle-upper layers align best
# in SimAlign / awesome-align (mBERT layer 8 of 12); chosen on the bench's
# dev split of the earlier template benchmark.
DEFAULT_LAYER = 8
# Weight of the relative-position penalty: small, it only breaks near-ties.
DISTORTION = 0.05
# Extra itermax rounds after the first mutual-argmax pass.
ITERATIONS = 2
# Damping of rows/columns that already have a partner, in later rounds.
DAMPING = 0.9


@dataclass(frozen=True)
class AlignedPair:
    """Quote word ``q`` aligned to source word ``s`` with cosine ``score``."""

    q: int
    s: int
    score: float
    round: int = 1  # 1 = mutual best match; >1 = found by a later itermax round


@dataclass(frozen=True)
class Alignment:
    """Word alignment between a quote and its original."""

    quote: str
    source: str
    quote_words: tuple[Word, ...]
    source_words: tuple[Word, ...]
    pairs: tuple[AlignedPair, ...]
    sim: np.ndarray = field(repr=False)  # (n_quote_words, n_source_words) cosine matrix

    def partners_of_quote(self, i: int) -> list[AlignedPair]:
        return [p for p in self.pairs if p.q == i]

    def partners_of_source(self, j: int) -> list[AlignedPair]:
        return [p for p in self.pairs if p.s == j]

    def quote_best(self) -> np.ndarray:
        """Per quote word, its best cosine to any source word."""
        return self.sim.max(axis=1) if self.sim.size else np.zeros(len(self.quote_words))

    def source_best(self) -> np.ndarray:
        """Per source word, its best cosine to any quote word."""
        return self.sim.max(axis=0) if self.sim.size else np.zeros(len(self.source_words))

    def spans(self) -> list[list]:
        """Aligned spans ``[q_start, q_end, s_start, s_end, score]``.

        Pairs that form a contiguous block on both sides (one word to a
        two-word phrase, or a run of adjacent words in the same order) merge
        into one phrase span; the score is the mean cosine of its pairs.
        """
        out: list[list] = []
        for group in _phrase_groups(self.pairs):
            qs = [self.quote_words[p.q] for p in group]
            ss = [self.source_words[p.s] for p in group]
            score = float(np.mean([p.score for p in group]))
            out.append([min(w.start for w in qs), max(w.end for w in qs),
                        min(w.start for w in ss), max(w.end for w in ss), round(score, 3)])
        out.sort()
        return out


def align_vectors(qv: np.ndarray, sv: np.ndarray, *, iterations: int = ITERATIONS,
                  distortion: float = DISTORTION) -> tuple[list[AlignedPair], np.ndarray]:
    """Itermax alignment of two sets of L2-normalised word vectors."""
    m, n = len(qv), len(sv)
    sim = (qv @ sv.T).astype(np.float32) if m and n else np.zeros((m, n), np.float32)
    return itermax(sim, iterations=iterations, distortion=distortion), sim


def itermax(sim: np.ndarray, *, penalty: np.ndarray | None = None, iterations: int = ITERATIONS,
            distortion: float = DISTORTION) -> list[AlignedPair]:
    """Itermax over a word cosine matrix; ``penalty`` (same shape) is taken
    off the cosines while choosing, never off the pairs' scores."""
    m, n = sim.shape
    if not m or not n:
        return []
    # Relative-position distortion: penalise pairing the start of one text
    # with the end of the other; only decides between near-equal candidates.
    qpos = (np.arange(m) + 0.5) / m
    spos = (np.arange(n) + 0.5) / n
    work = sim - distortion * np.abs(qpos[:, None] - spos[None, :])
    if penalty is not None:
        work = work - penalty
    pairs: list[AlignedPair] = []
    q_done = np.zeros(m, bool)
    s_done = np.zeros(n, bool)
    for rnd in range(1, iterations + 2):
        if rnd == 1:
            cur = work
            allowed = np.ones((m, n), bool)
        else:
            # Words that already have a partner compete at a discount, and a
            # pair of two already-aligned words is not allowed at all.
            damp = np.where(q_done[:, None] | s_done[None, :], DAMPING, 1.0)
            cur = work * damp
            allowed = ~(q_done[:, None] & s_done[None, :])
            cur = np.where(allowed, cur, -np.inf)
        fwd = cur.argmax(axis=1)
        bwd = cur.argmax(axis=0)
        new = [(i, int(fwd[i])) for i in range(m) if bwd[fwd[i]] == i and allowed[i, fwd[i]]]
        new = [(i, j) for i, j in new if not (q_done[i] and s_done[j])]
        if not new:
            break
        for i, j in new:
            pairs.append(AlignedPair(i, j, float(sim[i, j]), rnd))
            q_done[i] = s_done[j] = True
        if q_done.all() and s_done.all():
            break
    pairs.sort(key=lambda p: (p.q, p.s))
    return pairs


def align_texts(quote: str, source: str, *, layer: int = DEFAULT_LAYER, encoder=None) -> Alignment:
    """Align the words of ``quote`` and ``source`` (any of en/ru/uk, either way)."""
    if encoder is None:
        from ..encoders.e5.tokens import get_token_encoder

        encoder = get_token_encoder()
    qw, sw = words_of(quote), words_of(source)
    qt = encoder.embed(quote, layer=layer)
    st = encoder.embed(source, layer=layer)
    qv = word_vectors(qw, qt.offsets, qt.vectors)
    sv = word_vectors(sw, st.offsets, st.vectors)
    pairs, sim = align_vectors(qv, sv)
    return Alignment(quote, source, qw, sw, tuple(pairs), sim)


def _phrase_groups(pairs: tuple[AlignedPair, ...]) -> list[list[AlignedPair]]:
    """Merge pairs into phrase blocks: a pair joins the previous block when it
    extends that block by one adjacent word on one side or on both, in order."""
    groups: list[list[AlignedPair]] = []
    for p in sorted(pairs, key=lambda p: (p.q, p.s)):
        if groups:
            g = groups[-1]
            last = g[-1]
            dq, ds = p.q - last.q, p.s - last.s
            # one-to-many (dq==0, ds==1), many-to-one (dq==1, ds==0); plain
            # monotone runs stay separate pairs so each word keeps its score.
            if (dq == 0 and ds == 1) or (dq == 1 and ds == 0):
                g.append(p)
                continue
        groups.append([p])
    return groups

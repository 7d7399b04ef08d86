"""A second look at near-ties: how well a candidate covers the quote word by word.

A sentence vector is one average. A quote that is a fragment of a longer
sentence ("the middle 60%", one clause) or a loose rendering lands close to
several passages at once — its own sentence, the next one, a relay's lead —
and the first view's score no longer separates them. Late interaction
(ColBERT, Khattab & Zaharia 2020; BERTScore's recall, Zhang et al. 2020)
does: each word of the quote looks for its best counterpart among the
candidate's words, and the mean of those best cosines says how much of the
quote the candidate carries, whatever else the candidate says. The word
vectors are the same model's hidden states after ``ALIGN_LAYER`` (the layer
the diff's word alignment reads, tracer.diff.align), so no other model is
needed.

It is paid only where it can change the order: the queries whose runners-up
stand within ``GATE`` of the best, and only those runners-up (at most
``MAX_RIVALS``). Each re-read candidate's score moves by ``weight x
(coverage - coverage of the first view's best)``: the best keeps its score
and a rival overtakes it only when it covers the quote better by more than
the best's lead.

Measured on the fit half of ``scripts/bench_news.py``'s archive (ru+uk
originals, English quotes; docs/tuning.md): P@1 full sentences 0.952 ->
0.977, middle 60% 0.783 -> 0.867, clause 0.867 -> 0.903 at weight 1.2, gate
0.1, five rivals (ten since: see MAX_RIVALS); the held-out half is in the README.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from .rescore import Candidate

# Candidates further than this below the best are not re-read. On the fit
# half, re-reading every one of the first five gave the same P@1 as 0.1
# (0.2 of 0.977 / 0.867 / 0.903 vs 0.977 / 0.867 / 0.903) at a third of the
# encodings for full sentences (1.3 per query instead of 5).
GATE = 0.1
# At most this many candidates per query are re-read (the first view's best
# and its closest rivals): the gold passage is among the first five for 0.99
# of full sentences and 0.92 of middle-60% fragments (held-out, first view).
# Fit half, 800 queries a row (ru+uk archive): 5 -> 10 rivals took middle-60%
# fragments 0.841 -> 0.859, clauses 0.909 -> 0.910, full sentences 0.975 ->
# 0.979, for 11% more texts read (1,850 against 1,678 for 1,000 quotes); 15
# rivals and a 0.15 gate 0.864 / 0.911 / 0.979.
MAX_RIVALS = 10

WordsFn = Callable[[str], np.ndarray]
ManyWordsFn = Callable[[list[str]], list[np.ndarray]]


class SecondView:
    """Re-scores a query's near-tied candidates by word-level coverage.

    ``words`` maps a text to its L2-normalised word vectors ``(n_words, dim)``
    (:func:`word_vectors_for`). They are kept in a small LRU cache, quotes
    and candidates alike (a text reads the same either way): a batch of quotes
    from one article meets the same candidates again and again, and a trace
    asks about a claim's candidates after looking the claim up.
    """

    def __init__(self, words: WordsFn, weight: float, cache_size: int = 4096,
                 many: ManyWordsFn | None = None) -> None:
        if weight < 0:
            raise ValueError("the second view's weight must be >= 0")
        self.weight = weight
        self._words = words
        self._many = many
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def prefetch(self, texts: list[str]) -> None:
        """Read ``texts`` ahead, all at once (a batch lookup gives the texts its
        queries will re-read: the encoder can then spread them over its cores).
        At most the cache's size is read, so none is evicted before its use."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache][: self._cache_size // 2]
        if len(missing) < 2 or self._many is None:
            return
        for text, vec in zip(missing, self._many(missing)):
            self._remember(text, vec)

    def rivals(self, ranked: list[Candidate], lang_of: Callable[[int], str | None] = lambda sid: None,
               query_lang: str | None = None) -> list[Candidate]:
        """The candidates the second view re-reads: the best of the first
        ``MAX_RIVALS`` and those within ``GATE`` of it; none when only one is.

        Word vectors are not centred per language, and two texts of one
        language share words a translation does not: an English look-alike
        would cover an English quote better than its Ukrainian original. So
        when the first few mix the quote's language (``query_lang``) with
        others, only the others are re-read, whether or not a look-alike
        stands first: a translation's score never depends on a look-alike
        being indexed.
        """
        if self.weight == 0 or len(ranked) < 2:
            return []
        pool = list(ranked)
        if query_lang and any(lang_of(c.segment_id) != query_lang for c in ranked[:MAX_RIVALS]):
            pool = [c for c in ranked if lang_of(c.segment_id) != query_lang]
        pool = pool[:MAX_RIVALS]
        near = [c for c in pool if c.score >= pool[0].score - GATE]
        return near if len(near) > 1 else []

    def rescore(self, query: str, ranked: list[Candidate], text_of: Callable[[int], str | None],
                lang_of: Callable[[int], str | None] = lambda sid: None,
                query_lang: str | None = None) -> list[Candidate]:
        """``ranked`` (sorted best first) with its near-ties re-scored and re-sorted.

        ``text_of`` gives a segment's text as the first view embedded it
        (None: unknown, not re-read); it is only asked for the near-ties
        (:meth:`rivals`). The best of them keeps its score.
        """
        near = self._readable(ranked, text_of, lang_of, query_lang)
        if len(near) < 2:
            return ranked
        q = self._document(query)
        if not len(q):
            return ranked
        cover = [coverage(q, self._document(text)) for _, text in near]
        moved = {
            c.segment_id: replace(c, score=c.score + self.weight * (cover[i] - cover[0]),
                                  signals={**c.signals, "coverage": cover[i]})
            for i, (c, _) in enumerate(near)
        }
        out = [moved.get(c.segment_id, c) for c in ranked]
        out.sort(key=lambda c: (-c.score, c.segment_id))
        return out

    def coverages(self, query: str, texts: list[str]) -> list[float]:
        """How well each of ``texts`` covers ``query`` word by word (:func:`coverage`)."""
        q = self._document(query)
        return [coverage(q, self._document(t)) for t in texts]

    def reread(self, query: str, ranked: list[Candidate], text_of: Callable[[int], str | None],
               lang_of: Callable[[int], str | None] = lambda sid: None,
               query_lang: str | None = None) -> list[str]:
        """The texts :meth:`rescore` will read for this query (the query first; none when it reads none)."""
        near = self._readable(ranked, text_of, lang_of, query_lang)
        return [query, *(text for _, text in near)] if len(near) >= 2 else []

    def _readable(self, ranked: list[Candidate], text_of: Callable[[int], str | None],
                  lang_of: Callable[[int], str | None], query_lang: str | None) -> list[tuple[Candidate, str]]:
        """The rivals (:meth:`rivals`) whose text is known, with it."""
        return [(c, text) for c in self.rivals(ranked, lang_of, query_lang)
                if (text := text_of(c.segment_id)) is not None]

    def _document(self, text: str) -> np.ndarray:
        vec = self._cache.get(text)
        if vec is None:
            vec = self._words(text)
            self._remember(text, vec)
        else:
            self._cache.move_to_end(text)
        return vec

    def _remember(self, text: str, vec: np.ndarray) -> None:
        self._cache[text] = vec
        self._cache.move_to_end(text)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def coverage(query_words: np.ndarray, candidate_words: np.ndarray) -> float:
    """Mean over the quote's words of the best cosine to any of the candidate's words."""
    if not len(query_words) or not len(candidate_words):
        return 0.0
    return float((query_words @ candidate_words.T).max(axis=1).mean())


def _token_encoder(encoder):
    from ..encoders.lowercase import LowercasedEncoder

    return encoder.inner if isinstance(encoder, LowercasedEncoder) else encoder


def _pooled(text: str, offsets, vectors) -> np.ndarray:
    from ..text.words import word_vectors, words_of

    return word_vectors(words_of(text), np.asarray(offsets, np.int64).reshape(-1, 2), vectors)


def word_vectors_for(encoder) -> WordsFn | None:
    """Text -> L2-normalised word vectors from ``encoder``'s alignment layer, or
    None when the encoder has no token-level output (e.g. a test's fake)."""
    tokens = getattr(_token_encoder(encoder), "encode_tokens", None)
    if tokens is None:
        return None

    def words(text: str) -> np.ndarray:
        return _pooled(text, *tokens(text, align_layer=True))

    return words


def word_vectors_many_for(encoder) -> ManyWordsFn | None:
    """Texts -> their word vectors in one call (:func:`word_vectors_for`), for
    encoders that spread such calls over the cores; None for the others."""
    many = getattr(_token_encoder(encoder), "encode_tokens_many", None)
    if many is None:
        return None

    def words(texts: list[str]) -> list[np.ndarray]:
        return [_pooled(t, *out) for t, out in zip(texts, many(texts, align_layer=True))]

    return words


def second_view_for(encoder, weight: float) -> SecondView | None:
    """The second view an encoder offers (None when ``weight`` is 0 or the
    encoder has no token-level output)."""
    if weight <= 0:
        return None
    words = word_vectors_for(encoder)
    return SecondView(words, weight, many=word_vectors_many_for(encoder)) if words is not None else None

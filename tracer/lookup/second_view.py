"""A second look at near-ties: the quote and its closest candidates re-read as written.

The index holds vectors of *lowercased* text (``Settings.lowercase``): case is
the surface difference a translation preserves least, so lowercased vectors
retrieve translations better. But once a few candidates stand within a hair
of each other (the relay's sentence and a near-identical one from another
outlet; "я давно это знаю" / "я это давно знаю"), the first view's score no
longer separates them: the differences are below its noise, part of which is
int8 quantization that depends on which texts shared a batch. The same model
run on the text as written (cased, so other sub-word pieces; each text alone;
pooled over its own tokens, not the prefix) gives an estimate of the same
similarity with noise of its own;
adding it decides near-ties on two readings instead of one. It is the
"embed each text twice and average" ensemble, paid only where it can change
the order: the queries whose runners-up are close, and only those runners-up.

Measured on Tatoeba through ``tracer lookup --batch``
(``scripts/bench_retrieval.py --second-view-weight 0`` for the first view
alone); the weight was chosen on one language pair and checked on the other.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from .rescore import Candidate

# The widest spread of second-view cosines among candidates within 0.05 of a
# query's best (Tatoeba ru/uk, both directions): 0.14; 99% of queries under
# 0.06. A candidate further than weight x REACH below the best cannot
# overtake it, so it is neither re-encoded nor re-scored.
REACH = 0.15
# At most this many candidates per query are re-read (the first view's best
# and its closest rivals).
MAX_RIVALS = 8

EncodeFn = Callable[[Sequence[str]], np.ndarray]


class SecondView:
    """Re-scores a query's near-tied candidates with a second encoding.

    ``encode_query`` / ``encode_document`` map texts to L2-normalised vectors
    of the second view (for a lowercasing index: the inner encoder on the text
    as written). Document vectors are kept in a small LRU cache: a batch of
    quotes from one article meets the same candidates again and again.
    """

    def __init__(self, encode_query: EncodeFn, encode_document: EncodeFn, weight: float,
                 cache_size: int = 4096) -> None:
        if weight < 0:
            raise ValueError("the second view's weight must be >= 0")
        self.weight = weight
        self._encode_query = encode_query
        self._encode_document = encode_document
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    @property
    def gate(self) -> float:
        """How far below the best a candidate may score and still be re-read."""
        return self.weight * REACH

    def rivals(self, ranked: Sequence[Candidate]) -> list[Candidate]:
        """The candidates the second view can reorder: the best and those within ``gate`` of it."""
        if self.weight == 0 or len(ranked) < 2:
            return []
        top = ranked[0].score
        near = [c for c in ranked[:MAX_RIVALS] if c.score >= top - self.gate]
        return near if len(near) > 1 else []

    def rescore(self, query: str, ranked: list[Candidate], text_of: Callable[[int], str | None],
                lang_of: Callable[[int], str | None] = lambda sid: None) -> list[Candidate]:
        """``ranked`` (sorted best first) with its near-ties re-scored and re-sorted.

        Each re-read candidate's score moves by ``weight x (cos2 - cos2_best)``,
        where cos2 is its second-view cosine to the query and cos2_best that of
        the first view's best: the best keeps its score, and a rival overtakes
        it only when the second view prefers it by more than the first view's
        lead. ``text_of`` gives a segment's text as the first view embedded it
        (None: unknown, not re-read); it is only asked for the near-ties.

        Only rivals in the best's language (``lang_of``) are re-read: the
        second view is not centred per language, and a raw e5 cosine favours
        the query's own language, so across languages it would prefer an
        English look-alike to the Ukrainian original of an English quote.
        """
        best_lang = lang_of(ranked[0].segment_id) if ranked else None
        near = [(c, text) for c in self.rivals(ranked)
                if lang_of(c.segment_id) == best_lang and (text := text_of(c.segment_id)) is not None]
        if len(near) < 2 or near[0][0] is not ranked[0]:
            return ranked
        q = self._encode_query([query])[0]
        cos2 = self._documents([text for _, text in near]) @ q
        moved = {
            c.segment_id: replace(c, score=c.score + self.weight * float(cos2[i] - cos2[0]),
                                  signals={**c.signals, "second_view": float(cos2[i])})
            for i, (c, _) in enumerate(near)
        }
        out = [moved.get(c.segment_id, c) for c in ranked]
        out.sort(key=lambda c: (-c.score, c.segment_id))
        return out

    def _documents(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vec in zip(missing, self._encode_document(missing)):
                self._cache[text] = np.asarray(vec, np.float32)
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        for t in texts:
            self._cache.move_to_end(t)
        return np.stack([self._cache[t] for t in texts])


def second_view_for(encoder, weight: float) -> SecondView | None:
    """The second view an encoder offers: the text as written, read by the
    same model with content-token pooling. None unless ``encoder`` lowercases
    an ONNX model (the default) and ``weight`` is above 0."""
    from ..encoders.lowercase import LowercasedEncoder

    if weight <= 0 or not isinstance(encoder, LowercasedEncoder):
        return None
    inner = encoder.inner
    content = getattr(inner, "encode_content", None)
    if content is None:
        return None
    return SecondView(lambda texts: content(texts, prefix=inner.query_prefix),
                      lambda texts: content(texts, prefix=inner.document_prefix), weight)

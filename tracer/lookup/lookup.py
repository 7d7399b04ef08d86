"""Quote lookups on one index version: the object the rest of tracer searches through.

    lookup = Lookup(searcher, encoder, settings)
    [result] = lookup.search([("q1", "you're nothing, go to the bunker")], k=3,
                             where=SearchFilter.parse(langs="ru,uk"))

The trace, its chains and the confidence model receive a ``Lookup``: they
never see the ``Tracer`` façade. Query vectors are remembered (a trace
searches every claim once per language, and a chain looks up passages
again), so each text is encoded once per ``Lookup``.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from ..config import Settings
from ..encoders.base import Encoder
from ..errors import EncoderMismatch, InputError
from ..text.editorial import embedding_text
from ..text.langid import detect_lang
from ..types import LookupResult
from .filters import SearchFilter
from .searcher import Searcher
from .second_view import SecondView, second_view_for

# Queries whose second-view texts are read in one call (the second view's cache
# holds 4,096 texts; a quote needs 1.6 of them on news, 6 at most).
PREFETCH_CHUNK = 256

# (stage, done, total) -> None; total may be 0 when unknown.
ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


class Lookup:
    """Search one index version with one encoder under one set of settings."""

    def __init__(self, searcher: Searcher, encoder: Encoder, settings: Settings, *, memo_size: int = 8192) -> None:
        if searcher.encoder_id != encoder.id:
            raise EncoderMismatch(
                f"the index at {searcher.path.parent.parent} was built with encoder {searcher.encoder_id!r}, "
                f"but tracer is configured with {encoder.id!r}: rebuild it (`tracer build`) "
                "or use the same encoder settings")
        self.searcher = searcher
        self.encoder = encoder
        self.settings = settings
        self.second_view: SecondView | None = second_view_for(encoder, settings.second_view_weight)
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_size = memo_size

    @property
    def store(self):
        """The store this version's segment ids point into."""
        return self.searcher.store

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of ``texts`` (as embedded: see :func:`prepare`), each encoded once per Lookup."""
        if not texts:
            return np.zeros((0, self.encoder.dim), np.float32)
        # Look up first, evict after: a batch larger than the memo must not evict its own vectors.
        found = {t: self._memo[t] for t in dict.fromkeys(texts) if t in self._memo}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            vectors = self.encoder.encode_query(missing, batch_size=self.settings.batch_size)
            found.update((text, np.asarray(vec, np.float32)) for text, vec in zip(missing, vectors))
        for text, vec in found.items():
            self._memo[text] = vec
            self._memo.move_to_end(text)
        while len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def coverages(self, query: str, texts: Sequence[str]) -> list[float] | None:
        """How well each text covers ``query`` word by word (tracer.lookup.second_view);
        None when the second view is off or the encoder has no word vectors."""
        if self.second_view is None:
            return None
        return self.second_view.coverages(embedding_text(query.strip()), [embedding_text(t) for t in texts])

    def search(
        self,
        queries: Sequence[tuple[str, str]],
        *,
        k: int = 5,
        where: SearchFilter = SearchFilter(),
        lexical: bool = True,
        second_view: bool = True,
        progress: ProgressFn = _noop,
    ) -> list[LookupResult]:
        """The best ``k`` matches of each ``(id, text)`` query, in input order.

        ``lexical=False`` ranks by the margin alone, without the figures and
        names signals; ``second_view`` re-reads near-tied candidates word
        by word (:mod:`tracer.lookup.second_view`).
        """
        if k < 1:
            raise InputError("--k must be at least 1")
        for qid, text in queries:
            if not text or not text.strip():
                raise InputError(f"query {qid} is empty" if len(queries) > 1 else "the query is empty")
        texts = [t.strip() for _, t in queries]
        said = [embedding_text(t) for t in texts]  # an editor's [gloss] is not the quote
        qlangs = [detect_lang(t, default="und") for t in said]
        vectors = self.encode_queries(said)
        view = self.second_view if second_view and lexical else None
        first = self.searcher.first_hits(vectors, qlangs, k=k, where=where) if len(queries) > 1 else None
        results: list[LookupResult] = []
        # In chunks: the first view of a chunk's queries, then every text their second view
        # re-reads in one call (the encoder spreads it over the cores), then their places.
        for lo in range(0, len(queries), PREFETCH_CHUNK):
            chunk = range(lo, min(lo + PREFETCH_CHUNK, len(queries)))
            rankings = [self.searcher.first_ranking(said[n], qlangs[n], vectors[n], k=k, where=where,
                                                    use_lexical=lexical, hits=first[n] if first else None)
                        for n in chunk]
            if view is not None and len(chunk) > 1:
                view.prefetch([t for r in rankings if r is not None for t in self.searcher.rereads(r, view)])
            for n, ranking in zip(chunk, rankings):
                matches = self.searcher.finish(ranking, view) if ranking is not None else []
                results.append(LookupResult(str(queries[n][0]), texts[n], qlangs[n], matches))
                progress("lookup", n + 1, len(queries))
        return results

"""Query side of an index version: FAISS hits → re-scored, de-duplicated Matches."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..config import Settings
from ..index.base import sort_order
from ..index.backends import load_index
from ..index.base import VectorIndex
from ..index.layout import IndexDir, Version
from ..index.space import COPY_COSINE, MIN_OWN_SEGMENTS, centre, column_of, merged_mean, top_similarities
from ..text.editorial import embedding_text
from ..types import Match
from .filters import SearchFilter
from .rescore import Weights, rescore
from .second_view import SecondView


class Searcher:
    """A loaded index version plus the store that maps its ids back to text."""

    def __init__(self, version: Version, index: VectorIndex, store, settings: Settings) -> None:
        arrays = version.read_arrays()
        self.version = version
        self.manifest = version.manifest
        self.index = index
        self.ids = arrays.ids
        self.hubness = arrays.hubness
        self.reference = arrays.reference
        self.clusters = arrays.clusters
        self.store = store
        self.settings = settings
        self.weights = Weights(hubness=settings.hubness_weight, numbers=settings.number_weight,
                               names=settings.name_weight, same_language=settings.same_language_penalty)
        self._order = sort_order(self.ids)  # None: ids already increase
        # (langs, kinds) filter -> allowed segment ids: a batch or a trace asks
        # for the same few filters over and over. This version's vectors never
        # change, and segments ingested after it are not in it anyway.
        self._allowed: dict[tuple, np.ndarray] = {}
        self._filters = arrays.filters

    @property
    def path(self) -> Path:
        return self.version.path

    @property
    def encoder_id(self) -> str:
        return str(self.manifest.get("encoder_id"))

    @classmethod
    def open(cls, index_dir: IndexDir, store, settings: Settings) -> "Searcher":
        """Load the current version (memory-mapped); raises IndexNotFound if none."""
        version = index_dir.require_current()
        return cls(version, load_index(version.path, mmap=True), store, settings)

    def allowed_ids(self, langs: Sequence[str] | None, kinds: Sequence[str] | None) -> np.ndarray:
        """Sorted ids of this version's segments in these languages and
        document kinds (None = any)."""
        key = (tuple(langs) if langs else None, tuple(kinds) if kinds else None)
        allowed = self._allowed.get(key)
        if allowed is None:
            if self._filters is None:
                allowed = self.store.segment_ids_where(*key)
            else:
                mask = np.ones(len(self.ids), dtype=bool)
                for values, codes, names in ((key[0], "lang_codes", "lang_names"), (key[1], "kind_codes", "kind_names")):
                    if values is not None:
                        wanted = [i for i, name in enumerate(self._filters[names].tolist()) if name in values]
                        mask &= np.isin(self._filters[codes], wanted)
                allowed = np.sort(self.ids[mask]).astype(np.int64)
            self._allowed[key] = allowed
        return allowed

    def neighbourhoods_of(self, centred: np.ndarray) -> list[dict[str, float]]:
        """r(q, L) of each centred query: its neighbourhood in each reference language,
        over the reference sample and, where the index holds enough of L, its own
        segments of L — whatever the search's filter (tracer.index.space)."""
        k = self.settings.margin_k
        out: list[dict[str, float]] = [{} for _ in range(len(centred))]
        for lang, sample in self.reference.samples.items():
            parts = [top_similarities(centred, sample, k)]
            pool = self.allowed_ids((lang,), None)
            if len(pool) >= MIN_OWN_SEGMENTS:
                scores, found = self.index.search(centred, k, allowed_ids=pool)
                own = np.where((found >= 0) & (scores <= COPY_COSINE), scores, -np.inf).astype(np.float32)
                parts.append(own)
            for row, value in zip(out, merged_mean(parts, k).tolist()):
                row[lang] = float(value)
        return out

    def first_hits(self, vectors: np.ndarray, query_langs: Sequence[str], *, k: int,
                   where: SearchFilter = SearchFilter()) -> list[Hits] | None:
        """The index hits and neighbourhoods of encoded queries, in one search of
        the index for all of them (a batch's matrix products instead of one per
        query); pass each to :meth:`search` as ``hits``. None when the filter
        allows nothing."""
        allowed = None
        if where.langs or where.kinds:
            allowed = self.allowed_ids(where.langs, where.kinds)
            if len(allowed) == 0:
                return None
        queries = centre(np.asarray(vectors, np.float32), list(query_langs), self.reference.means)
        r_q = self.neighbourhoods_of(queries)
        scores, ids = self.index.search(queries, max(self.settings.candidates, 4 * k), allowed_ids=allowed)
        return [Hits(scores[i], ids[i], r_q[i]) for i in range(len(queries))]

    def _rows_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of segment ids in this version's arrays, and which ids are in it."""
        pos = np.clip(np.searchsorted(self.ids, ids, sorter=self._order), 0, len(self.ids) - 1)
        rows = pos if self._order is None else self._order[pos]
        return rows, self.ids[rows] == ids

    def cluster_of(self, segment_id: int) -> int | None:
        """The syndication cluster of a segment of this version (None: in none)."""
        if len(self.ids) == 0 or len(self.clusters) == 0:
            return None
        rows, present = self._rows_of(np.array([segment_id], dtype=np.int64))
        cluster = int(self.clusters[rows[0]]) if present[0] else -1
        return None if cluster < 0 else cluster

    def cluster_members(self, cluster: int, where: SearchFilter = SearchFilter()) -> list[Match]:
        """The sentences of a syndication cluster (one statement in several
        documents), as unscored matches, within the filter."""
        if len(self.clusters) == 0:
            return []
        ids = np.sort(self.ids[np.asarray(self.clusters) == cluster])
        if where.langs or where.kinds:
            ids = ids[np.isin(ids, self.allowed_ids(where.langs, where.kinds))]
        rows = [r for r in self.store.segments_by_ids(ids.tolist()) if r.doc_id not in set(where.exclude_docs)]
        return [_to_match(0, _Unscored(r.id), r, cluster) for r in rows]

    def _hubness_of(self, ids: np.ndarray, query_lang: str) -> np.ndarray:
        """r(y, lang(q)) of the given segments: their neighbourhood in the query's language."""
        if len(self.ids) == 0 or len(ids) == 0 or self.hubness.ndim != 2 or self.hubness.shape[1] == 0:
            return np.zeros(len(ids), dtype=np.float32)
        rows, present = self._rows_of(ids)
        hub = self.hubness[rows]
        col = column_of(self.manifest.get("hubness_langs", []), query_lang)
        hub = hub[:, col] if col is not None else hub.mean(axis=1)
        return np.where(present, hub, 0.0)

    def first_ranking(
        self,
        text: str,
        query_lang: str,
        vector: np.ndarray,
        *,
        k: int,
        where: SearchFilter = SearchFilter(),
        use_lexical: bool = True,
        hits: Hits | None = None,
    ) -> Ranking | None:
        """A query's candidates ranked by the first view; :meth:`finish` completes
        the search (a batch reads the second view's texts of many rankings at
        once in between, :meth:`rereads`). None when the filter allows nothing."""
        exclude_docs = where.exclude_docs
        if hits is None:  # else from first_hits, searched with this k and filter
            found = self.first_hits(np.asarray(vector, np.float32)[None, :], [query_lang], k=k, where=where)
            if found is None:
                return None
            hits = found[0]
        scores, ids, r_q = hits.scores, hits.ids, hits.neighbourhoods
        valid = ids >= 0
        rows = {r.id: r for r in self.store.segments_by_ids([int(i) for i in ids[valid]])}
        if exclude_docs:
            drop = set(exclude_docs)
            valid &= np.array([int(i) in rows and rows[int(i)].doc_id not in drop for i in ids])
        scores, ids = scores[valid], ids[valid]
        texts = {sid: (r.text, r.lang) for sid, r in rows.items()}
        fallback = float(np.mean(list(r_q.values()))) if r_q else 0.0
        r_x = np.array([r_q.get(rows[int(i)].lang, fallback) if int(i) in rows else fallback for i in ids],
                       dtype=np.float32)
        hub = self._hubness_of(ids, query_lang)
        unranked = Ranking(text, query_lang, k, use_lexical, scores, ids, r_x, hub, texts, rows, [])
        # Figures and names only where they can change the first 4k (rescore's exact_top); a
        # walk that needs more (many windows of few documents) redoes it in full (finish).
        return replace(unranked, ranked=self._rescore(unranked, exact=4 * k))

    def rereads(self, ranking: Ranking, second_view: SecondView) -> list[str]:
        """The texts ``second_view`` will read to finish this ranking."""
        text_of, lang_of = self._readers(ranking)
        return second_view.reread(ranking.text, ranking.ranked, text_of, lang_of, ranking.query_lang)

    def finish(self, ranking: Ranking, second_view: SecondView | None = None) -> list[Match]:
        """The first ``k`` places of a ranking, its near-ties re-read by ``second_view``."""
        ranked, exact, k = ranking.ranked, 4 * ranking.k, ranking.k
        while True:
            if second_view is not None:
                # what the first view embedded: the segment without an editor's [gloss]
                text_of, lang_of = self._readers(ranking)
                ranked = second_view.rescore(ranking.text, ranked, text_of, lang_of, ranking.query_lang)
            out, used = self._places(ranked, ranking.rows, k)
            if exact is None or used <= exact or len(ranked) <= exact:
                return out
            exact = None  # the second view re-reads the first few, which are exact either way
            ranked = self._rescore(ranking, exact=None)

    def _rescore(self, r: Ranking, exact: int | None) -> list:
        return rescore(r.text, r.query_lang, r.scores, r.ids, r.r_x, r.hub, r.texts, r.use_lexical, self.weights,
                       exact_top=exact)

    @staticmethod
    def _readers(r: Ranking):
        rows = r.rows
        return ((lambda sid: embedding_text(rows[sid].text) if sid in rows else None),
                (lambda sid: rows[sid].lang if sid in rows else None))

    def _places(self, ranked: list, rows: dict, k: int) -> tuple[list[Match], int]:
        """The first ``k`` places of a ranking (a place listed once, under its best segment),
        and how many candidates that took."""
        out: list[Match] = []
        taken: dict[str, list[tuple[int, int]]] = {}
        used = 0
        for cand in ranked:
            used += 1
            row = rows.get(cand.segment_id)
            if row is None:
                continue
            # A quote, its sentence and the paragraph holding both point at one
            # place: list that place once, under its best-scoring segment.
            span = (min(row.start, row.sentence_start), max(row.end, row.sentence_end))
            spans = taken.setdefault(row.doc_id, [])
            if any(span[0] < e and s < span[1] for s, e in spans):
                continue
            spans.append(span)
            # a window belongs to its sentence's statement; a quote to its own, else its sentence's
            cluster = self.cluster_of(row.id) if row.kind in ("sentence", "quote") else None
            if cluster is None and row.kind in ("window", "quote") and row.parent_id is not None:
                cluster = self.cluster_of(row.parent_id)
            out.append(_to_match(len(out) + 1, cand, row, cluster))
            if len(out) == k:
                break
        return out, used


@dataclass(frozen=True)
class Ranking:
    """One query's candidates after the first view (:meth:`Searcher.first_ranking`)."""

    text: str
    query_lang: str
    k: int
    use_lexical: bool
    scores: np.ndarray
    ids: np.ndarray
    r_x: np.ndarray
    hub: np.ndarray
    texts: dict
    rows: dict
    ranked: list


@dataclass(frozen=True)
class Hits:
    """One query's index hits and neighbourhoods (:meth:`Searcher.first_hits`)."""

    scores: np.ndarray
    ids: np.ndarray
    neighbourhoods: dict[str, float]


@dataclass(frozen=True)
class _Unscored:
    """A segment listed without a query (a cluster member)."""

    segment_id: int
    score: float = 0.0
    cosine: float = 0.0
    signals: dict = field(default_factory=dict)


def _to_match(rank: int, cand, row, cluster: int | None = None) -> Match:
    return Match(
        rank=rank,
        score=round(cand.score, 6),
        doc_id=row.doc_id,
        segment_id=row.id,
        lang=row.lang,
        kind=row.doc_kind,
        source=row.source,
        title=row.title,
        url=row.url,
        date=row.date,
        text=row.text,
        start=row.start,
        end=row.end,
        context_before=row.context_before,
        context_after=row.context_after,
        cosine=round(cand.cosine, 6),
        segment_kind=row.kind,
        sentence=row.sentence_text,
        sentence_start=row.sentence_start,
        signals={k: round(v, 4) for k, v in cand.signals.items()},
        cluster=cluster,
    )

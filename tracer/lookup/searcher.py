"""Query side of an index version: FAISS hits → re-scored, de-duplicated Matches."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import IndexNotFound
from ..index.base import sort_order
from ..index.faiss_index import FaissIndex
from ..index.versions import IndexVersions
from ..index.space import centre, hubness_column
from .rescore import rescore
from .second_view import SecondView
from ..text.editorial import embedding_text
from ..types import Match


# Each segment's language and document kind, as codes aligned with ids.npy:
# `--lang` / `--kind` become numpy masks instead of a read of every segment
# row from SQLite (30 ms on 100k segments, as long as the search itself).
FILTERS_FILE = "filters.npz"


def save_filters(path: Path, langs: Sequence[str], kinds: Sequence[str]) -> None:
    """Write FILTERS_FILE for segments with these languages and document kinds (in ids.npy order)."""
    arrays = {}
    for values, codes, names in ((langs, "lang_codes", "lang_names"), (kinds, "kind_codes", "kind_names")):
        table = sorted(set(values))
        index = {name: i for i, name in enumerate(table)}
        arrays[codes] = np.array([index[v] for v in values], dtype=np.uint8)
        arrays[names] = np.array(table, dtype=str)
    np.savez(path, **arrays)


class Searcher:
    """A loaded index version plus the store that maps its ids back to text."""

    def __init__(self, path: Path, manifest: dict, index: FaissIndex, ids: np.ndarray, hubness: np.ndarray, store,
                 lang_means: dict[str, np.ndarray] | None = None,
                 lang_directions: dict[str, np.ndarray] | None = None,
                 filters: dict[str, np.ndarray] | None = None) -> None:
        self.lang_means = lang_means or {}
        self.lang_directions = lang_directions or {}
        self.path = path
        self.manifest = manifest
        self.index = index
        self.ids = ids
        self.hubness = hubness
        self.store = store
        self._order = sort_order(ids)  # None: ids already increase
        # (langs, kinds) filter -> allowed segment ids: a batch or a trace asks
        # for the same few filters over and over. This version's vectors never
        # change, and segments ingested after it are not in it anyway.
        self._allowed: dict[tuple, np.ndarray] = {}
        self._filters = filters  # FILTERS_FILE's arrays; None for versions built before it

    @property
    def encoder_id(self) -> str:
        return str(self.manifest.get("encoder_id"))

    @classmethod
    def open(cls, index_dir: Path, store) -> "Searcher":
        """Load the current version (memory-mapped); raises IndexNotFound if none."""
        versions = IndexVersions(index_dir)
        cur = versions.current()
        if cur is None:
            raise IndexNotFound(f"the index at {index_dir} has not been built yet (run `tracer build`)")
        name, path = cur
        manifest = versions.manifest(name)
        from ..index.build import INDEX_FORMAT

        if manifest.get("format") != INDEX_FORMAT:
            raise IndexNotFound(
                f"the index at {index_dir} was built by another version of tracer (format "
                f"{manifest.get('format', 1)}, this one reads {INDEX_FORMAT}): run `tracer build`"
            )
        index = FaissIndex.load(path, mmap=True)
        ids = np.load(path / "ids.npy", mmap_mode="r")
        hubness = np.load(path / "hubness.npy", mmap_mode="r")
        import json

        from ..index.build import DIRECTIONS_FILE

        with open(path / "lang_means.json", encoding="utf-8") as fh:
            means = {lang: np.asarray(v, dtype=np.float32) for lang, v in json.load(fh).items()}
        directions = {}
        if (path / DIRECTIONS_FILE).exists():
            with open(path / DIRECTIONS_FILE, encoding="utf-8") as fh:
                directions = {lang: np.asarray(v, dtype=np.float32) for lang, v in json.load(fh).items()}
        filters = None
        if (path / FILTERS_FILE).exists():
            with np.load(path / FILTERS_FILE) as npz:
                filters = {name: npz[name] for name in npz.files}
        return cls(path, manifest, index, np.asarray(ids), np.asarray(hubness), store, means, directions, filters)

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

    def _hubness_of(self, ids: np.ndarray, query_lang: str) -> np.ndarray:
        """r_y of the given segments towards the query's language."""
        if len(self.ids) == 0 or len(ids) == 0:
            return np.zeros(len(ids), dtype=np.float32)
        pos = np.searchsorted(self.ids, ids, sorter=self._order)
        pos = np.clip(pos, 0, len(self.ids) - 1)
        rows = pos if self._order is None else self._order[pos]
        hub = self.hubness[rows]
        col = hubness_column(self.manifest.get("hubness_langs", []), query_lang)
        hub = hub[:, col] if col is not None else hub.mean(axis=1)
        return np.where(self.ids[rows] == ids, hub, 0.0)

    def search(
        self,
        text: str,
        query_lang: str,
        vector: np.ndarray,
        *,
        k: int,
        langs: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        candidates: int = 50,
        margin_k: int = 4,
        exclude_docs: Sequence[str] = (),
        use_lexical: bool = True,
        hubness_weight: float = 0.5,
        second_view: SecondView | None = None,
    ) -> list[Match]:
        """Best ``k`` matches for one encoded query; ``second_view`` re-reads
        its near-tied candidates (:mod:`tracer.second_view`)."""
        allowed = None
        if langs or kinds:
            allowed = self.allowed_ids(langs, kinds)
            if len(allowed) == 0:
                return []
        # the index holds language-centred vectors: centre the query the same way
        query = centre(np.asarray(vector, np.float32)[None, :], [query_lang], self.lang_means, self.lang_directions)
        scores, ids = self.index.search(query, candidates, allowed_ids=allowed)
        scores, ids = scores[0], ids[0]
        valid = ids >= 0
        rows = {r.id: r for r in self.store.segments_by_ids([int(i) for i in ids[valid]])}
        if exclude_docs:
            drop = set(exclude_docs)
            valid &= np.array([int(i) in rows and rows[int(i)].doc_id not in drop for i in ids])
        scores, ids = scores[valid], ids[valid]
        texts = {sid: (r.text, r.lang) for sid, r in rows.items()}
        ranked = rescore(text, query_lang, scores, ids, self._hubness_of(ids, query_lang), texts, margin_k, use_lexical,
                         hubness_weight)
        if second_view is not None:
            # what the first view embedded: the segment without an editor's [gloss]
            ranked = second_view.rescore(text, ranked,
                                         lambda sid: embedding_text(rows[sid].text) if sid in rows else None,
                                         lambda sid: rows[sid].lang if sid in rows else None)
        out: list[Match] = []
        taken: dict[str, list[tuple[int, int]]] = {}
        for cand in ranked:
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
            out.append(_to_match(len(out) + 1, cand, row))
            if len(out) == k:
                break
        return out


def _to_match(rank: int, cand, row) -> Match:
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
    )

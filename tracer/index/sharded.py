"""An index split into shards, searched as one: scatter the query, merge the hits.

    <version>/index.json          {"kind": "sharded-<shard kind>", "shards": N, ...}
    <version>/shards/000/         a normal index of any backend, with its own index.json
    <version>/shards/001/ ...

Segments are routed to shards by a stable hash of their *document* id
(``document_shards``), so a document's sentences, quotes and paragraphs stay
together and a shard can be rebuilt or moved as a unit.

Why the merge is exact: tracer's lookup score does not depend on what else is
indexed (vectors are centred on shipped per-language means, and both CSLS
neighbourhoods come from a fixed reference sample, tracer.index.space), so
the only thing a search needs from the index is the top ``k`` by cosine. The
global top ``k`` is within the union of each shard's top ``k``; cutting that
union to ``k`` (ties by smaller id, as ``base.top_k``) gives what one index
over all the vectors gives. For exact shards (flat, numpy) the result is the
same, id for id and score for score.

Approximate shards that re-rank (IVF-PQ, ``ivf_pq.py``) are searched in two
phases so that N shards give what one index gives: every shard returns its
best candidates by the *approximate* score, the union is cut to the number
one index would re-rank, and only those are re-scored exactly. With shards
that share one trained quantizer (``make_index`` trains once and clones),
that is the single index's computation split N ways. HNSW shards each walk
their own graph, so they are merged as above: at least one index's quality,
never identical to it.

Local shards are searched in this process, one after the other, or on
threads for large IVF-PQ shards; tracer.distributed.ray_shards searches them
in parallel on Ray actors with the same merge (``_map`` is the one thing it
overrides).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexNotFound
from .base import VectorIndex, check_queries, empty_result, read_meta, TIE_SLACK, top_k, within_ties, write_meta

KIND_PREFIX = "sharded-"
SHARDS_DIR = "shards"
# How segments were routed (a shard's documents are found again with it).
ROUTING = "blake2b-64(document id) mod shards"


# IVF-PQ shards holding at least this many vectors in all are searched on
# parallel threads (FAISS and numpy release the GIL): at 10M, 4 shards on 2
# cores (scripts/bench_scale.py). Below it a hand-off costs more than a search.
PARALLEL_MIN = 1_000_000

# ids -> shard number of each id
Router = Callable[[np.ndarray], np.ndarray]


def shard_dir(root: Path, number: int) -> Path:
    """Directory of shard ``number`` inside an index directory."""
    return Path(root) / SHARDS_DIR / f"{number:03d}"


def document_shards(doc_ids: Sequence[str], shards: int) -> np.ndarray:
    """The shard of each document id: the same on every machine and run
    (not Python's ``hash``, which is salted per process)."""
    known: dict[str, int] = {}
    out = np.empty(len(doc_ids), dtype=np.int64)
    for i, doc in enumerate(doc_ids):
        number = known.get(doc)
        if number is None:
            digest = hashlib.blake2b(str(doc).encode("utf-8"), digest_size=8).digest()
            number = known[doc] = int.from_bytes(digest, "little") % shards
        out[i] = number
    return out


def id_shards(ids: np.ndarray, shards: int) -> np.ndarray:
    """Default routing when no documents are known: a stable mix of the id."""
    x = np.asarray(ids, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return ((x >> np.uint64(33)) % np.uint64(shards)).astype(np.int64)


def router_from(ids: np.ndarray, shard_of_row: np.ndarray) -> Router:
    """A router for known ids (e.g. a build's segments with their document's shard)."""
    ids = np.asarray(ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    sorted_ids, sorted_shards = ids[order], np.asarray(shard_of_row, dtype=np.int64)[order]

    def route(query: np.ndarray) -> np.ndarray:
        query = np.asarray(query, dtype=np.int64)
        at = np.clip(np.searchsorted(sorted_ids, query), 0, max(len(sorted_ids) - 1, 0))
        if len(query) and (len(sorted_ids) == 0 or np.any(sorted_ids[at] != query)):
            raise ValueError("some ids have no shard assigned")
        return sorted_shards[at]

    return route


def is_two_phase(index: Any) -> bool:
    """Whether an index re-ranks approximate candidates and exposes both phases."""
    return all(hasattr(index, name) for name in ("coarse_search", "exact_scores", "rerank_count"))


class ShardedIndex(VectorIndex):
    """N indexes of one kind searched as one (see the module docstring)."""

    def __init__(self, shards: Sequence[VectorIndex], route: Router | None = None) -> None:
        if not shards:
            raise ValueError("a sharded index needs at least one shard")
        dims = {s.dim for s in shards}
        kinds = {s.kind for s in shards}
        if len(dims) != 1 or len(kinds) != 1:
            raise ValueError(f"shards must share one dimension and kind, got {sorted(dims)} / {sorted(kinds)}")
        self.shards = list(shards)
        self.dim = dims.pop()
        self.shard_kind = kinds.pop()
        self.kind = KIND_PREFIX + self.shard_kind
        self.two_phase = all(is_two_phase(s) for s in shards)
        self._route = route or (lambda ids: id_shards(ids, len(self.shards)))
        self._pool: ThreadPoolExecutor | None = None

    @property
    def ntotal(self) -> int:
        return int(sum(self._map("__len__")))

    @property
    def approximate(self) -> bool:
        return bool(getattr(self.shards[0], "approximate", False))

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add each row to the shard its id routes to."""
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.asarray(vectors)
        if len(ids) != len(vectors):
            raise ValueError(f"expected {len(vectors)} ids, got {len(ids)}")
        if len(ids) and not getattr(self.shards[0], "is_trained", True):
            self.train(vectors)
        number = self._route(ids)
        for s, shard in enumerate(self.shards):
            rows = np.flatnonzero(number == s)
            if len(rows):
                shard.add(vectors[rows], ids[rows])

    def train(self, sample: np.ndarray) -> None:
        """Train once on ``sample`` and give every shard that training (IVF-PQ:
        the same quantizers, so shards code a vector as one index would)."""
        first = self.shards[0]
        first.train(sample)
        for shard in self.shards[1:]:
            if hasattr(shard, "adopt_training"):
                shard.adopt_training(first)
            else:
                shard.train(sample)

    # --- search -----------------------------------------------------------

    def _map(self, method: str, *args: Any) -> list[Any]:
        """Call ``method(*args)`` on every shard, results in shard order.

        Only IVF-PQ shards go on threads: the other backends switch FAISS's
        process-wide OpenMP thread count around small searches, which
        concurrent calls would leave changed."""
        if self._pool is None and self.two_phase and len(self.shards) > 1 \
                and sum(len(s) for s in self.shards) >= PARALLEL_MIN:
            self._pool = ThreadPoolExecutor(min(len(self.shards), os.cpu_count() or 1),
                                            thread_name_prefix="tracer-shard")
        if self._pool is not None:
            return list(self._pool.map(lambda shard: getattr(shard, method)(*args), self.shards))
        return [getattr(shard, method)(*args) for shard in self.shards]

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        queries = check_queries(queries, self.dim, k)
        if allowed_ids is not None:
            allowed_ids = np.unique(np.asarray(allowed_ids, dtype=np.int64))
        if self.two_phase:
            return self._search_two_phase(queries, k, allowed_ids)
        return merge(self._map("search", queries, k, allowed_ids), k)

    def _search_two_phase(self, queries: np.ndarray, k: int, allowed: np.ndarray | None):
        n = int(self._map("rerank_count", k)[0])
        # phase 1: each shard's best by the approximate score, cut where one
        # index cuts (the best n overall and their ties: base.within_ties)
        wide = TIE_SLACK * n
        coarse, candidates = merge(self._map("coarse_search", queries, wide, allowed), wide)
        candidates = within_ties(coarse, candidates, n)
        # phase 2: exact scores, each from the one shard that holds the id (-inf from the others)
        exact = np.max(np.stack(self._map("exact_scores", queries, candidates)), axis=0)
        exact[candidates < 0] = -np.inf
        scores, ids = top_k(exact, candidates, k)
        ids = np.where(np.isfinite(scores), ids, -1)
        return scores, ids

    # --- persistence ------------------------------------------------------

    def save(self, dir: Path) -> None:
        dir = Path(dir)
        dir.mkdir(parents=True, exist_ok=True)
        for number, shard in enumerate(self.shards):
            shard.save(shard_dir(dir, number))
        write_meta(dir, {"kind": self.kind, "dim": self.dim, "ntotal": self.ntotal, "shards": len(self.shards),
                         "shard_kind": self.shard_kind, "routing": ROUTING})

    @classmethod
    def load(cls, dir: Path, mmap: bool = True) -> ShardedIndex:
        """Not here: a shard may be of any backend, and only
        tracer.index.backends knows them all (``load_index`` opens a sharded index)."""
        raise TypeError("open a sharded index with tracer.index.backends.load_index")

    @staticmethod
    def shard_dirs(dir: Path) -> list[Path]:
        """The shard directories of a saved sharded index (its index.json says how many)."""
        meta = read_meta(Path(dir))
        if not str(meta.get("kind", "")).startswith(KIND_PREFIX):
            raise IndexNotFound(f"{dir} holds a {meta.get('kind')!r} index, not a sharded one")
        return [shard_dir(Path(dir), i) for i in range(int(meta["shards"]))]

    @classmethod
    def of_loaded(cls, dir: Path, shards: list[VectorIndex]) -> ShardedIndex:
        """The saved sharded index at ``dir`` from its shards, each opened by
        its own backend (tracer.index.backends.load_index does both steps)."""
        meta = read_meta(Path(dir))
        index = cls(shards)
        if index.dim != int(meta["dim"]):
            raise IndexNotFound(f"{dir}: shards have {index.dim} dimensions, its index.json says {meta['dim']}")
        return index


def merge(parts: Sequence[tuple[np.ndarray, np.ndarray]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best ``k`` per query over several shards' results (padding dropped,
    ties by smaller id, padded again like ``VectorIndex.search``)."""
    scores = np.concatenate([p[0] for p in parts], axis=1)
    ids = np.concatenate([p[1] for p in parts], axis=1)
    scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
    out_scores, out_ids = empty_result(len(scores), k)
    if scores.shape[1] == 0:
        return out_scores, out_ids
    best_s, best_i = top_k(scores, ids, min(k, scores.shape[1]))
    best_i = np.where(np.isfinite(best_s), best_i, -1)
    out_scores[:, : best_s.shape[1]] = best_s
    out_ids[:, : best_i.shape[1]] = best_i
    return out_scores, out_ids

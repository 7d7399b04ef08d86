"""FAISS backend: exact flat search for small corpora, HNSW above ``FLAT_MAX``.

Both wrap the vectors in ``IndexIDMap2`` so FAISS ids are segment ids.
Saved as ``index.faiss`` and loaded with ``IO_FLAG_MMAP_IFC``, which maps
the vector storage instead of reading it (a mapped 200k x 384 flat index
costs a few tens of MB of RSS instead of ~300 MB).

Why flat, then HNSW (not IVF): HNSW keeps recall >= 0.99 at sub-millisecond
latency without training, and below 200k vectors flat search is exact,
builds instantly and still answers within tens of milliseconds. The
measurements behind every number here are in docs/tuning.md.

Filtering: FAISS applies an ``IDSelector`` during search. That is exact for
flat; for HNSW the graph walk loses recall when few ids are allowed, so
small allowed sets are searched exactly over the mapped vectors instead
(see ``EXACT_SUBSET_*``), and any query that still comes back short is
redone exactly.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexNotFound, MissingDependency
from .base import (
    VectorIndex,
    check_add,
    check_queries,
    empty_result,
    read_meta,
    sort_order,
    write_meta,
)
from .exact import exact_search

FLAT_MAX = 200_000  # vectors; above this index.backends.make_index builds the compressed HNSW
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 128
# Filtered HNSW search: allowed sets up to this size, or this fraction of the
# index, are searched exactly: exact is faster below ~40k ids, and below 2% the
# graph walk's recall is unsafe (docs/tuning.md, "filtered search").
EXACT_SUBSET_MAX = 40_000
EXACT_SUBSET_FRACTION = 0.02
# efSearch grows as the filter gets narrower (fewer allowed nodes per hop), capped.
FILTERED_EF_MAX = 1024
# Fewer queries than this run on one OpenMP thread: with busy cores (a rebuild
# encoding next to a lookup) the parallel region's barrier dominates.
SINGLE_THREAD_BELOW = 8
# Flat search with a filter over at least this many queries at once (a build's
# hubness pass: every segment against each language) runs in numpy over the
# gathered allowed rows: FAISS's filtered flat search skips BLAS (5x slower).
EXACT_BATCH_MIN = 64
# Allowed ids below this are passed as a bitmap (16 MB max), above as a hash set.
_BITMAP_MAX_ID = 1 << 27

FILE_NAME = "index.faiss"


def faiss_module() -> Any:
    try:
        import faiss
    except ImportError as e:  # pragma: no cover - faiss-cpu is a core dependency
        raise MissingDependency("the vector index needs FAISS: pip install faiss-cpu") from e
    return faiss


class FaissIndex(VectorIndex):
    """Inner-product index over FAISS; ``approximate=True`` builds HNSW."""

    def __init__(
        self,
        dim: int,
        approximate: bool = False,
        *,
        m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
    ) -> None:
        faiss = faiss_module()
        self.dim = dim
        self.ef_search = ef_search
        self._params: dict[str, int] = {}
        if approximate:
            inner = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = ef_construction
            self.kind = "faiss-hnsw"
            self._params = {"m": m, "ef_construction": ef_construction}
        else:
            inner = faiss.IndexFlatIP(dim)
            self.kind = "faiss-flat"
        self._set(faiss.IndexIDMap2(inner), mapped=False)

    def _set(self, index: Any, mapped: bool) -> None:
        self._index = index
        self._mapped = mapped
        self._id_map: np.ndarray | None = None
        self._id_order: np.ndarray | None = None

    @property
    def approximate(self) -> bool:
        return self.kind == "faiss-hnsw"

    @property
    def ntotal(self) -> int:
        return int(self._index.ntotal)

    @property
    def ids(self) -> np.ndarray:
        """All ids in insertion order (position i of the storage holds ids[i])."""
        if self._id_map is None:
            self._id_map = faiss_module().vector_to_array(self._index.id_map).astype(np.int64, copy=False)
        return self._id_map

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add vectors; ids must be new (only checked within the batch: a
        full check would cost a pass over the index per batch)."""
        if self._mapped:
            # FAISS aborts the whole process when asked to grow mapped storage.
            raise ValueError("this index was loaded memory-mapped (read-only); load it with mmap=False to add")
        vectors, ids = check_add(vectors, ids, self.dim)
        if len(ids):
            self._index.add_with_ids(vectors, ids)
            self._id_map = self._id_order = None

    # --- search -----------------------------------------------------------

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        queries = check_queries(queries, self.dim, k)
        if self.ntotal == 0:
            return empty_result(len(queries), k)
        if allowed_ids is None:
            return self._faiss_search(queries, k, None, self.ef_search)
        allowed = np.unique(np.asarray(allowed_ids, dtype=np.int64))
        allowed = allowed[allowed >= 0]
        if not len(allowed):
            return empty_result(len(queries), k)
        if not self.approximate:
            if len(queries) >= EXACT_BATCH_MIN:
                positions = self._positions(allowed)
                return exact_search(queries, self._storage()[positions], self.ids[positions], k)
            return self._faiss_search(queries, k, allowed, 0)
        positions = self._positions(allowed)
        if len(positions) <= max(EXACT_SUBSET_MAX, EXACT_SUBSET_FRACTION * self.ntotal):
            return self._exact_subset(queries, k, positions)
        fraction = len(positions) / self.ntotal
        ef = int(min(FILTERED_EF_MAX, max(self.ef_search, k) / np.sqrt(fraction)))
        scores, ids = self._faiss_search(queries, k, allowed, ef)
        short = ids[:, min(k, len(positions)) - 1] < 0
        if short.any():
            scores[short], ids[short] = self._exact_subset(queries[short], k, positions)
        return scores, ids

    def _faiss_search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None, ef: int
    ) -> tuple[np.ndarray, np.ndarray]:
        faiss = faiss_module()
        if self.approximate:
            params = faiss.SearchParametersHNSW(efSearch=max(ef, k))
        else:
            params = faiss.SearchParameters()
        if allowed is not None:
            # IndexIDMap2 translates storage positions to our ids before asking the selector.
            params.sel = id_selector(faiss, allowed)
        with omp_threads(faiss, 1 if len(queries) < SINGLE_THREAD_BELOW else None):
            scores, ids = self._index.search(queries, k, params=params)
        scores = scores.astype(np.float32, copy=False)
        scores[ids < 0] = -np.inf
        return scores, ids.astype(np.int64, copy=False)

    def _positions(self, allowed: np.ndarray) -> np.ndarray:
        """Storage positions of the allowed ids that are in the index (sorted)."""
        ids = self.ids
        if self._id_order is None:
            order = sort_order(ids)
            self._id_order = np.zeros(0, np.int64) if order is None else order  # empty: ids already increase
        identity = len(self._id_order) == 0
        sorted_ids = ids if identity else ids[self._id_order]
        at = np.searchsorted(sorted_ids, allowed)
        at_ok = at < len(sorted_ids)
        hit = np.zeros(len(allowed), dtype=bool)
        hit[at_ok] = sorted_ids[at[at_ok]] == allowed[at_ok]
        return np.sort(at[hit] if identity else self._id_order[at[hit]])

    def _storage(self) -> np.ndarray:
        """The stored vectors as a numpy view (no copy; valid while the index lives)."""
        faiss = faiss_module()
        inner = faiss.downcast_index(self._index.index)
        flat = inner if isinstance(inner, faiss.IndexFlat) else faiss.downcast_index(inner.storage)
        n = self.ntotal
        return faiss.rev_swig_ptr(flat.get_xb(), n * self.dim).reshape(n, self.dim)

    def _exact_subset(self, queries: np.ndarray, k: int, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return exact_search(queries, self._storage(), self.ids, k, positions)

    # --- persistence ------------------------------------------------------

    def save(self, dir: Path) -> None:
        faiss = faiss_module()
        dir = Path(dir)
        dir.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(dir / FILE_NAME))
        meta = {
            "kind": self.kind,
            "dim": self.dim,
            "ntotal": self.ntotal,
            "ef_search": self.ef_search,
            "faiss_version": faiss.__version__,
            **self._params,
        }
        write_meta(dir, meta)

    @classmethod
    def load(cls, dir: Path, mmap: bool = True) -> FaissIndex:
        faiss = faiss_module()
        dir = Path(dir)
        meta = read_meta(dir)
        kind = meta.get("kind")
        if kind not in ("faiss-flat", "faiss-hnsw"):
            raise IndexNotFound(f"{dir} holds a {kind!r} index, not a FAISS one")
        path = dir / FILE_NAME
        if not path.is_file():
            raise IndexNotFound(f"{path} is missing")
        flags = getattr(faiss, "IO_FLAG_MMAP_IFC", 0) if mmap else 0
        index = faiss.read_index(str(path), flags)
        self = cls.__new__(cls)
        self.dim = int(meta["dim"])
        self.kind = kind
        self.ef_search = int(meta.get("ef_search", HNSW_EF_SEARCH))
        self._params = {key: int(meta[key]) for key in ("m", "ef_construction") if key in meta}
        self._set(faiss.downcast_index(index), mapped=bool(flags))
        # The downcast proxy does not own the C++ object; the original one does
        # and frees it when collected, so keep it alive with us.
        self._owner = index
        if self._index.d != self.dim:
            raise IndexNotFound(f"{path} has {self._index.d} dimensions, its index.json says {self.dim}")
        return self


@contextmanager
def omp_threads(faiss: Any, n: int | None) -> Iterator[None]:
    """Run the block with ``n`` OpenMP threads (None: unchanged). The setting
    is process-wide; concurrent searches may see each other's, which only
    affects speed."""
    if n is None:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def id_selector(faiss: Any, allowed: np.ndarray) -> Any:
    """An IDSelector for sorted, unique, non-negative ids."""
    top = int(allowed[-1])
    if top < _BITMAP_MAX_ID:
        bits = np.zeros(top + 1, dtype=bool)
        bits[allowed] = True
        return faiss.IDSelectorBitmap(np.packbits(bits, bitorder="little"))
    return faiss.IDSelectorBatch(allowed)

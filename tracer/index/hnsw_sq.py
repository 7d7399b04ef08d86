"""Compressed approximate index for large corpora: HNSW over 8-bit scalar
quantized vectors, re-ranked with exact(ish) float16 vectors read from disk.

Why this shape (scripts/bench.py and the measurements in faiss_index.py):
1M x 384 float32 is 1.5 GB, and HNSW over it adds 0.26 GB of graph, beyond a
1 GB budget for a lookup process. Here the graph walks 8-bit codes
(384 B/vector, 0.66 GB with the graph for 1M), and the best
``REFINE_FACTOR * k`` candidates are re-scored from a float16 copy of the
vectors (``vectors.f16.npy``) that stays on disk: a loaded (``mmap=True``)
index reads the few rows it needs with ``os.pread``, so the copy never
counts in the process's memory, and scores equal the exact cosines to ~1e-4
(what the margin score needs). IVF-PQ / IVF-SQ8 were measured too and lost:
on vectors without topic clusters (a Gaussian fitted to e5 vectors, the hard
case) IVF1024 needed nprobe 128 (12% of the data) for recall@10 0.93,
IVF2048,PQ48 stayed at 0.92 even with 400 refined candidates.

Storage positions are the HNSW labels; ``index_ids.npy`` maps them to
segment ids (no FAISS id map: its reverse hash map would cost ~50 MB per
million vectors).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..errors import IndexNotFound
from .base import check_add, empty_result, read_saved, top_k, write_meta
from .exact import exact_search
from .faiss_index import FILE_NAME, SINGLE_THREAD_BELOW, FaissIndex, faiss_module, id_selector, omp_threads

KIND = "faiss-hnsw-sq8"
IDS_FILE = "index_ids.npy"
VECTORS_FILE = "vectors.f16.npy"
HNSW_SQ_M = 32
HNSW_SQ_EF_CONSTRUCTION = 128
# efSearch and re-ranked candidates: 640 is the smallest efSearch that keeps
# recall@10 >= 0.95 at 1M vectors with a margin, and a query under 20 ms with
# its encoding (scripts/bench.py; the sweep is in docs/tuning.md).
HNSW_SQ_EF_SEARCH = 640
REFINE_FACTOR = 4


class HnswSqIndex(FaissIndex):
    """HNSW on SQ8 codes + float16 re-ranking; same interface as ``FaissIndex``."""

    def __init__(
        self,
        dim: int,
        *,
        m: int = HNSW_SQ_M,
        ef_construction: int = HNSW_SQ_EF_CONSTRUCTION,
        ef_search: int = HNSW_SQ_EF_SEARCH,
        refine_factor: int = REFINE_FACTOR,
    ) -> None:
        faiss = faiss_module()
        self.dim = dim
        self.kind = KIND
        self.ef_search = ef_search
        self.refine_factor = refine_factor
        self._params = {"m": m, "ef_construction": ef_construction, "refine_factor": refine_factor}
        inner = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, m, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = ef_construction
        self._set(inner, mapped=False)
        self._id_parts: list[np.ndarray] = []
        self._vec_parts: list[np.ndarray] = []
        self._vectors: np.ndarray | None = None  # float16 rows in memory (built or loaded with mmap=False)
        self._vectors_path: Path | None = None  # or on disk (loaded with mmap=True)
        self._vectors_offset = 0
        self._fd: int | None = None

    @property
    def approximate(self) -> bool:
        return True

    @property
    def ids(self) -> np.ndarray:
        if self._id_parts:
            self._id_map = np.concatenate([self._id_map, *self._id_parts]) if self._id_map is not None \
                else np.concatenate(self._id_parts)
            self._id_parts = []
            self._id_order = None
        if self._id_map is None:
            self._id_map = np.zeros(0, dtype=np.int64)
        return self._id_map

    def train(self, sample: np.ndarray) -> None:
        """Fit the 8-bit quantizer's per-dimension ranges on ``sample`` (unit
        rows); optional: otherwise the first ``add`` trains on its batch."""
        self._index.train(np.ascontiguousarray(sample, dtype=np.float32))

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add vectors (the first batch also trains the 8-bit quantizer's
        per-dimension ranges, so make it representative: a build adds all)."""
        if self._mapped:
            raise ValueError("this index was loaded memory-mapped (read-only); load it with mmap=False to add")
        vectors, ids = check_add(vectors, ids, self.dim)
        if not len(ids):
            return
        if not self._index.is_trained:
            self._index.train(vectors)
        self._index.add(vectors)
        self._id_parts.append(ids.copy())
        self._vec_parts.append(vectors.astype(np.float16))

    # --- search -----------------------------------------------------------

    def _rows(self, positions: np.ndarray) -> np.ndarray:
        """float32 copies of the stored rows at ``positions`` (any order)."""
        if self._vec_parts:
            base = [self._vectors] if self._vectors is not None else []
            self._vectors = np.concatenate(base + self._vec_parts)
            self._vec_parts = []
        if self._vectors is not None:
            return self._vectors[positions].astype(np.float32)
        if len(positions) > 4096:
            # bulk reads (exact subset of a filter): a transient map is faster than preads
            mapped = np.load(self._vectors_path, mmap_mode="r")
            return np.asarray(mapped[np.asarray(positions)], dtype=np.float32)
        if self._fd is None:
            self._fd = os.open(self._vectors_path, os.O_RDONLY)
        row = 2 * self.dim
        data = b"".join(os.pread(self._fd, row, self._vectors_offset + int(p) * row) for p in positions)
        return np.frombuffer(data, dtype=np.float16).reshape(len(positions), self.dim).astype(np.float32)

    def _faiss_search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None, ef: int
    ) -> tuple[np.ndarray, np.ndarray]:
        faiss = faiss_module()
        n_candidates = min(self.ntotal, k * self.refine_factor)
        params = faiss.SearchParametersHNSW(efSearch=max(ef, n_candidates))
        if allowed is not None:
            positions = self._positions(allowed)
            if not len(positions):
                return empty_result(len(queries), k)
            params.sel = id_selector(faiss, positions)
        with omp_threads(faiss, 1 if len(queries) < SINGLE_THREAD_BELOW else None):
            _, found = self._index.search(queries, n_candidates, params=params)
        return self._refine(queries, found, k)

    def _refine(self, queries: np.ndarray, found: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact re-scoring of each query's candidate positions -> (scores, ids)."""
        scores, out_ids = empty_result(len(queries), k)
        unique = np.unique(found[found >= 0])
        if not len(unique):
            return scores, out_ids
        rows = self._rows(unique)
        ids = self.ids
        for i, cand in enumerate(found):
            cand = cand[cand >= 0]
            if not len(cand):
                continue
            at = np.searchsorted(unique, cand)
            s = rows[at] @ queries[i]
            best_s, best_i = top_k(s[None, :], ids[cand][None, :], k)
            scores[i, : best_s.shape[1]] = best_s[0]
            out_ids[i, : best_i.shape[1]] = best_i[0]
        return scores, out_ids

    def _exact_subset(self, queries: np.ndarray, k: int, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = self._rows(positions)
        return exact_search(queries, rows, self.ids[positions], k)

    # --- persistence ------------------------------------------------------

    def save(self, dir: Path) -> None:
        faiss = faiss_module()
        dir = Path(dir)
        dir.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(dir / FILE_NAME))
        np.save(dir / IDS_FILE, self.ids)
        self._rows(np.zeros(0, dtype=np.int64))  # consolidate pending rows
        vectors = self._vectors if self._vectors is not None else np.load(self._vectors_path, mmap_mode="r")
        np.save(dir / VECTORS_FILE, np.ascontiguousarray(vectors, dtype=np.float16))
        write_meta(dir, {"kind": self.kind, "dim": self.dim, "ntotal": self.ntotal, "ef_search": self.ef_search,
                         "faiss_version": faiss.__version__, **self._params})

    @classmethod
    def load(cls, dir: Path, mmap: bool = True) -> HnswSqIndex:
        faiss = faiss_module()
        dir = Path(dir)
        meta = read_saved(dir, KIND, (FILE_NAME, IDS_FILE, VECTORS_FILE))
        self = cls.__new__(cls)
        self.dim = int(meta["dim"])
        self.kind = KIND
        self.ef_search = int(meta.get("ef_search", HNSW_SQ_EF_SEARCH))
        self.refine_factor = int(meta.get("refine_factor", REFINE_FACTOR))
        self._params = {key: int(meta[key]) for key in ("m", "ef_construction", "refine_factor") if key in meta}
        # The graph and codes are read into memory: an HNSW walk touches
        # pages all over them, so mapping would not save memory for long.
        index = faiss.read_index(str(dir / FILE_NAME))
        self._set(faiss.downcast_index(index), mapped=mmap)
        self._owner = index
        self._id_parts, self._vec_parts = [], []
        self._id_map = np.load(dir / IDS_FILE, mmap_mode="r" if mmap else None)
        self._fd = None
        if mmap:
            self._vectors = None
            self._vectors_path = dir / VECTORS_FILE
            self._vectors_offset = int(np.load(self._vectors_path, mmap_mode="r").offset)
        else:
            self._vectors = np.load(dir / VECTORS_FILE)
            self._vectors_path = None
        if self._index.d != self.dim or len(self._id_map) != self._index.ntotal:
            raise IndexNotFound(f"{dir} is inconsistent: {self._index.ntotal} vectors, {len(self._id_map)} ids")
        return self

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)

"""Exact inner-product search in plain numpy: the oracle the FAISS backend is
tested against, and a dependency-free backend for small corpora.

Saved as ``vectors.npy`` + ``ids.npy`` so it loads memory-mapped.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .base import (
    VectorIndex,
    check_add,
    check_queries,
    empty_result,
    read_meta,
    top_k,
    write_meta,
)

# Rows of the score matrix computed at once: bounds memory at
# _QUERY_BLOCK * _DB_BLOCK * 4 bytes (64 MB) whatever the corpus size.
_QUERY_BLOCK = 256
_DB_BLOCK = 65_536


class ExactIndex(VectorIndex):
    """Brute-force search; results are deterministic (equal scores: smaller id first)."""

    kind = "exact"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        # Batches appended since the last search, concatenated lazily so that
        # many small adds stay linear.
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []

    def _consolidate(self) -> None:
        if self._pending:
            self._vectors = np.concatenate([self._vectors, *(v for v, _ in self._pending)])
            self._ids = np.concatenate([self._ids, *(i for _, i in self._pending)])
            self._pending = []

    @property
    def ntotal(self) -> int:
        return len(self._ids) + sum(len(i) for _, i in self._pending)

    @property
    def ids(self) -> np.ndarray:
        """All ids in insertion order."""
        self._consolidate()
        return self._ids

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        vectors, ids = check_add(vectors, ids, self.dim)
        self._consolidate()
        if len(ids) and np.isin(ids, self._ids).any():
            raise ValueError("some ids are already in the index")
        self._pending.append((vectors.copy(), ids.copy()))

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        queries = check_queries(queries, self.dim, k)
        self._consolidate()
        positions = None
        if allowed_ids is not None:
            positions = np.flatnonzero(np.isin(self._ids, np.asarray(allowed_ids, dtype=np.int64)))
        return exact_search(queries, self._vectors, self._ids, k, positions)

    def save(self, dir: Path) -> None:
        dir = Path(dir)
        dir.mkdir(parents=True, exist_ok=True)
        self._consolidate()
        for name, arr in (("vectors.npy", self._vectors), ("ids.npy", self._ids)):
            with open(dir / name, "wb") as f:
                np.save(f, np.ascontiguousarray(arr))
        write_meta(dir, {"kind": self.kind, "dim": self.dim, "ntotal": self.ntotal})

    @classmethod
    def load(cls, dir: Path, mmap: bool = True) -> ExactIndex:
        dir = Path(dir)
        meta = read_meta(dir)
        index = cls(int(meta["dim"]))
        mode = "r" if mmap else None
        index._vectors = np.load(dir / "vectors.npy", mmap_mode=mode)
        index._ids = np.load(dir / "ids.npy", mmap_mode=mode)
        return index


def exact_search(
    queries: np.ndarray,
    vectors: np.ndarray,
    ids: np.ndarray,
    k: int,
    positions: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Brute-force top-``k`` of ``queries`` against the rows of ``vectors``
    (restricted to ``positions`` when given), padded like ``VectorIndex.search``.
    Works block by block, so ``vectors`` may be a memory map of any size."""
    n_candidates = len(ids) if positions is None else len(positions)
    scores, out_ids = empty_result(len(queries), k)
    if n_candidates == 0:
        return scores, out_ids
    for q0 in range(0, len(queries), _QUERY_BLOCK):
        q = queries[q0 : q0 + _QUERY_BLOCK]
        best_s = np.full((len(q), 0), -np.inf, dtype=np.float32)
        best_i = np.zeros((len(q), 0), dtype=np.int64)
        for b0 in range(0, n_candidates, _DB_BLOCK):
            if positions is None:
                vecs = vectors[b0 : b0 + _DB_BLOCK]
                block_ids = ids[b0 : b0 + _DB_BLOCK]
            else:
                sel = positions[b0 : b0 + _DB_BLOCK]
                vecs, block_ids = vectors[sel], ids[sel]
            s = q @ vecs.T
            cand_s = np.concatenate([best_s, s], axis=1)
            cand_i = np.concatenate([best_i, np.broadcast_to(block_ids, s.shape)], axis=1)
            best_s, best_i = top_k(cand_s, cand_i, k)
        kk = best_s.shape[1]
        scores[q0 : q0 + len(q), :kk] = best_s
        out_ids[q0 : q0 + len(q), :kk] = best_i
    return scores, out_ids

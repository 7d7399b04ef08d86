"""The vector index interface, shared checks, and loading by kind.

An index is a directory of plain files plus ``index.json`` naming its kind,
so ``tracer.index.backends.load_index`` can open any saved index without knowing its backend.
Scores are inner products of L2-normalised vectors (cosine similarity).
"""
from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexNotFound

META_NAME = "index.json"


class VectorIndex(ABC):
    """Inner-product nearest neighbours over int64-identified vectors."""

    kind: str
    dim: int

    @abstractmethod
    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add L2-normalised float32 ``vectors`` (n, dim) under unique int64 ``ids`` (n,)."""

    @abstractmethod
    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` by inner product for each query: ``(scores (n, k) float32,
        ids (n, k) int64)``, best first. Only ids in ``allowed_ids`` are
        returned when it is given. Missing results are padded with id -1
        and score -inf."""

    @property
    @abstractmethod
    def ntotal(self) -> int:
        """Number of vectors in the index."""

    @abstractmethod
    def save(self, dir: Path) -> None:
        """Write the index into ``dir`` (created if needed), including ``index.json``."""

    @classmethod
    @abstractmethod
    def load(cls, dir: Path, mmap: bool = True) -> VectorIndex:
        """Open an index saved by ``save``; ``mmap`` maps the vectors instead of reading them."""

    def __len__(self) -> int:
        return self.ntotal

    def __repr__(self) -> str:
        return f"<{type(self).__name__} kind={self.kind} dim={self.dim} ntotal={self.ntotal}>"


def read_meta(dir: Path) -> dict[str, Any]:
    path = Path(dir) / META_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexNotFound(f"no vector index in {dir} (missing {META_NAME})") from None


def read_saved(dir: Path, kind: str, files: tuple[str, ...]) -> dict[str, Any]:
    """The index.json of a saved index of ``kind`` whose ``files`` are all present."""
    meta = read_meta(dir)
    if meta.get("kind") != kind:
        raise IndexNotFound(f"{dir} holds a {meta.get('kind')!r} index, not a {kind} one")
    for name in files:
        if not (Path(dir) / name).is_file():
            raise IndexNotFound(f"{Path(dir) / name} is missing")
    return meta


def write_meta(dir: Path, meta: dict[str, Any]) -> None:
    write_file(Path(dir) / META_NAME, json.dumps(meta, indent=2, sort_keys=True).encode("utf-8"))


def write_file(path: Path, data: bytes) -> None:
    """Write and fsync, so a version committed afterwards is complete on disk."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def check_add(vectors: np.ndarray, ids: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert an ``add`` batch: float32 C-contiguous (n, dim),
    unit (or zero) rows, unique non-negative int64 ids."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    if vectors.ndim != 2 or vectors.shape[1] != dim:
        raise ValueError(f"expected vectors of shape (n, {dim}), got {vectors.shape}")
    if ids.shape != (len(vectors),):
        raise ValueError(f"expected {len(vectors)} ids, got shape {ids.shape}")
    if len(ids):
        if ids.min() < 0:
            raise ValueError("ids must be non-negative (-1 marks a missing result)")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("ids must be unique")
        norms = np.linalg.norm(vectors, axis=1)
        # zero rows are tolerated: normalize_rows leaves empty texts at zero
        if not np.all((np.abs(norms - 1.0) < 1e-3) | (norms == 0)):
            raise ValueError("vectors must be L2-normalised (inner product = cosine)")
    return vectors, ids


def check_queries(queries: np.ndarray, dim: int, k: int) -> np.ndarray:
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    if queries.ndim == 1:
        queries = queries[None, :]
    if queries.ndim != 2 or queries.shape[1] != dim:
        raise ValueError(f"expected queries of shape (n, {dim}), got {queries.shape}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    return queries


def sort_order(ids: np.ndarray) -> np.ndarray | None:
    """``argsort(ids)``, or None when the ids already increase.

    Builds write ids in increasing order, so the common case needs neither the
    sort (60-80 ms per million ids, paid by every cold lookup) nor a sorted copy.
    """
    if len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return None
    return np.argsort(ids, kind="stable")


def empty_result(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All-padding result: scores -inf, ids -1."""
    return np.full((n, k), -np.inf, dtype=np.float32), np.full((n, k), -1, dtype=np.int64)


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-k by score (descending), ties by id (ascending)."""
    m = scores.shape[1]
    if m > k:
        # argpartition first so the full sort only sees k columns
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(scores, part, axis=1)
        ids = np.take_along_axis(ids, part, axis=1)
    order = np.lexsort((ids, -scores), axis=1)
    return np.take_along_axis(scores, order, axis=1), np.take_along_axis(ids, order, axis=1)


# Two-phase searches (an index that re-ranks approximate candidates, and the
# shards of one) look for the re-ranked set among this many times as many:
# the room ties at the cut need.
TIE_SLACK = 2


def within_ties(scores: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    """``ids`` (rows sorted best first) with -1 for every entry that is not among
    the best ``n`` *or tied with the n-th*: a cut that does not depend on how
    an index breaks ties, so one index and its shards cut at the same place
    (quantized scores tie often)."""
    if ids.shape[1] <= n:
        return ids
    nth = scores[:, n - 1:n]
    return np.where(scores >= nth, ids, -1)

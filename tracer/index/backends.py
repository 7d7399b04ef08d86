"""The one place that knows every vector-index backend: make a new index, open a saved one."""
from __future__ import annotations

from pathlib import Path

from ..errors import IndexNotFound
from .base import VectorIndex, read_meta
from .exact import ExactIndex
from .faiss_index import FLAT_MAX, FaissIndex
from .hnsw_sq import KIND as HNSW_SQ_KIND
from .hnsw_sq import HnswSqIndex

__all__ = ["make_index", "load_index"]


def make_index(n: int, dim: int) -> VectorIndex:
    """An empty index suited to ``n`` vectors: exact flat up to ``FLAT_MAX``,
    compressed HNSW (8-bit codes, float16 re-ranking; ``hnsw_sq.py``) above."""
    return FaissIndex(dim) if n <= FLAT_MAX else HnswSqIndex(dim)


def load_index(dir: Path, mmap: bool = True) -> VectorIndex:
    """Open a saved index of any kind (its ``index.json`` says which)."""
    kind = read_meta(dir).get("kind", "")
    if kind == "exact":
        return ExactIndex.load(dir, mmap=mmap)
    if kind == HNSW_SQ_KIND:
        return HnswSqIndex.load(dir, mmap=mmap)
    if kind.startswith("faiss-"):
        return FaissIndex.load(dir, mmap=mmap)
    raise IndexNotFound(f"{dir} holds an index of unknown kind {kind!r}")

"""The one place that knows every vector-index backend: make a new index, open a saved one."""
from __future__ import annotations

from pathlib import Path

from ..errors import IndexNotFound, InputError
from .base import VectorIndex, read_meta
from .exact import ExactIndex
from .faiss_index import FLAT_MAX, FaissIndex
from .hnsw_sq import KIND as HNSW_SQ_KIND
from .hnsw_sq import HnswSqIndex
from .ivf_pq import KIND as IVF_PQ_KIND
from .ivf_pq import IvfPqIndex, nlist_for
from .sharded import KIND_PREFIX as SHARDED_PREFIX
from .sharded import Router, ShardedIndex

__all__ = ["INDEX_TYPES", "make_index", "load_index"]

# What `index_type` may say (Settings.index_type); "auto" chooses by size.
INDEX_TYPES = ("auto", "flat", "hnsw-sq8", "ivf-pq", "exact")
# Above this many vectors "auto" builds IVF-PQ: HNSW-SQ8 was measured up to
# 1M (845 MB to serve, 634 s to build), and both grow linearly from there.
IVF_MIN = 2_000_000


def index_type_for(n: int) -> str:
    """The index kind ``auto`` picks for ``n`` vectors: exact flat up to
    ``FLAT_MAX``, compressed HNSW (8-bit codes, float16 re-ranking) up to
    ``IVF_MIN``, IVF over 4-bit PQ codes (float16 re-ranking) above."""
    return "flat" if n <= FLAT_MAX else "hnsw-sq8" if n <= IVF_MIN else "ivf-pq"


def _new(kind: str, dim: int, n: int) -> VectorIndex:
    if kind == "flat":
        return FaissIndex(dim)
    if kind == "hnsw-sq8":
        return HnswSqIndex(dim)
    if kind == "ivf-pq":
        return IvfPqIndex(dim, nlist=nlist_for(n))
    if kind == "exact":
        return ExactIndex(dim)
    raise InputError(f"unknown index type {kind!r}; choose one of {', '.join(INDEX_TYPES)}")


def make_index(n: int, dim: int, *, kind: str = "auto", shards: int = 1, route: Router | None = None) -> VectorIndex:
    """An empty index suited to ``n`` vectors (``kind`` "auto": chosen by the
    total size, so a sharded index's shards are the kind one index would be).

    ``shards`` > 1 gives a :class:`ShardedIndex` of that many; ``route`` maps
    ids to shard numbers (a build routes by document, ``sharded.document_shards``).
    """
    if shards < 1:
        raise InputError(f"shards must be at least 1, got {shards}")
    kind = index_type_for(n) if kind == "auto" else kind
    if shards == 1:
        return _new(kind, dim, n)
    return ShardedIndex([_new(kind, dim, n) for _ in range(shards)], route)


def load_index(dir: Path, mmap: bool = True) -> VectorIndex:
    """Open a saved index of any kind (its ``index.json`` says which)."""
    kind = read_meta(dir).get("kind", "")
    if kind.startswith(SHARDED_PREFIX):
        return ShardedIndex.of_loaded(dir, [load_index(d, mmap=mmap) for d in ShardedIndex.shard_dirs(dir)])
    if kind == "exact":
        return ExactIndex.load(dir, mmap=mmap)
    if kind == HNSW_SQ_KIND:
        return HnswSqIndex.load(dir, mmap=mmap)
    if kind == IVF_PQ_KIND:
        return IvfPqIndex.load(dir, mmap=mmap)
    if kind.startswith("faiss-"):
        return FaissIndex.load(dir, mmap=mmap)
    raise IndexNotFound(f"{dir} holds an index of unknown kind {kind!r}")

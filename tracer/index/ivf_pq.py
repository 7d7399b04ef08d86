"""IVF-PQ for 10M-100M segments: inverted lists of 4-bit product-quantized
codes (FAISS fast scan), trained on a sample, re-ranked exactly from float16 rows.

Why this shape (scripts/bench_scale.py; the measurements are in docs/tuning.md):
at 10M vectors HNSW over 8-bit codes needs ~6.4 GB of memory and hours to
build; here a vector costs 96 bytes of codes + 8 of id in memory (1 GB for
10M), and training and adding are one k-means and one pass.

* Codes: ``PQ{dim/4}x4fs``, four dimensions per 4-bit sub-quantizer (48
  bytes for e5's 384). Fast scan compares codes with SIMD table lookups:
  scripts/bench_ivf_codes.py at 1M, half the lists scanned, recall@10 after
  re-ranking / ms per query: 8-bit PQ48 0.962 / 5.8 with 1,000 re-ranked,
  PQ96x4fs 0.974 / 1.0, PQ192x4fs (96 bytes) 0.977 / 1.4 with 200, SQ8
  (384 bytes) 0.977 / 24. The coarser codes need ``RERANK_FACTOR`` x k
  candidates re-ranked, cheap next to scanning half of 10M codes twice as slowly.
* Lists: ``nlist`` grows with the training size up to ``NLIST_MAX``; a query
  scans ``NPROBE_FRACTION`` of them. The fraction is high because the hard
  case (a Gaussian fitted to e5 vectors, no topic clusters) has no cluster
  structure for IVF to use: at 1M with real quotes as queries, recall@10 was
  0.922 scanning 1/4 of 1,024 lists, 0.958 at 3/8, 0.981 at 1/2, each in
  under 4 ms; 4,096 lists gained 0.022 at 1/4 and 0.004 at 1/2 for 3x the
  build time. Real news has topics; the same fraction is then a margin.
* Exact re-ranking from ``vectors.f16.npy`` (``f16rows.py``), read with
  ``pread`` so the copy stays on disk (as ``hnsw_sq.py`` does).

Search runs in two phases, ``coarse_search`` (approximate scores) and
``exact_scores`` (float16 cosines of chosen ids); ``search`` is exactly their
composition, which lets a :class:`~tracer.index.sharded.ShardedIndex` of IVF
shards that share one training (``adopt_training``) return what one index
returns. Storage positions are the FAISS labels; ``index_ids.npy`` maps them
to segment ids.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import IndexNotFound
from .base import (VectorIndex, check_add, check_queries, empty_result, read_saved, sort_order, top_k,
                   TIE_SLACK, within_ties, write_meta)
from .exact import exact_search
from .f16rows import FILE_NAME as VECTORS_FILE
from .f16rows import Float16Rows
from .faiss_index import FILE_NAME, faiss_module, id_selector, omp_threads

KIND = "faiss-ivf-pq"
IDS_FILE = "index_ids.npy"
# Lists: about one per 1,000 training vectors (a power of two), within these bounds.
NLIST_MIN, NLIST_MAX = 16, 1024
NPROBE_FRACTION = 0.5
RERANK_FACTOR = 20
DIMS_PER_CODE = 4
# Vectors the quantizers are trained on (a sample of the first add, or of ``train``'s rows).
TRAIN_MAX = 150_000
# Filters allowing at most this many ids are searched exactly over their
# float16 rows: cheaper than scanning a quarter of the lists for them.
EXACT_SUBSET_MAX = 40_000


def nlist_for(n: int) -> int:
    """Inverted lists for an index trained on ``n`` vectors."""
    return int(np.clip(2 ** round(np.log2(max(n, 1) / 1000)), NLIST_MIN, NLIST_MAX))


class IvfPqIndex(VectorIndex):
    """IVF over 4-bit PQ codes + float16 re-ranking (see the module docstring)."""

    kind = KIND

    def __init__(self, dim: int, *, nlist: int | None = None, nprobe: int | None = None,
                 rerank_factor: int = RERANK_FACTOR) -> None:
        if dim % DIMS_PER_CODE:
            raise ValueError(f"IVF-PQ codes {DIMS_PER_CODE} dimensions per sub-quantizer: dim must be a multiple "
                             f"of {DIMS_PER_CODE}, got {dim}")
        self.dim = dim
        self.nlist = nlist
        self.nprobe = nprobe
        self.rerank_factor = rerank_factor
        self._index = None  # made when trained
        self._rows = Float16Rows(dim)
        self._id_parts: list[np.ndarray] = []
        self._ids = np.zeros(0, dtype=np.int64)
        self._order: tuple[np.ndarray | None, np.ndarray] | None = None  # (argsort or None, sorted ids)
        self._mapped = False

    @property
    def approximate(self) -> bool:
        return True

    @property
    def codes(self) -> str:
        """The FAISS code spec: ``dim / DIMS_PER_CODE`` 4-bit fast-scan sub-quantizers."""
        return f"PQ{self.dim // DIMS_PER_CODE}x4fs"

    @property
    def is_trained(self) -> bool:
        return self._index is not None

    @property
    def ntotal(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    @property
    def ids(self) -> np.ndarray:
        """Segment ids by storage position."""
        if self._id_parts:
            self._ids = np.concatenate([self._ids, *self._id_parts])
            self._id_parts = []
            self._order = None
        return self._ids

    # --- training and adding ----------------------------------------------

    def train(self, sample: np.ndarray) -> None:
        """Train the coarse quantizer and the PQ codebooks on ``sample`` (unit
        rows; at most ``TRAIN_MAX`` are used, evenly and reproducibly)."""
        faiss = faiss_module()
        sample = np.ascontiguousarray(sample, dtype=np.float32)
        self.nlist = self.nlist or nlist_for(len(sample))
        if len(sample) > TRAIN_MAX:
            sample = sample[np.sort(np.random.default_rng(0).choice(len(sample), TRAIN_MAX, replace=False))]
        self.nprobe = self.nprobe or max(1, int(round(self.nlist * NPROBE_FRACTION)))
        index = faiss.index_factory(self.dim, f"IVF{self.nlist},{self.codes}", faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = 1234  # the k-means initialisation
        # One thread: PQ training runs thousands of tiny k-means steps, whose
        # OpenMP barriers dominate on busy cores (5.5k rows: 1.5 s on one
        # thread, 12.8 s on two beside other work).
        with omp_threads(faiss, 1):
            index.train(sample)
        self._index = index

    def adopt_training(self, other: IvfPqIndex) -> None:
        """Use ``other``'s trained quantizers (shards of one index share them,
        so a vector gets the same codes whichever shard holds it)."""
        if other._index is None or other.ntotal:
            raise ValueError("adopt the training of a trained, empty index")
        self.nlist, self.nprobe, self.rerank_factor = other.nlist, other.nprobe, other.rerank_factor
        self._index = faiss_module().clone_index(other._index)

    @classmethod
    def with_training_of(cls, dir: Path) -> IvfPqIndex:
        """A new, empty, writable index trained as the one saved in ``dir``
        (e.g. a trained empty index: shards built on other processes or
        machines then code vectors as one index would)."""
        saved = cls.load(dir)
        fresh = cls(saved.dim, nlist=saved.nlist, nprobe=saved.nprobe, rerank_factor=saved.rerank_factor)
        fresh._index = faiss_module().clone_index(saved._index)
        fresh._index.reset()  # drops the vectors, keeps the quantizers
        return fresh

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add vectors (the first batch trains the index unless ``train`` was called)."""
        if self._mapped:
            raise ValueError("a loaded IVF-PQ index is read-only: build a new one")
        vectors, ids = check_add(vectors, ids, self.dim)
        if not len(ids):
            return
        if self._index is None:
            self.train(vectors)
        self._index.add(vectors)
        self._rows.append(vectors)
        self._id_parts.append(ids.copy())

    # --- search -----------------------------------------------------------

    def rerank_count(self, k: int) -> int:
        """Candidates re-ranked exactly for a top-``k`` search."""
        return k * self.rerank_factor

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        queries = check_queries(queries, self.dim, k)
        n = self.rerank_count(k)
        coarse, candidates = self.coarse_search(queries, TIE_SLACK * n, allowed_ids)
        candidates = within_ties(coarse, candidates, n)
        exact = self.exact_scores(queries, candidates)
        scores, ids = top_k(exact, candidates, min(k, candidates.shape[1]))
        out_scores, out_ids = empty_result(len(queries), k)
        out_scores[:, : scores.shape[1]] = scores
        out_ids[:, : ids.shape[1]] = np.where(np.isfinite(scores), ids, -1)
        return out_scores, out_ids

    def coarse_search(
        self, queries: np.ndarray, n: int, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best ``n`` candidates per query by the approximate (code) score,
        as ``(scores, segment ids)``; a small filter's candidates are scored exactly."""
        queries = check_queries(queries, self.dim, n)
        if self.ntotal == 0:
            return empty_result(len(queries), n)
        faiss = faiss_module()
        params = faiss.SearchParametersIVF(nprobe=self.nprobe)
        if allowed_ids is not None:
            allowed = np.unique(np.asarray(allowed_ids, dtype=np.int64))
            # decided on the filter as given, not on what this index holds, so
            # every shard of a sharded index takes the same path as one index would
            if len(allowed) <= EXACT_SUBSET_MAX:
                positions = self._positions(allowed)
                return exact_search(queries, self._rows.rows(positions), self.ids[positions], n)
            positions = self._positions(allowed)
            if not len(positions):
                return empty_result(len(queries), n)
            params.sel = id_selector(faiss, positions)
        # (no OpenMP switch for small batches here: fast scan does not split one
        # query over threads anyway, and ShardedIndex searches IVF shards on threads)
        scores, found = self._index.search(queries, n, params=params)
        ids = np.where(found >= 0, self.ids[np.maximum(found, 0)], -1)
        scores = np.where(found >= 0, scores, -np.inf).astype(np.float32)
        return scores, ids

    def exact_scores(self, queries: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Float16-row cosines of ``queries[i]`` with each of ``ids[i]``; -inf
        for ids this index does not hold (and for -1)."""
        queries = check_queries(queries, self.dim, 1)
        ids = np.asarray(ids, dtype=np.int64).reshape(len(queries), -1)
        out = np.full(ids.shape, -np.inf, dtype=np.float32)
        positions, held = self._lookup(ids.ravel())
        if not held.any():
            return out
        wanted = np.unique(positions[held])
        rows = self._rows.rows(wanted)
        flat = out.ravel()
        at = np.flatnonzero(held)
        query_of = at // ids.shape[1]
        vecs = rows[np.searchsorted(wanted, positions[at])]
        flat[at] = np.einsum("ij,ij->i", vecs, queries[query_of])
        return flat.reshape(ids.shape)

    def _lookup(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Storage position of each id, and whether this index holds it."""
        stored = self.ids
        if not len(stored):
            return np.zeros(len(ids), np.int64), np.zeros(len(ids), bool)
        if self._order is None:
            # builds add ids in increasing order: then positions are the search's own answer
            order = sort_order(stored)
            self._order = (None, stored) if order is None else (order, stored[order])
        order, sorted_ids = self._order
        at = np.clip(np.searchsorted(sorted_ids, ids), 0, len(sorted_ids) - 1)
        return (at if order is None else order[at]), (sorted_ids[at] == ids) & (ids >= 0)

    def _positions(self, allowed: np.ndarray) -> np.ndarray:
        positions, held = self._lookup(allowed)
        return np.sort(positions[held])

    # --- persistence ------------------------------------------------------

    def save(self, dir: Path) -> None:
        faiss = faiss_module()
        if self._index is None:
            raise ValueError("an untrained IVF-PQ index has nothing to save (add vectors first)")
        dir = Path(dir)
        dir.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(dir / FILE_NAME))
        np.save(dir / IDS_FILE, self.ids)
        self._rows.save(dir)
        write_meta(dir, {"kind": KIND, "dim": self.dim, "ntotal": self.ntotal, "nlist": self.nlist,
                         "nprobe": self.nprobe, "rerank_factor": self.rerank_factor,
                         "codes": self.codes, "faiss_version": faiss.__version__})

    @classmethod
    def load(cls, dir: Path, mmap: bool = True) -> IvfPqIndex:
        faiss = faiss_module()
        dir = Path(dir)
        meta = read_saved(dir, KIND, (FILE_NAME, IDS_FILE, VECTORS_FILE))
        self = cls(int(meta["dim"]), nlist=int(meta["nlist"]), nprobe=int(meta["nprobe"]),
                   rerank_factor=int(meta.get("rerank_factor", RERANK_FACTOR)))
        # the codes are read into memory: a query scans a quarter of them
        self._index = faiss.read_index(str(dir / FILE_NAME))
        self._ids = np.load(dir / IDS_FILE, mmap_mode="r" if mmap else None)
        self._rows = Float16Rows.load(dir, self.dim, mmap=mmap)
        self._mapped = True
        if len(self._ids) != self._index.ntotal or len(self._rows) != self._index.ntotal:
            raise IndexNotFound(f"{dir} is inconsistent: {self._index.ntotal} codes, {len(self._ids)} ids, "
                                f"{len(self._rows)} rows")
        return self

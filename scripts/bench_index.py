"""Benchmark the vector index backends on synthetic sentence-embedding-like vectors.

    python scripts/bench_index.py --n 200000            # flat vs HNSW
    python scripts/bench_index.py --n 200000 --filters  # + filtered search strategies

The vectors are anisotropic (a shared direction, as in e5 embeddings) with a
power-law spectrum and no discrete clusters, which is harder for approximate
indexes than clustered data. Queries are perturbed corpus vectors (cosine
~0.93 to their source), like a translated quote against its original.
Numbers chosen from this script are recorded in tracer/index/faiss_index.py.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracer.index import faiss_index as fi  # noqa: E402
from tracer.index.exact import ExactIndex  # noqa: E402


def synthetic(n: int, dim: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    spectrum = (np.arange(1, dim + 1) ** -0.8).astype(np.float32)
    basis = np.linalg.qr(rng.standard_normal((dim, dim)))[0].astype(np.float32)
    common = rng.standard_normal(dim).astype(np.float32) / np.sqrt(dim) * 2.0
    x = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 50_000):
        m = min(50_000, n - start)
        x[start : start + m] = common + (rng.standard_normal((m, dim)).astype(np.float32) * spectrum) @ basis
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = x[rng.choice(n, n_queries, replace=False)] + 0.02 * rng.standard_normal((n_queries, dim)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    hits = [len(set(f[f >= 0]) & set(t[t >= 0])) / max(1, int((t >= 0).sum())) for f, t in zip(found, truth)]
    return float(np.mean(hits))


def per_query_ms(index, queries: np.ndarray, k: int, allowed=None, n: int = 100) -> float:
    t = time.perf_counter()
    for i in range(n):
        index.search(queries[i : i + 1], k, allowed)
    return (time.perf_counter() - t) / n * 1000


def rss_mb() -> int:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--filters", action="store_true", help="also compare filtered search strategies")
    ap.add_argument("--skip-hnsw", action="store_true")
    args = ap.parse_args()
    k = args.k
    x, q = synthetic(args.n, args.dim, args.queries)
    ids = np.arange(args.n, dtype=np.int64) * 3 + 7  # not positions, to exercise the id map
    print(f"{args.n} x {args.dim}, {args.queries} queries, k={k}")

    oracle = ExactIndex(args.dim)
    oracle.add(x, ids)
    _, truth = oracle.search(q, k)

    flat = fi.FaissIndex(args.dim)
    t = time.perf_counter()
    flat.add(x, ids)
    print(f"flat: add {time.perf_counter() - t:.1f} s, 1 query {per_query_ms(flat, q, k):.1f} ms", end="")
    t = time.perf_counter()
    _, found = flat.search(q, k)
    print(f", batch of {len(q)} {time.perf_counter() - t:.2f} s, recall@{k} {recall(found, truth):.4f}")
    with tempfile.TemporaryDirectory() as tmp:
        flat.save(Path(tmp))
        for mmap in (False, True):
            # a fresh process: this one's heap already holds pages the load could reuse
            code = (
                f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r}); "
                f"sys.argv = ['x']; import bench_index as b; from tracer.index.faiss_index import FaissIndex; "
                f"from pathlib import Path; r = b.rss_mb(); i = FaissIndex.load(Path({tmp!r}), mmap={mmap}); "
                f"print(b.rss_mb() - r)"
            )
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 cwd=Path(__file__).parent, check=True).stdout.strip()
            print(f"flat load mmap={mmap}: +{out} MB RSS")
    if args.skip_hnsw:
        return

    hnsw = fi.FaissIndex(args.dim, approximate=True)
    t = time.perf_counter()
    hnsw.add(x, ids)
    print(f"hnsw M={fi.HNSW_M} efC={fi.HNSW_EF_CONSTRUCTION}: build {time.perf_counter() - t:.1f} s")
    for ef in (64, 128, 256):
        hnsw.ef_search = ef
        _, found = hnsw.search(q, k)
        print(f"  efSearch {ef}: recall@{k} {recall(found, truth):.4f}, 1 query {per_query_ms(hnsw, q, k):.2f} ms")
    hnsw.ef_search = fi.HNSW_EF_SEARCH

    if args.filters:
        rng = np.random.default_rng(1)
        for fraction in (0.02, 0.05, 0.1, 0.3):
            allowed = ids[rng.random(args.n) < fraction]
            _, truth_f = oracle.search(q, k, allowed)
            positions = hnsw._positions(np.unique(allowed))
            t = time.perf_counter()
            _, f_exact = hnsw._exact_subset(q[:100], k, positions)
            exact_ms = (time.perf_counter() - t) * 10
            ef = int(min(fi.FILTERED_EF_MAX, fi.HNSW_EF_SEARCH / np.sqrt(fraction)))
            t = time.perf_counter()
            _, f_graph = hnsw._faiss_search(q[:100], k, np.unique(allowed), ef)
            graph_ms = (time.perf_counter() - t) * 10
            _, f_auto = hnsw.search(q[:100], k, allowed)
            print(
                f"  filter {fraction:.0%} ({len(allowed)} ids): exact subset {exact_ms:.2f} ms/query; "
                f"filtered HNSW ef={ef} {graph_ms:.2f} ms/query recall {recall(f_graph, truth_f[:100]):.3f}; "
                f"search() recall {recall(f_auto, truth_f[:100]):.3f}"
            )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Which codes for IVF (tracer/index/ivf_pq.py): recall@10 after exact re-ranking and search time
per query, by code type, lists scanned and candidates re-ranked.

    python scripts/bench_ivf_codes.py                   # 1M vectors, after scripts/bench_scale.py --sizes 1000000
    python scripts/bench_ivf_codes.py --codes PQ48,PQ192x4fs --nlist 1024

Reuses what ``scripts/bench_scale.py`` cached for the size (the real vectors
the Gaussian is fitted to, and its real English queries, encoded and
centred), so the figures are comparable with its table. Candidates are
re-ranked from float32 vectors here (the index re-ranks from float16 rows,
~1e-4 away).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_data import VectorStream, exact_top  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--codes", default="PQ48,PQ96x4fs,PQ192x4fs,SQ8")
    ap.add_argument("--nlist", type=int, default=1024)
    ap.add_argument("--fractions", default="0.25,0.375,0.5")
    ap.add_argument("--rerank", default="100,200,1000")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    import faiss

    from tracer.encoders.e5.graph import default_models_dir

    folder = (args.workdir or default_models_dir().parent / "bench" / "scale") / f"ivf-{args.n}"
    served = sorted(folder.glob("serve-1-*.npz"))
    if not (folder / "real.npy").is_file() or not served:
        raise SystemExit(f"run scripts/bench_scale.py --sizes {args.n} first (nothing cached in {folder})")
    stream = VectorStream(np.load(folder / "real.npy"), args.n)
    queries = np.load(served[0])["queries"]
    print(f"  exact top-10 of {len(queries)} queries over {args.n:,} vectors...", file=sys.stderr, flush=True)
    truth = exact_top(stream, queries, 10)[1]
    vectors = np.lib.format.open_memmap(folder / "codes-bench-vectors.f32.npy", mode="w+", dtype=np.float32,
                                        shape=(args.n, queries.shape[1]))
    for start, block in stream.chunks():
        vectors[start:start + len(block)] = block
    sample = stream.sample(max(40 * args.nlist, 100_000))
    print(f"IVF{args.nlist} on {args.n:,} vectors ({len(stream.real):,} real e5, the rest a fitted Gaussian), "
          f"{len(queries)} real English quotes; recall@10 after exact re-ranking / search ms per query (1 thread)")
    rerank = [int(r) for r in args.rerank.split(",")]
    print(f"  {'codes':<10} {'bytes':>5} {'build s':>7} {'scanned':>7} " + " ".join(f"{'R=' + str(r):>14}" for r in rerank))
    for codes in args.codes.split(","):
        t0 = time.perf_counter()
        index = faiss.index_factory(queries.shape[1], f"IVF{args.nlist},{codes}", faiss.METRIC_INNER_PRODUCT)
        faiss.omp_set_num_threads(1)
        index.train(sample)
        faiss.omp_set_num_threads(2)
        for start, block in stream.chunks():
            index.add(block)
        build = time.perf_counter() - t0
        faiss.omp_set_num_threads(1)
        ivf = faiss.extract_index_ivf(index)
        for fraction in (float(f) for f in args.fractions.split(",")):
            ivf.nprobe = int(args.nlist * fraction)
            cells = []
            for r in rerank:
                t = time.perf_counter()
                _, cand = index.search(queries, r)
                ms = 1000 * (time.perf_counter() - t) / len(queries)
                hits = []
                for q, c, want in zip(queries, cand, truth):
                    ordered = np.sort(c[c >= 0])
                    top = ordered[np.argsort(-(vectors[ordered] @ q))[:10]]
                    hits.append(len(set(top.tolist()) & set(want.tolist())) / 10)
                cells.append(f"{np.mean(hits):.3f} / {ms:4.1f}")
            print(f"  {codes:<10} {ivf.code_size:>5} {build:7.0f} "
                  f"{fraction:7.3f} " + " ".join(f"{c:>14}" for c in cells), flush=True)
    del vectors
    (folder / "codes-bench-vectors.f32.npy").unlink()


if __name__ == "__main__":
    main()

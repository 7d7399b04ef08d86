"""Large-scale search: HNSW-SQ8 at 1M for scripts/bench.py, and IVF-PQ with
shards at 1M-100M when run as a script:

    python scripts/bench_scale.py --sizes 1000000,10000000 --shards 4
    python scripts/bench_scale.py --sizes 1000000 --nprobe 128,256,384   # a sweep

Both report build time, latency with query encoding, recall@10 against exact
search and memory; the IVF-PQ run also disk, and whether N shards give the
same top-10 as one index (scripts/scale_ivf.py).

Vectors: the real e5 vectors of the lookup index (recombined-sentence news,
scripts/bench_lookup.py) plus synthetic ones drawn from a Gaussian fitted to
them (bench_data.E5Like) up to N. Queries are real English quotes whose
Russian/Ukrainian originals are among the real vectors, encoded per query by
the production encoder, as `tracer lookup` does.

Build and search run in fresh processes (``python scripts/bench_scale.py
build|serve ...``) so peak RSS is that of the work alone. The vectors and
the built index are cached under ``<workdir>/scale-<N>/``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DIM = 384
CANDIDATES = 50  # what Tracer.lookup asks the index for (Settings.candidates)


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM). Not ru_maxrss: Linux
    carries that over exec from the forking parent, whose own RSS (vectors
    in memory) would be counted."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- parent


def prepare_vectors(workdir: Path, n: int, real: np.ndarray) -> Path:
    """``<workdir>/scale-<n>/vectors.f32.npy``: ``real`` first, then fitted
    synthetic vectors; reused when present with the same size."""
    from bench_data import E5Like

    folder = workdir / f"scale-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "vectors.f32.npy"
    info = folder / "vectors.json"
    # keyed by the real vectors too: a new encoder gives new real vectors
    key = {"n": n, "real": len(real), "real_checksum": round(float(np.asarray(real[:1000], np.float64).sum()), 4)}
    if path.is_file() and info.is_file() and json.loads(info.read_text()) == key:
        return path
    log(f"writing {n:,} vectors ({len(real):,} real, the rest fitted synthetic) to {path}")
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, DIM))
    out[: len(real)] = real
    at = len(real)
    for block in E5Like(real).sample(n - len(real), seed=1):
        out[at : at + len(block)] = block
        at += len(block)
    out.flush()
    del out
    info.write_text(json.dumps(key))
    return path


def run_worker(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ))
    if proc.returncode != 0:
        raise RuntimeError(f"bench_scale {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def scale(workdir: Path, n: int, real: np.ndarray, queries: list[str], ef_search: list[int]) -> list[dict]:
    """Build (or reuse) the index over ``n`` vectors, then one serve run per
    efSearch value; returns one result row per value."""
    from tracer.index.exact import exact_search

    vectors_path = prepare_vectors(workdir, n, real)
    folder = vectors_path.parent
    index_dir = folder / "index"
    build_info = folder / "build.json"
    from tracer.index import hnsw_sq

    # the build is reused only if it was made with today's index parameters
    # over today's vectors (a new encoder rewrites the vectors file)
    params = {"m": hnsw_sq.HNSW_SQ_M, "ef_construction": hnsw_sq.HNSW_SQ_EF_CONSTRUCTION,
              "refine_factor": hnsw_sq.REFINE_FACTOR,
              "vectors": json.loads((folder / "vectors.json").read_text())}
    if build_info.is_file() and json.loads(build_info.read_text()).get("params") != params:
        import shutil

        shutil.rmtree(index_dir, ignore_errors=True)
        build_info.unlink()
    if not (index_dir / "index.json").is_file() or not build_info.is_file():
        log(f"building the index over {n:,} vectors (cached in {index_dir})")
        build_info.write_text(json.dumps({**run_worker("build", str(vectors_path), str(index_dir)),
                                          "params": params}))
    build = json.loads(build_info.read_text())
    query_file = folder / "queries.json"
    query_file.write_text(json.dumps(queries, ensure_ascii=False))
    rows = []
    for ef in ef_search:
        out_file = folder / f"serve-{ef}.npz"
        serve = run_worker("serve", str(index_dir), str(query_file), str(out_file), str(ef))
        got = np.load(out_file)
        vectors = np.load(vectors_path, mmap_mode="r")
        _, truth = exact_search(got["queries"], vectors, np.arange(n, dtype=np.int64), 10)
        found = got["found"][:, :10]
        recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found.tolist(), truth.tolist())]))
        rows.append({"n": n, "ef_search": ef, "recall_at_10": recall, **{k: v for k, v in build.items()
                                                                           if k != "params"}, **serve})
    return rows


# ---------------------------------------------------------------- workers


def worker_build(vectors_path: str, index_dir: str) -> dict:
    """Build the production index kind for this size and save it."""
    import os

    from tracer.index import backends
    from tracer.index.backends import make_index

    if os.environ.get("TRACER_BENCH_FLAT_MAX"):  # --quick: the large-corpus index kind at a small size
        backends.FLAT_MAX = int(os.environ["TRACER_BENCH_FLAT_MAX"])
    vectors = np.load(vectors_path, mmap_mode="r")
    n = len(vectors)
    t0 = time.perf_counter()
    index = make_index(n, DIM)
    if hasattr(index, "train"):
        sample = np.random.default_rng(0).choice(n, min(n, 100_000), replace=False)
        index.train(vectors[np.sort(sample)])
    for start in range(0, n, 100_000):
        index.add(vectors[start : start + 100_000], np.arange(start, min(n, start + 100_000), dtype=np.int64))
    seconds = time.perf_counter() - t0
    index.save(Path(index_dir))
    # what a version also holds: segment ids and the (n x languages) hubness matrix
    np.save(Path(index_dir) / "ids.npy", np.arange(n, dtype=np.int64))
    np.save(Path(index_dir) / "hubness.npy", np.random.default_rng(0).uniform(0.8, 0.9, (n, 3)).astype(np.float32))
    size = sum(p.stat().st_size for p in Path(index_dir).iterdir()) / 1e6
    return {"index_kind": index.kind, "build_s": seconds, "build_peak_rss_mb": peak_rss_mb(), "disk_mb": size}


def worker_serve(index_dir: str, query_file: str, out_file: str, ef: str) -> dict:
    """A lookup process: production encoder + mapped index; per query: encode,
    search ``CANDIDATES``, read the candidates' hubness (as Searcher does)."""
    from tracer.config import Settings
    from tracer.encoders.factory import encoder_for
    from tracer.index.faiss_index import FaissIndex

    settings = Settings()
    texts = json.loads(Path(query_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    encoder = encoder_for(settings)
    index = FaissIndex.load(Path(index_dir), mmap=True)
    index.ef_search = int(ef)
    ids = np.load(Path(index_dir) / "ids.npy", mmap_mode="r")
    hubness = np.load(Path(index_dir) / "hubness.npy", mmap_mode="r")
    load_s = time.perf_counter() - t0
    encoder.encode_query([texts[0]])  # model load
    index.search(encoder.encode_query([texts[1]]), CANDIDATES)
    total, encode, search, vecs, found = [], [], [], [], []
    for text in texts:
        t = time.perf_counter()
        v = encoder.encode_query([text])
        t_enc = time.perf_counter()
        scores, hits = index.search(v, CANDIDATES)
        rows = np.searchsorted(ids, hits[0][hits[0] >= 0])
        _ = hubness[rows, 0]
        t_end = time.perf_counter()
        total.append(t_end - t)
        encode.append(t_enc - t)
        search.append(t_end - t_enc)
        vecs.append(v[0])
        found.append(hits[0])
    np.savez(out_file, queries=np.asarray(vecs, np.float32), found=np.asarray(found))

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return 1000 * values[min(len(values) - 1, int(p * len(values)))]

    return {
        "queries": len(texts), "load_s": load_s,
        "p50_ms": pct(total, 0.5), "p95_ms": pct(total, 0.95),
        "encode_p50_ms": pct(encode, 0.5), "search_p50_ms": pct(search, 0.5),
        "serve_peak_rss_mb": peak_rss_mb(),
    }


# ---------------------------------------------------------------- IVF-PQ and shards


def real_inputs(workdir: Path, segments: int, n_queries: int) -> tuple[np.ndarray, list[str], Path]:
    """Real e5 vectors (centred, as indexed), English quotes whose originals
    are among them, and the reference statistics they were centred with: the
    lookup benchmark's index (scripts/bench_lookup.py), built once and cached."""
    from bench_lookup import ensure_index
    from tracer.index.faiss_index import FaissIndex
    from tracer.index.layout import IndexDir

    index_dir, queries = ensure_index(workdir, segments)
    version = IndexDir(index_dir).require_current()
    index = FaissIndex.load(version.path, mmap=False)
    if index.kind != "faiss-flat":
        raise RuntimeError("the real vectors come from a flat index (fewer segments than FLAT_MAX)")
    vectors = np.array(index._storage())
    return vectors, [q["text"] for q in queries[:n_queries]], version.path / "reference.npz"


def main() -> None:
    import argparse

    import scale_ivf

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000", help="comma-separated segment counts")
    ap.add_argument("--shards", type=int, default=4, help="also build and serve this many shards")
    ap.add_argument("--nprobe", default=None, help="comma-separated nprobe values (default: the index's)")
    ap.add_argument("--real-segments", type=int, default=20_000, help="real e5 vectors the Gaussian is fitted to")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--workdir", type=Path, default=None, help="cache (default $TRACER_HOME/bench/scale)")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    args = ap.parse_args()
    from tracer.encoders.e5.graph import default_models_dir

    workdir = args.workdir or default_models_dir().parent / "bench" / "scale"
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    real, texts, reference = real_inputs(workdir, args.real_segments, args.queries)
    nprobes = [int(p) for p in args.nprobe.split(",")] if args.nprobe else None
    results, lines = [], []
    for n in (int(s) for s in args.sizes.split(",")):
        load = os.getloadavg()[0]
        result = scale_ivf.run(workdir, n, real, texts, reference, args.shards, nprobes, run_worker, log)
        results.append({**result, "load_start": load, "load_end": os.getloadavg()[0]})
        lines += scale_ivf.report(result) + [f"  (load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end)", ""]
    print("\n".join(lines))
    print(f"({time.perf_counter() - t0:.0f} s; workdir {workdir}; {os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        main()
    else:
        import scale_ivf

        command, *rest = sys.argv[1:]
        workers = {"build": worker_build, "serve": worker_serve, "ivf-train": scale_ivf.worker_train,
                   "ivf-build": scale_ivf.worker_build, "ivf-serve": scale_ivf.worker_serve}
        print(json.dumps(workers[command](*rest)))

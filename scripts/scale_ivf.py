"""IVF-PQ at 1M-100M segments for scripts/bench_scale.py: build (train once,
one index and N shards sharing that training), recall@10 against exact
search, latency per query with its encoding, memory and disk, and whether N
shards return exactly what one index returns.

Every heavy step runs in a fresh process (``python scripts/bench_scale.py
ivf-train|ivf-build|ivf-serve ...``) so peak RSS is that step's alone. The
vectors are never stored (scale_data.VectorStream regenerates them); built
indexes are cached under ``<workdir>/ivf-<N>/`` and reused.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from scale_data import VectorStream, dir_mb, exact_top, peak_rss_mb, rss_mb

CANDIDATES = 50  # what a lookup asks the index for (Settings.candidates)
TARGET = {"recall": 0.95, "p50_ms": 50.0}


def _stream(real_file: str, n: int) -> VectorStream:
    return VectorStream(np.load(real_file), int(n))


# ---------------------------------------------------------------- workers (fresh processes)


def worker_train(real_file: str, n: str, out_dir: str) -> dict:
    """Train the quantizers once on a sample spread over all ``n`` vectors; save the empty index."""
    from tracer.index.ivf_pq import TRAIN_MAX, IvfPqIndex, nlist_for

    stream = _stream(real_file, n)
    t0 = time.perf_counter()
    sample = stream.sample(TRAIN_MAX)
    t1 = time.perf_counter()
    index = IvfPqIndex(sample.shape[1], nlist=nlist_for(int(n)))
    index.train(sample)
    t2 = time.perf_counter()
    shutil.rmtree(out_dir, ignore_errors=True)
    index.save(Path(out_dir))
    return {"sample_s": t1 - t0, "train_s": t2 - t1, "nlist": index.nlist, "nprobe": index.nprobe,
            "train_rows": len(sample), "train_peak_rss_mb": peak_rss_mb()}


def worker_build(real_file: str, n: str, template: str, out_dir: str, shards: str) -> dict:
    """Add all ``n`` vectors to one index (``shards`` 1) or to shards sharing the training; save."""
    from tracer.index.ivf_pq import IvfPqIndex
    from tracer.index.sharded import ShardedIndex

    stream = _stream(real_file, n)
    parts = [IvfPqIndex.with_training_of(Path(template)) for _ in range(int(shards))]
    index = parts[0] if len(parts) == 1 else ShardedIndex(parts)
    generate = add = 0.0
    t = time.perf_counter()
    for start, block in stream.chunks():
        t_add = time.perf_counter()
        generate += t_add - t
        index.add(block, np.arange(start, start + len(block), dtype=np.int64))
        t = time.perf_counter()
        add += t - t_add
    shutil.rmtree(out_dir, ignore_errors=True)
    t_save = time.perf_counter()
    index.save(Path(out_dir))
    save = time.perf_counter() - t_save
    return {"add_s": add, "save_s": save, "generate_s": generate, "build_peak_rss_mb": peak_rss_mb(),
            "disk_mb": dir_mb(Path(out_dir)),
            "f16_mb": sum(p.stat().st_size for p in Path(out_dir).rglob("vectors.f16.npy")) / 1e6}


def worker_serve(index_dir: str, query_file: str, reference: str, out_file: str, nprobe: str) -> dict:
    """A lookup process: production encoder + the index loaded as a lookup
    loads it; per query: encode, centre (as the Searcher does), search ``CANDIDATES``."""
    from tracer.config import Settings
    from tracer.encoders.factory import encoder_for
    from tracer.index.backends import load_index
    from tracer.index.reference import ReferenceSpace
    from tracer.index.space import centre

    texts = json.loads(Path(query_file).read_text(encoding="utf-8"))
    means = ReferenceSpace.load(Path(reference)).means
    t0 = time.perf_counter()
    encoder = encoder_for(Settings())
    index = load_index(Path(index_dir), mmap=True)
    for part in getattr(index, "shards", [index]):
        part.nprobe = int(nprobe)
    load_s = time.perf_counter() - t0

    def query(text: str) -> np.ndarray:
        return centre(encoder.encode_query([text]), ["en"], means)

    index.search(query(texts[0]), CANDIDATES)  # model and first pages loaded
    total, encode, search, vectors, found, scores = [], [], [], [], [], []
    for text in texts:
        t = time.perf_counter()
        v = query(text)
        t_enc = time.perf_counter()
        s, hits = index.search(v, CANDIDATES)
        t_end = time.perf_counter()
        total.append(t_end - t)
        encode.append(t_enc - t)
        search.append(t_end - t_enc)
        vectors.append(v[0])
        found.append(hits[0])
        scores.append(s[0])
    np.savez(out_file, queries=np.asarray(vectors, np.float32), found=np.asarray(found), scores=np.asarray(scores))

    def pct(values: list[float], p: float) -> float:
        return 1000 * sorted(values)[min(len(values) - 1, int(p * len(values)))]

    return {"queries": len(texts), "load_s": load_s, "p50_ms": pct(total, 0.5), "p95_ms": pct(total, 0.95),
            "encode_p50_ms": pct(encode, 0.5), "search_p50_ms": pct(search, 0.5),
            "serve_rss_mb": rss_mb(), "serve_peak_rss_mb": peak_rss_mb()}


# ---------------------------------------------------------------- parent


def run(workdir: Path, n: int, real: np.ndarray, texts: list[str], reference: Path, shards: int,
        nprobes: list[int] | None, run_worker, log) -> dict:
    """Train, build (1 and ``shards``), ground truth, serve; returns one result dict for size ``n``."""
    folder = workdir / f"ivf-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    real_file = folder / "real.npy"
    np.save(real_file, np.asarray(real, np.float32))
    key = {"n": n, "real": len(real), "real_checksum": round(float(np.asarray(real[:1000], np.float64).sum()), 4),
           "index": _index_params()}
    state_file = folder / "state.json"
    state = json.loads(state_file.read_text()) if state_file.is_file() else {}
    if state.get("key") != key:
        state = {"key": key}
    if "train" not in state:
        log(f"ivf {n:,}: training on a sample")
        state["train"] = run_worker("ivf-train", str(real_file), str(n), str(folder / "template"))
        state_file.write_text(json.dumps(state))
    for count in sorted({1, shards}):
        name = f"build-{count}"
        if name not in state:
            log(f"ivf {n:,}: building {'one index' if count == 1 else f'{count} shards'}")
            state[name] = run_worker("ivf-build", str(real_file), str(n), str(folder / "template"),
                                     str(folder / f"index-{count}"), str(count))
            state_file.write_text(json.dumps(state))
    query_file = folder / "queries.json"
    query_file.write_text(json.dumps(texts, ensure_ascii=False))
    nprobe = state["train"]["nprobe"]
    rows = []
    truth = None
    for count in sorted({1, shards}):
        for probe in (nprobes or [nprobe]):
            log(f"ivf {n:,}: serving {count} shard(s), nprobe {probe}")
            out = folder / f"serve-{count}-{probe}.npz"
            serve = run_worker("ivf-serve", str(folder / f"index-{count}"), str(query_file), str(reference),
                               str(out), str(probe))
            got = np.load(out)
            if truth is None:
                log(f"ivf {n:,}: exact top-10 of {len(texts)} queries over all vectors")
                truth = exact_top(_stream(str(real_file), n), got["queries"], 10)[1]
            found = got["found"][:, :10]
            recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found.tolist(), truth.tolist())]))
            rows.append({"shards": count, "nprobe": probe, "recall_at_10": recall, **serve,
                         "found": got["found"][:, :10].tolist(), "scores": got["scores"][:, :10].tolist()})
    return {"n": n, "real": len(real), "state": state, "rows": rows}


def _index_params() -> dict:
    from tracer.index import ivf_pq

    return {"nlist_max": ivf_pq.NLIST_MAX, "nprobe_fraction": ivf_pq.NPROBE_FRACTION,
            "rerank": ivf_pq.RERANK_FACTOR, "train_max": ivf_pq.TRAIN_MAX, "dims_per_code": ivf_pq.DIMS_PER_CODE}


def report(result: dict) -> list[str]:
    """The printed table for one size."""
    from tracer.index import ivf_pq

    n, st = result["n"], result["state"]
    tr = st["train"]
    lines = [f"IVF-PQ: {n:,} segments ({result['real']:,} real e5 vectors, the rest a Gaussian fitted to them), "
             f"IVF{tr['nlist']} over PQ{384 // ivf_pq.DIMS_PER_CODE}x4fs codes, top {CANDIDATES} re-ranked from "
             f"{ivf_pq.RERANK_FACTOR * CANDIDATES} float16 rows"]
    lines.append(f"  train: {tr['train_rows']:,}-vector sample, {tr['train_s']:.0f} s (peak RSS "
                 f"{tr['train_peak_rss_mb']:.0f} MB)")
    for name in sorted(k for k in st if k.startswith("build-")):
        b = st[name]
        count = int(name.split("-")[1])
        lines.append(f"  build, {count} shard(s): add {b['add_s']:.0f} s ({n / b['add_s']:,.0f} vectors/s), save "
                     f"{b['save_s']:.0f} s, peak RSS {b['build_peak_rss_mb']:.0f} MB, disk {b['disk_mb']:,.0f} MB "
                     f"({b['f16_mb']:,.0f} MB of it float16 rows, read per query, never loaded)")
    lines.append(f"  {'shards':>6} {'nprobe':>6} {'recall@10':>9} {'p50 ms':>7} {'p95 ms':>7} {'encode':>7} "
                 f"{'search':>7} {'RSS MB':>7} {'load s':>6}")
    for r in result["rows"]:
        lines.append(f"  {r['shards']:6d} {r['nprobe']:6d} {r['recall_at_10']:9.3f} {r['p50_ms']:7.1f} "
                     f"{r['p95_ms']:7.1f} {r['encode_p50_ms']:7.1f} {r['search_p50_ms']:7.1f} "
                     f"{r['serve_rss_mb']:7.0f} {r['load_s']:6.1f}")
    by = {(r["shards"], r["nprobe"]): r for r in result["rows"]}
    for (count, probe), r in by.items():
        one = by.get((1, probe))
        if count > 1 and one is not None:
            same = sum(a == b for a, b in zip(r["found"], one["found"]))
            diff = float(np.max(np.abs(np.asarray(r["scores"]) - np.asarray(one["scores"]))))
            lines.append(f"  {count} shards vs 1 at nprobe {probe}: the same top-10 ids for {same}/{len(r['found'])} "
                         f"queries, largest score difference {diff:.1e}")
    default = [r for r in result["rows"] if r["nprobe"] == tr["nprobe"] and r["shards"] == 1] or result["rows"][:1]
    d = default[0]
    ok = d["recall_at_10"] >= TARGET["recall"] and d["p50_ms"] <= TARGET["p50_ms"]
    lines.append(f"  (p50/p95 per query include encoding it; {d['queries']} real English quotes; RSS after the "
                 f"queries, the float16 rows are read with pread and not counted)")
    lines.append(f"  target at the default nprobe {tr['nprobe']}: recall@10 >= {TARGET['recall']}, p50 <= "
                 f"{TARGET['p50_ms']:.0f} ms -> {'MET' if ok else 'NOT MET'}")
    return lines

#!/usr/bin/env python3
"""Local build vs Ray build of one corpus on this machine: identical vectors, Ray's overhead.

    python scripts/bench_ray.py --docs 20000          # the issue's corpus size
    python scripts/bench_ray.py --docs 500             # plumbing, ~1 minute

The corpus is scripts/bench_rebuild.py's (documents of 5 sentences of words
from the example corpus, ru/uk/en). It is ingested into two index
directories; one is built locally (``tracer build``), the other with its
embedding on a Ray cluster started on this machine (``tracer build --ray
local``: one actor per core, each with its own encoder). Then every cached
vector is compared byte for byte, the two versions' arrays are compared, and
the same lookups are run on both. Ray's overhead is the Ray build's time over
the local one's, with and without the cluster's start-up.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cached(db: Path) -> dict[str, bytes]:
    with sqlite3.connect(db) as conn:
        return {h: v for h, v in conn.execute("SELECT text_hash, vector FROM embeddings")}


def build(index: Path, corpus: Path, ray: bool) -> dict:
    """Ingest the corpus into ``index`` and build it, locally or on a local Ray cluster."""
    from tracer import Tracer

    with Tracer(index) as t:
        t.ingest([corpus])
        segments = t.store.segment_count()
        start_s = 0.0
        embed = None
        if ray:
            from tracer.distributed.cluster import LOCAL, connect
            from tracer.distributed.ray_build import ray_embedder

            t0 = time.perf_counter()
            ray_module, _ = connect(LOCAL)
            start_s = time.perf_counter() - t0
            embed = ray_embedder(t.settings, t.encoder.id, address=LOCAL)
        t0 = time.perf_counter()
        report = t.build(embed=embed)
        seconds = time.perf_counter() - t0
        if ray:
            ray_module.shutdown()
        timings = t.index.require_current().manifest["timings"]
    return {"segments": segments, "embedded": report.embedded, "build_s": seconds, "cluster_start_s": start_s,
            "embed_s": timings["embed"], "version": report.version}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--workdir", type=Path, default=None, help="keep the corpus and indexes here")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if args.workdir is None:
        with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
            return run(args, Path(tmp))
    return run(args, args.workdir)


def run(args, work: Path) -> None:
    from bench_rebuild import write_docs

    from tracer import Tracer

    corpus = work / "corpus"
    if not corpus.is_dir():
        write_docs(corpus, 0, args.docs)
    load = os.getloadavg()[0]
    results = {"docs": args.docs, "cores": os.cpu_count(), "load_start": load}
    for name, ray in (("local", False), ("ray", True)):
        log(f"{name} build of {args.docs:,} documents")
        results[name] = build(work / name, corpus, ray)
        log(f"{name}: {results[name]['build_s']:.0f} s")
    local, ray = cached(work / "local" / "tracer.db"), cached(work / "ray" / "tracer.db")
    same = sum(ray.get(h) == v for h, v in local.items())
    paths = [Tracer(work / name).index.require_current().path for name in ("local", "ray")]
    arrays = {name: bool(np.array_equal(np.load(paths[0] / name), np.load(paths[1] / name)))
              for name in ("ids.npy", "hubness.npy", "links.npy", "clusters.npy")}
    first = (corpus / "part-00000000.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [(str(i), json.loads(line)["text"].split(". ")[1]) for i, line in enumerate(first[:50])]
    answers = []
    for name in ("local", "ray"):
        with Tracer(work / name) as t:
            answers.append([r.matches for r in t.lookup_batch(queries, k=5, confidence=False)])
    results.update(vectors=len(local), identical=same, arrays=arrays,
                   lookups_equal=sum(a == b for a, b in zip(*answers)), lookups=len(queries),
                   load_end=os.getloadavg()[0])
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


def report(r: dict) -> str:
    lo, ra = r["local"], r["ray"]
    lines = [f"Local vs Ray build: {r['docs']:,} documents, {lo['segments']:,} segments, {r['cores']} cores "
             f"(load average {r['load_start']:.1f} at start, {r['load_end']:.1f} at end)",
             f"  {'build':<34} {'total s':>8} {'embed s':>8} {'segments/s':>10}",
             f"  {'local (one process, 2 sessions)':<34} {lo['build_s']:8.1f} {lo['embed_s']:8.1f} "
             f"{lo['embedded'] / lo['embed_s']:10.1f}",
             f"  {'Ray (local cluster, 2 actors)':<34} {ra['build_s']:8.1f} {ra['embed_s']:8.1f} "
             f"{ra['embedded'] / ra['embed_s']:10.1f}",
             f"  Ray cluster start-up (not in the build): {ra['cluster_start_s']:.1f} s",
             f"  Ray overhead: build {ra['build_s'] / lo['build_s']:.2f}x the local build's time "
             f"({(ra['build_s'] + ra['cluster_start_s']) / lo['build_s']:.2f}x with the start-up), "
             f"embedding {ra['embed_s'] / lo['embed_s']:.2f}x",
             f"  vectors identical byte for byte: {r['identical']:,}/{r['vectors']:,}; version arrays equal: "
             + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in r["arrays"].items()),
             f"  lookups with the same matches on both: {r['lookups_equal']}/{r['lookups']}"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()

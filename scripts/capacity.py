#!/usr/bin/env python3
"""The capacity table (README): hours to build, memory per shard and query latency at 1M / 10M / 100M
segments by node count, from what scripts/bench_ray.py and scripts/bench_scale.py measured.

    python scripts/bench_ray.py --docs 20000 --json ray.json
    python scripts/bench_scale.py --sizes 1000000,10000000 --json scale.json
    python scripts/capacity.py --ray ray.json --scale scale.json

Every cell says whether it was measured (m) or computed (c) from measured
rates, and how:
  embedding  segments / (the Ray build's embedding rate on this 2-core node x nodes): linear in
             nodes, which one machine cannot measure; a node is this machine (2 cores)
  index      IVF-PQ add time per vector at the largest measured size, times the segments (one node)
  memory     what a shard adds to the RSS of the process holding it: the slope of a lookup
             process's measured RSS between the sizes run (codes and ids grow per vector; the
             model, held once by the lookup process, is the intercept)
  latency    one query with its encoding: encoding + search time per vector-in-shard x shard size
             (a shard scans a fixed fraction of its lists); shards searched in parallel, one per node
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

SIZES = (1_000_000, 10_000_000, 100_000_000)
SHARDS = {1_000_000: (1,), 10_000_000: (1, 4), 100_000_000: (8, 16)}
NODES = (1, 4, 16)
# float32 vectors of every segment, raw and centred, in the process running
# `tracer build` (tracer/index/build.py assembles them all before indexing)
BUILD_BYTES_PER_SEGMENT = 2 * 384 * 4


def default_row(result: dict) -> dict:
    nprobe = result["state"]["train"]["nprobe"]
    return next(r for r in result["rows"] if r["shards"] == 1 and r["nprobe"] == nprobe)


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """(intercept, slope) of the line through the first and last point."""
    (x0, y0), (x1, y1) = points[0], points[-1]
    slope = (y1 - y0) / (x1 - x0) if x1 != x0 else y0 / x0
    return y0 - slope * x0, slope


def table(ray: dict, scale: list[dict]) -> str:
    scale = sorted(scale, key=lambda r: r["n"])
    measured = {r["n"]: default_row(r) for r in scale}
    embed_rate = ray["ray"]["embedded"] / ray["ray"]["embed_s"]
    largest = scale[-1]
    add_per_vector = largest["state"]["build-1"]["add_s"] / largest["n"]
    rss = fit([(n, measured[n]["serve_rss_mb"]) for n in sorted(measured)])
    search = fit([(n, measured[n]["search_p50_ms"]) for n in sorted(measured)])
    encode = sum(r["encode_p50_ms"] for r in measured.values()) / len(measured)
    lines = [f"Capacity (m = measured on this 2-core node, c = computed from measured rates; see scripts/capacity.py)",
             f"  embedding rate on Ray, one node: {embed_rate:.0f} segments/s; IVF-PQ add: "
             f"{1 / add_per_vector:,.0f} vectors/s; lookup RSS {rss[0]:.0f} MB + {rss[1] * 1e6:.0f} MB per million "
             f"vectors in a shard; search {search[1] * 1e6:.2f} ms per million vectors in a shard + "
             f"{encode:.1f} ms encoding",
             "| segments | embed h, " + " / ".join(f"{n} node{'s' if n > 1 else ''}" for n in NODES)
             + " | IVF-PQ index h (1 node) | `tracer build` RAM | shards | memory per shard | query p50 |",
             "|---|---|---|---|---|---|---|"]
    for n in SIZES:
        embed = " / ".join(f"{n / (embed_rate * nodes) / 3600:.1f} c" for nodes in NODES)
        index_h = n * add_per_vector / 3600
        index_mark = "m" if n in measured else "c"
        build_gb = n * BUILD_BYTES_PER_SEGMENT / 1e9
        for shards in SHARDS[n]:
            per = n / shards
            exact = n in measured and shards == 1
            memory = rss[1] * per  # the shard's codes and ids; the model is the lookup process's, once
            latency = measured[n]["p50_ms"] if exact else encode + max(0.0, search[0]) + search[1] * per
            mark = "m" if exact else "c"
            lines.append(f"| {n / 1e6:,.0f}M | {embed} | {index_h:.2f} {index_mark} | {build_gb:.0f} GB c | {shards} | "
                         f"{memory:,.0f} MB c | {latency:.0f} ms {mark} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ray", type=Path, required=True, help="scripts/bench_ray.py --json output")
    ap.add_argument("--scale", type=Path, required=True, help="scripts/bench_scale.py --json output")
    args = ap.parse_args()
    print(table(json.loads(args.ray.read_text()), json.loads(args.scale.read_text())))


if __name__ == "__main__":
    main()

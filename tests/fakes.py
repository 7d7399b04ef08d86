"""A small deterministic encoder for unit tests: hashed character trigrams.

It knows nothing about translation, so unit tests using it check plumbing
(storage, caching, filtering, ordering), never retrieval quality; the
end-to-end tests use the real bundled model.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from tracer.encoders.base import Encoder, normalize_rows


class FakeEncoder(Encoder):
    def __init__(self, dim: int = 64, id: str = "fake/trigram-64") -> None:
        self.dim = dim
        self.id = id
        self.calls: list[int] = []  # batch sizes seen, to check caching

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        t = f"  {text.lower()}  "
        for i in range(len(t) - 2):
            h = int.from_bytes(hashlib.blake2b(t[i:i + 3].encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        return v

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return normalize_rows(np.stack([self._one(t) for t in texts]))

    def encode_query(self, texts, *, batch_size=32, normalize=True, show_progress_bar=False):
        return self._encode(list(texts))

    def encode_document(self, texts, *, batch_size=32, normalize=True, show_progress_bar=False):
        return self._encode(list(texts))


class GatedFakeEncoder(FakeEncoder):
    """FakeEncoder that, on its first document batch, says so and waits: a test
    can act while a build is half-way (TRACER_TEST_GATE names a folder; the
    encoder creates ``started`` there and waits for ``go``)."""

    def encode_document(self, texts, *, batch_size=32, normalize=True, show_progress_bar=False):
        import os
        import time
        from pathlib import Path

        gate = Path(os.environ["TRACER_TEST_GATE"])
        if not (gate / "started").exists():
            (gate / "started").touch()
            deadline = time.monotonic() + 120
            while not (gate / "go").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return super().encode_document(texts, batch_size=batch_size)

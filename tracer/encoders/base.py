"""The encoder interface every embedding backend implements.

Modelled on sentence-transformers: ``encode_query`` and ``encode_document``
take the same keywords and always return a 2-D float32 array in input order.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Encoder(ABC):
    """Turns texts into L2-normalised vectors of size ``dim``.

    ``id`` names the model *and* every choice that changes the vectors
    (weights, prefixes, pooling); the embedding cache and the index manifest
    are keyed by it, so two encoders with equal ids must give equal vectors.
    """

    id: str
    dim: int

    @abstractmethod
    def encode_query(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Vectors for quotes being looked up."""

    @abstractmethod
    def encode_document(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Vectors for indexed segments."""

    def load(self) -> None:
        """Load weights and sessions now rather than on the first encode, so a
        caller can overlap it with other start-up work (thread-safe)."""

    def close(self) -> None:  # pragma: no cover - optional hook
        """Release native resources (threads, mapped weights)."""


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """L2-normalise rows; zero rows stay zero instead of becoming NaN."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def length_sorted(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Texts sorted longest first (less padding per batch) and the permutation
    that restores input order: ``out[restore] == original order``."""
    order = np.argsort([-len(t) for t in texts], kind="stable")
    restore = np.empty_like(order)
    restore[order] = np.arange(len(order))
    return [texts[i] for i in order], restore

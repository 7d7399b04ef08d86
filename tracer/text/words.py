"""Words of a text and their vectors pooled from sub-word token vectors.

Shared by the diff's word alignment (tracer.diff.align) and the lookup's
second view (tracer.lookup.second_view): both compare texts word by word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["Word", "words_of", "word_vectors"]

# Words: letters/digits with inner apostrophes or hyphens (п'ять, don't,
# Telegram-каналах), and numbers with their separators (250 000, 1,5, 12.3%).
_WORD_RE = re.compile(
    r"\d+(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?%?|\d+(?:[.,]\d+)?%?|[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*|[^\W_]+",
)


@dataclass(frozen=True)
class Word:
    """A word of one text: its offsets and index among that text's words."""

    index: int
    start: int
    end: int
    text: str


def words_of(text: str) -> tuple[Word, ...]:
    """The words of ``text`` (punctuation is not a word)."""
    return tuple(Word(i, m.start(), m.end(), m.group()) for i, m in enumerate(_WORD_RE.finditer(text)))


def word_vectors(words: tuple[Word, ...], offsets: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """L2-normalised mean of the vectors of the tokens overlapping each word
    (``offsets``: each token's character span)."""
    out = np.zeros((len(words), vectors.shape[-1]), dtype=np.float32)
    if not len(words) or not len(offsets):
        return out
    starts, ends = offsets[:, 0], offsets[:, 1]
    for w in words:
        mask = (starts < w.end) & (ends > w.start)
        if mask.any():
            out[w.index] = vectors[mask].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms

"""What taking words out of a sentence does to its meaning, as the sentence
model reads it: the evidence the negation check (a marker taken out) and the
gap model (a gap run taken out) weigh when word alignment alone cannot tell
a free rendering from a change."""
from __future__ import annotations

import re

import numpy as np

from .checks import Context

__all__ = ["sentence_bounds", "sentence_shift"]

_SENTENCE_BREAK = re.compile(r"[.!?…]+[»\"”’)\]]*\s+|\n+")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The [start, end) of the sentence of ``text`` holding offset ``pos``."""
    start, end = 0, len(text)
    for m in _SENTENCE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start() + len(m.group().rstrip())
            break
    return start, end


def sentence_shift(ctx: Context, text: str, ablated: str, other: str) -> float:
    """How much closer ``ablated`` is to ``other`` than ``text`` is: sentence
    vectors from the alignment's token encoder (its last layer, mean-pooled),
    so no other model is loaded."""
    encoder = ctx.encoder
    if encoder is None:
        from ..encoders.e5.tokens import get_token_encoder

        encoder = get_token_encoder()

    def vector(t: str) -> np.ndarray:
        v = np.asarray(encoder.embed(t).vectors, dtype=np.float32)
        v = v.reshape(-1, v.shape[-1]).mean(axis=0)
        return v / (float(np.linalg.norm(v)) or 1.0)

    o = vector(other)
    return float(vector(ablated) @ o - vector(text) @ o)

"""What taking words out of a sentence does to its meaning, as the sentence
model reads it: the evidence the negation check (a marker taken out) and the
gap model (a gap run taken out) weigh when word alignment alone cannot tell
a free rendering from a change."""
from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .checks import Context
from .sentence_groups import SENTENCE_BREAK

__all__ = ["cut_out", "sentence_bounds", "sentence_shift", "shift_without"]

_LETTER = re.compile(r"[^\W\d_]")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The [start, end) of the sentence of ``text`` holding offset ``pos``."""
    start, end = 0, len(text)
    for m in SENTENCE_BREAK.finditer(text):
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


def cut_out(sentence: str, start: int, end: int) -> str:
    """``sentence`` without [start, end), spaces closed up."""
    return re.sub(r"\s{2,}", " ", (sentence[:start] + " " + sentence[end:]).strip())


def shift_without(ctx: Context, text: str, start: int, end: int, other_text: str, other_pos: int | None,
                  cut: Callable[[str, int, int], str] = cut_out) -> float | None:
    """``sentence_shift`` of the sentence of ``text`` holding [start, end)
    with that span cut (``cut``: the sentence and the span's offsets in it),
    against the sentence of ``other_text`` at ``other_pos`` (the whole text
    when None): a window's vector barely moves for a few words. None when
    either has no word left to read ("No." alone)."""
    lo, hi = sentence_bounds(text, start)
    olo, ohi = sentence_bounds(other_text, other_pos) if other_pos is not None else (0, len(other_text))
    mine, other = text[lo:hi], other_text[olo:ohi]
    ablated = cut(mine, start - lo, end - lo)
    if not _LETTER.search(ablated) or not _LETTER.search(other):
        return None
    return sentence_shift(ctx, mine, ablated, other)

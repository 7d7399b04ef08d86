"""An encoder that embeds texts lowercased (``Settings.lowercase``).

Case is the one surface difference a translation never preserves reliably
(English capitalises what Russian and Ukrainian do not), and e5's
SentencePiece vocabulary is case-sensitive, so "Army" and "армия" start
further apart than "army" and "армия". The id carries "|lower": the
embedding cache and the index manifest never mix cased and lowercased vectors.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .base import Encoder


class LowercasedEncoder(Encoder):
    """Wraps another encoder; every text is lowercased (``str.lower``) first."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.id = f"{inner.id}|lower"
        self.dim = inner.dim

    def encode_query(self, texts: Sequence[str], **kw: Any) -> np.ndarray:
        return self.inner.encode_query([t.lower() for t in texts], **kw)

    def encode_document(self, texts: Sequence[str], **kw: Any) -> np.ndarray:
        return self.inner.encode_document([t.lower() for t in texts], **kw)

    def load(self) -> None:
        self.inner.load()

    def close(self) -> None:
        self.inner.close()

    def __repr__(self) -> str:
        return f"LowercasedEncoder({self.inner!r})"

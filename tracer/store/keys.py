"""Keys of the embedding cache."""
from __future__ import annotations

import hashlib

from ..text.editorial import embedding_text


def text_hash(text: str) -> str:
    """Key of a segment text in the embedding cache: the hash of exactly the
    string the encoder sees (``embedding_text``: the text without editorial
    insertions), so the cached vector belongs to it. Not otherwise
    normalised. 128 bits are plenty against collisions and halve the size of
    the two indexes that carry the hash.
    """
    return hashlib.sha256(embedding_text(text).encode("utf-8")).hexdigest()[:32]

"""The one content hash: what makes two texts "the same document"."""
from __future__ import annotations

import hashlib
import unicodedata


def content_hash(text: str) -> str:
    """Hex sha256 of the NFC-normalised text: two documents that differ only
    in Unicode composition (common between Cyrillic sources) count as one."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def doc_id_for(text: str) -> str:
    """Content-derived document id, stable across runs and machines."""
    return content_hash(text)[:16]


def layout_free_hash(text: str) -> str:
    """The content hash with white space folded: a story re-published with
    other line breaks or indentation (a feed and its web page) is one story."""
    return content_hash(" ".join(text.split()))

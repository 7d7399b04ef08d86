"""What of a text is embedded: the words, without an editor's insertions.

A relay glosses a quote in square brackets (``СЗЧ [самовольное оставление
части. — «Газета.Ru»] столько…``) and its English rewrite glosses it
differently (``SOUs [Ukrainian abbreviation – ‘Gazeta.Ru’] as many…``), while
the original has no bracket at all. The gloss is not the speaker's words, yet
in a sentence embedding it weighs as much as they do: on the seed article it
pulled the rewrite's quote and the relay's sentence apart (cosine 0.65) and
the quote came out unsourced. So both sides are embedded without it: indexed
segments (``build`` and the embedding-cache key in ``store``) and quotes
(``lookup``, ``trace``). Stored texts and offsets keep the brackets.
"""
from __future__ import annotations

import re

__all__ = ["embedding_text"]

# Square brackets of up to 160 characters on one line; not a Markdown link
# ("[text](url)"), whose bracket holds the words themselves.
_INSERTION = re.compile(r"\s*\[[^\]\n]{0,160}\](?!\()")


def embedding_text(text: str) -> str:
    """``text`` without bracketed editorial insertions (the text itself when
    nothing else would be left, e.g. a segment that is only "[…]")."""
    if "[" not in text:
        return text
    stripped = _INSERTION.sub("", text)
    return stripped if stripped.strip() else text

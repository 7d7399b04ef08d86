"""Is a text language at all? Random bytes, base64 and hex dumps are not worth indexing.

The measure: the share of a text's non-space characters that sit in
whitespace-separated chunks of at most 40 characters, at least half of them
letters — words, with their punctuation and figures. Real documents score
high (WMT23 documents in every domain, the seed articles, the example
corpus and Tatoeba sentences grouped ten at a time: all 0.90 or more);
20 KB of random bytes scores 0.02, base64 0.00, a hex dump 0.25 and random
ASCII 0.32. Texts shorter than ``MIN_CHARS`` are not judged: too few words
to tell.
"""
from __future__ import annotations

MIN_LANGUAGE_SHARE = 0.5
MIN_CHARS = 200
_MAX_CHUNK = 40
# Three windows (start, middle, end) are enough to judge a long text.
_WINDOW = 65_536


def _windows(text: str) -> list[str]:
    if len(text) <= 3 * _WINDOW:
        return [text]
    mid = len(text) // 2
    return [text[:_WINDOW], text[mid - _WINDOW // 2:mid + _WINDOW // 2], text[-_WINDOW:]]


def language_share(text: str) -> float:
    """Share (0..1) of the non-space characters that belong to word-like chunks."""
    total = good = 0
    for window in _windows(text):
        for chunk in window.split():
            total += len(chunk)
            if len(chunk) <= _MAX_CHUNK and 2 * sum(ch.isalpha() for ch in chunk) >= len(chunk):
                good += len(chunk)
    return good / total if total else 0.0


def not_language(text: str) -> str | None:
    """Why ``text`` is not worth indexing (one sentence), or None when it reads as language."""
    if len(text) < MIN_CHARS:
        return None
    share = language_share(text)
    if share >= MIN_LANGUAGE_SHARE:
        return None
    return (f"the text is mostly not words ({share:.0%} of it reads as language, at least "
            f"{MIN_LANGUAGE_SHARE:.0%} needed): binary or encoded data?")

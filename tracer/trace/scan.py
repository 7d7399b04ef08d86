"""Lookups over one article that must stay linear in its length.

The speaker model asks, for every name mention, whether it sits inside a
quote, follows a place preposition, or ends a speaker's name. Answering by
scanning the whole text (or every quote, every speaker) per mention made
long articles quadratic: 2 s of a 100 KB article's 2 s claim extraction.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

_RUN = re.compile(r"\w+")
_THE = re.compile(r"the\s+")


class SpanSet:
    """Half-open spans ``[start, end)``; ``covers(pos)`` in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the furthest end among spans starting at or before each start
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def covers(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and self.reach[k] > pos


def suffixes(texts: Iterable[str]) -> set[str]:
    """Every suffix of every text: ``x in suffixes(ts)`` == ``any(t.endswith(x) for t in ts)``."""
    return {t[i:] for t in set(texts) for i in range(len(t) + 1)}


class PlaceFollowers:
    """Whether a word follows a place preposition anywhere in a lowercased text
    ("in kyiv", "to the hague"); the text is scanned once.

    Same answer as searching the text for
    ``(?<!according )\\b(?:PREP)\\s+(?:the\\s+)?WORD\\b`` per word.
    """

    def __init__(self, low_text: str, prepositions: Iterable[str]) -> None:
        prefix = re.compile(rf"(?<!according )\b(?:{'|'.join(sorted(prepositions))})\s+")
        self.text = low_text
        self.starts: dict[str, list[int]] = {}  # first \w run of the next word -> where it starts
        for m in prefix.finditer(low_text):
            the = _THE.match(low_text, m.end())
            for start in (m.end(), the.end()) if the else (m.end(),):
                run = _RUN.match(low_text, start)
                if run:
                    self.starts.setdefault(run.group(), []).append(start)
        self._memo: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        """``word`` (lowercased, one token) right after a place preposition, as a whole word."""
        if word not in self._memo:
            run = _RUN.match(word)
            end = len(word)
            self._memo[word] = bool(run) and any(
                self.text.startswith(word, s) and not _RUN.match(self.text, s + end)
                for s in self.starts.get(run.group(), ()))
        return self._memo[word]

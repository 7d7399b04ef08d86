"""English typographic apostrophes folded to ASCII before a diff, and the texts put back after.

News sites set English in typographic quotes (you’re, ‘strange orders’),
while the text the diff was tuned on (WMT23, ``scripts/bench_diff.py``)
writes them mostly in ASCII: the English of ``../shared/data/wmt23`` (the
three-way set and the professional references) holds 1,445 ``'`` and 195
``’``/``‘``. The model's tokenizer keeps the two
apart, and in a long sentence that is enough to tip the word alignment: the
seed article's “where ‘you’re nothing, go to the bunker’” aligns «посадку»
with "to" and calls "bunker" an addition, while with ``'`` it pairs "bunker"
with «посадку» and flags the change of meaning. So English text is folded
to the ASCII apostrophe before the diff. Ukrainian is left alone: its
apostrophe is ``’`` in the same data (202 against 8 in the three-way set).

The fold is one character for one, so every offset of the result is an
offset into the text as given; :func:`restore` puts the given texts back
into each issue (its texts and its message). On bench_diff's real cases with a typographic apostrophe
in the English text (``python scripts/bench_fold.py``) the fold changes
nothing measurable; it exists for text like the seed's.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .types import DiffIssue

__all__ = ["fold", "restore", "FOLDED_LANGS"]

FOLDED_LANGS = ("en",)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‛": "'", "′": "'"})


def fold(text: str, lang: str | None) -> str:
    """``text`` with typographic apostrophes as ``'`` when ``lang`` is English (same length)."""
    return text.translate(_APOSTROPHES) if lang in FOLDED_LANGS else text


def restore(issue: "DiffIssue", given: tuple[str, str], folded: tuple[str, str]) -> "DiffIssue":
    """``issue`` (found on the folded texts) with its quote and source text as given."""
    if given == folded:
        return issue
    quote_text = _restore(issue.quote_text, issue.quote_span, given[0], folded[0])
    source_text = _restore(issue.source_text, issue.source_span, given[1], folded[1])
    message = issue.message
    for was, now in ((issue.quote_text, quote_text), (issue.source_text, source_text)):
        if was and was != now:  # the message quotes the words: as given, too
            message = message.replace(was, now)
    return replace(issue, quote_text=quote_text, source_text=source_text, message=message)


def _restore(text: str, span: tuple[int, int] | None, given: str, folded: str) -> str:
    """The given text of an issue whose text is its span of the folded text."""
    if span is not None and folded[span[0]:span[1]] == text:
        return given[span[0]:span[1]]
    return text

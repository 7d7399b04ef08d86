"""Texts folded before a diff (English typographic apostrophes to ASCII,
Latin look-alike letters inside Russian/Ukrainian words to Cyrillic), and the
texts put back after.

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

Scraped Russian and Ukrainian text sometimes carries a Latin letter that
looks Cyrillic inside a word («Євроcоюзі» with a Latin c): the dictionary and
the names check then see an unknown word, and «Євросоюз» becomes "a name
that differs" from European Union. Inside a word that is otherwise Cyrillic
such letters are folded to their Cyrillic twins; Latin words stay Latin.

The fold is one character for one, so every offset of the result is an
offset into the text as given; :func:`restore` puts the given texts back
into each issue (its texts and its message). On bench_diff's real cases with a typographic apostrophe
in the English text (``python scripts/bench_fold.py``) the fold changes
nothing measurable; it exists for text like the seed's.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .types import DiffIssue

__all__ = ["fold", "restore", "FOLDED_LANGS", "CYRILLIC_LANGS"]

FOLDED_LANGS = ("en",)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‛": "'", "′": "'"})


CYRILLIC_LANGS = ("ru", "uk")
_LOOKALIKES = str.maketrans("aceopxyiABCEHIKMOPTXy", "асеорхуіАВСЕНІКМОРТХу")
_MIXED = re.compile(r"\w*[\u0400-\u04ff]\w*")
_LATIN = re.compile(r"[A-Za-z]")


def fold(text: str, lang: str | None) -> str:
    """``text`` with typographic apostrophes as ``'`` when ``lang`` is
    English, with Latin look-alikes inside Cyrillic words as Cyrillic when
    it is Russian or Ukrainian (same length)."""
    if lang in FOLDED_LANGS:
        return text.translate(_APOSTROPHES)
    if lang in CYRILLIC_LANGS and _LATIN.search(text):
        return _MIXED.sub(_cyrillic_word, text)
    return text


def _cyrillic_word(m: "re.Match[str]") -> str:
    word = m.group()
    folded = word.translate(_LOOKALIKES)
    # only when every Latin letter has a twin: «iPhone-а» stays as written
    return folded if not _LATIN.search(folded) else word


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

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
offset into the text as given; :func:`diff_folded` puts the given texts back
into the result.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

__all__ = ["fold", "diff_folded", "FOLDED_LANGS"]

FOLDED_LANGS = ("en",)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‛": "'", "′": "'"})


def fold(text: str, lang: str | None) -> str:
    """``text`` with typographic apostrophes as ``'`` when ``lang`` is English (same length)."""
    return text.translate(_APOSTROPHES) if lang in FOLDED_LANGS else text


def diff_folded(differ: Callable[..., Any], quote: str, original: str, *, quote_lang: str | None = None,
                source_lang: str | None = None, **options: Any) -> Any:
    """``differ(quote, original, ...)`` (``diff_texts``) on folded texts, with
    the given texts back in the result (``quote``, ``source`` and each issue's texts)."""
    if quote_lang is None or source_lang is None:
        from ..text.langid import detect_lang

        quote_lang = quote_lang or detect_lang(quote, default="en")
        source_lang = source_lang or detect_lang(original, default="en")
    fq, fo = fold(quote, quote_lang), fold(original, source_lang)
    result = differ(fq, fo, quote_lang=quote_lang, source_lang=source_lang, **options)
    if (fq, fo) == (quote, original) or not hasattr(result, "issues"):
        return result
    issues = tuple(replace(i, quote_text=_restore(i.quote_text, i.quote_span, quote, fq),
                           source_text=_restore(i.source_text, i.source_span, original, fo))
                   for i in result.issues)
    return replace(result, quote=quote, source=original, issues=issues)


def _restore(text: str, span: tuple[int, int] | None, given: str, folded: str) -> str:
    """The given text of an issue whose text is its span of the folded text."""
    if span is not None and folded[span[0]:span[1]] == text:
        return given[span[0]:span[1]]
    return text

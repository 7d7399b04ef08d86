"""What a translation changed: align a quote with its original and run the checks.

    >>> from tracer.diff import diff_texts
    >>> r = diff_texts("you're nothing, go to the bunker", "ты никто, иди в посадку")
    >>> [i.kind for i in r.issues]
    ['meaning']

Works with no machine translation and no index; when an Argos Translate
model for the pair is installed (``tracer.diff.mt``), the result also carries
the original machine-translated into the quote's language with a word diff.
"""
from __future__ import annotations

from typing import Any

from .types import ISSUE_KINDS, KIND_LABELS, SEVERITIES, DiffIssue, DiffResult

__all__ = ["diff_texts", "DiffResult", "DiffIssue", "ISSUE_KINDS", "KIND_LABELS", "SEVERITIES"]

_SEVERITY_ORDER = {s: n for n, s in enumerate(SEVERITIES)}


def diff_texts(
    quote: str,
    original: str,
    quote_lang: str | None = None,
    source_lang: str | None = None,
    *,
    quote_speaker: str | None = None,
    source_speaker: str | None = None,
    use_mt: bool = True,
    translator: Any = None,
    encoder: Any = None,
) -> DiffResult:
    """Compare ``quote`` (the translated side) with ``original``.

    Languages are detected when not given. English typographic apostrophes
    are folded to ASCII for the alignment (``typography.py``: offsets and
    texts in the result are the given ones). A ``meaning`` issue carries the
    original word's dictionary senses when a dictionary is installed
    (``senses.py``). ``quote_speaker`` /
    ``source_speaker`` name who each text is attributed to when that is
    known from outside the texts (a traced claim's speaker, the original's
    author). ``encoder`` is a ``TokenEncoder`` (default: the bundled e5);
    ``translator`` a ``tracer.diff.mt.Translator`` (default: the installed
    Argos models, if any). Two texts in the same language are aligned by
    their words' lemmas (no model), so every changed word shows.
    """
    from ..errors import InputError
    from ..text.langid import check_lang, detect_lang
    from .align import align_texts
    from .attribution import check_attribution
    from .checks import Context, check_numbers
    from .gaps import check_gaps, check_untranslated
    from .lexical import align_lexical
    from .mt import mt_compare
    from .names_check import check_names
    from .hedges import check_hedges
    from .polarity import check_negation
    from .sentence_groups import within_groups

    if not quote or not quote.strip():
        raise InputError("the quote is empty")
    if not original or not original.strip():
        raise InputError("the original is empty")
    from .senses import with_senses
    from .typography import fold, restore

    quote_lang = check_lang(quote_lang.strip().lower() if quote_lang else None)
    source_lang = check_lang(source_lang.strip().lower() if source_lang else None)
    qlang = quote_lang or detect_lang(quote, default="en")
    slang = source_lang or detect_lang(original, default="en")
    given = (quote, original)
    quote, original = fold(quote, qlang), fold(original, slang)
    same = qlang == slang
    # Across languages, a passage of several sentences is aligned again with
    # each sentence group kept to itself (sentence_groups.within_groups).
    al = align_lexical(quote, original, qlang) if same else within_groups(
        align_texts(quote, original, encoder=encoder))
    ctx = Context(quote, original, qlang, slang, al, quote_speaker=quote_speaker, source_speaker=source_speaker,
                  encoder=encoder)
    issues = []
    # Order matters: each check marks the spans it explained (ctx.handled_*)
    # so the alignment-gap checks do not report the same words again.
    for check in (check_numbers, check_names, check_attribution, check_negation, check_hedges,
                  check_gaps, check_untranslated):
        issues.extend(check(ctx))
    issues.sort(key=lambda i: (i.quote_span[0], _SEVERITY_ORDER.get(i.severity, 9), i.kind))
    issues = [with_senses(restore(i, given, (quote, original)), slang) for i in issues]
    quote, original = given
    mt, notes = None, []
    if use_mt:
        mt = mt_compare(quote, qlang, original, slang, translator=translator)
        if mt.translation is None:
            mt, notes = None, [mt.note or f"no machine translation installed for {slang}→{qlang}"]
    return DiffResult(quote, original, qlang, slang, tuple(issues),
                      tuple(tuple(s) for s in al.spans()), mt, tuple(notes))

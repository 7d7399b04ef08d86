"""A stand-in for ``diff_texts`` in the report's fast tests: it flags the quote
words it is told to, in a fixed way, so tests can reason about the report
(ordering, folding, findings, dismissals) without loading the model."""
from __future__ import annotations

import re

from tracer.diff.types import DiffIssue, DiffResult


class FakeDiffer:
    """``FakeDiffer({"bunker": ("meaning", "major", "посадку")})(quote, original, ...)``.

    Each listed word found in the quote becomes an issue of that kind and
    severity, its source span the given word's place in the original (or
    None). ``calls`` records every (quote, original) pair diffed."""

    def __init__(self, flags: dict[str, tuple[str, str, str | None]]) -> None:
        self.flags = flags
        self.calls: list[tuple[str, str]] = []

    def __call__(self, quote, original, quote_lang=None, source_lang=None, **options):
        self.calls.append((quote, original))
        issues = []
        for word, (kind, severity, src) in self.flags.items():
            for m in re.finditer(re.escape(word), quote):
                s = original.find(src) if src else -1
                span = (s, s + len(src)) if s >= 0 else None
                issues.append(DiffIssue(kind, severity, (m.start(), m.end()), span, word,
                                        src if span else "", f"{word} flagged as {kind}"))
        issues.sort(key=lambda i: i.quote_span)
        return DiffResult(quote, original, quote_lang or "en", source_lang or "ru", tuple(issues), (), None, ())

"""What a search may return: languages, document kinds, documents left out.

Parsed and checked once, where the user's words come in (the CLI or the
Python API); everything below receives a ``SearchFilter``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..errors import InputError
from ..text.langid import SUPPORTED_LANGS, parse_langs
from ..types import DOC_KINDS


@dataclass(frozen=True)
class SearchFilter:
    """Languages and document kinds allowed (None: any) and documents never returned."""

    langs: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    exclude_docs: tuple[str, ...] = ()

    @classmethod
    def parse(cls, langs: Sequence[str] | str | None = None, kinds: Sequence[str] | str | None = None,
              exclude_docs: Sequence[str] = ()) -> "SearchFilter":
        """From user input: ``"ru,uk"`` or ``["ru", "uk"]``; InputError for unknown values."""
        return cls(_langs(langs), _kinds(kinds), tuple(dict.fromkeys(str(d) for d in exclude_docs)))

    def excluding(self, doc_ids: Sequence[str]) -> "SearchFilter":
        """The same filter, also leaving out ``doc_ids``."""
        return replace(self, exclude_docs=tuple(dict.fromkeys((*self.exclude_docs, *doc_ids))))

    def only(self, lang: str) -> "SearchFilter":
        """The same filter restricted to one language."""
        return replace(self, langs=(lang,))

    def searched_langs(self) -> tuple[str, ...]:
        """The languages a per-language search covers: the filter's, or every supported one."""
        return self.langs or SUPPORTED_LANGS


def _langs(value: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return parse_langs(value)
    return parse_langs(",".join(value))


def _kinds(value: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    values = [k.strip() for k in value.split(",")] if isinstance(value, str) else [str(k).strip() for k in value]
    for kind in values:
        if kind not in DOC_KINDS:
            raise InputError(f"unknown kind {kind!r} (use one of: {', '.join(DOC_KINDS)})")
    return tuple(dict.fromkeys(k for k in values if k)) or None

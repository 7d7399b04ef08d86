"""Result types of a cross-lingual diff.

``DiffIssue.to_dict()`` and ``DiffResult.to_dict()`` are JSON contracts
(``tracer diff --json``, reports): add fields freely, never rename.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ISSUE_KINDS: tuple[str, ...] = (
    "number", "name", "omission", "addition", "attribution", "negation", "hedge", "meaning", "untranslated",
)
SEVERITIES: tuple[str, ...] = ("critical", "major", "minor")

# One line per kind for legends and help (the user's words, not the code's).
KIND_LABELS: dict[str, str] = {
    "number": "a figure differs or is on one side only",
    "name": "a person, place or organisation differs or is on one side only",
    "omission": "content of the original missing from the quote",
    "addition": "content of the quote missing from the original",
    "attribution": "the speaker differs, or is added or removed",
    "negation": "the polarity differs (a 'not' added or dropped)",
    "hedge": "approximate vs exact, or a hedge such as 'allegedly' added or dropped",
    "meaning": "aligned words with unusually low similarity: a possible mistranslation to check",
    "untranslated": "text left in the original's language",
}


@dataclass(frozen=True)
class DiffIssue:
    """One difference, located in both texts (``source_span`` may be None)."""

    kind: str
    severity: str
    quote_span: tuple[int, int]
    source_span: tuple[int, int] | None
    quote_text: str
    source_text: str
    message: str
    # For a ``meaning`` issue: the original words' senses from an offline
    # bilingual dictionary, when one is installed (``tracer.diff.senses``).
    senses: tuple[dict[str, Any], ...] = ()
    # For a ``meaning`` issue of low similarity: how far the words' similarity
    # lies below the text's typical pair (larger: more suspect).
    drop: float | None = None
    # For an omission or addition across languages: how likely the gap is a
    # real change (``gap_model``), and the features that said so.
    confidence: float | None = None
    evidence: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "quote_span": list(self.quote_span),
            "source_span": list(self.source_span) if self.source_span is not None else None,
            "quote_text": self.quote_text,
            "source_text": self.source_text,
            "message": self.message,
            **({"senses": [dict(x) for x in self.senses]} if self.senses else {}),
            **({"drop": self.drop} if self.drop is not None else {}),
            **({"confidence": round(self.confidence, 3)} if self.confidence is not None else {}),
            **({"evidence": {k: round(v, 4) for k, v in self.evidence}} if self.evidence else {}),
        }

    def fingerprint(self, quote: str, original: str) -> str:
        """A fingerprint stable across runs (``tracer.diff.fingerprint``) for
        this issue of the diff of ``quote`` against ``original``."""
        from .fingerprint import issue_fingerprint

        return issue_fingerprint(self.kind, self.quote_text, self.source_text, quote, original)


@dataclass(frozen=True)
class DiffResult:
    """What a translation changed between a quote and its original."""

    quote: str
    source: str
    quote_lang: str
    source_lang: str
    issues: tuple[DiffIssue, ...]
    alignment: tuple[tuple[int, int, int, int, float], ...]
    mt: Any = None  # tracer.diff.mt.MTComparison, when a translation was made
    notes: tuple[str, ...] = ()  # e.g. "no machine translation installed for ru→en; ..."

    def counts(self) -> dict[str, int]:
        """Issues per severity."""
        out = {s: 0 for s in SEVERITIES}
        for issue in self.issues:
            out[issue.severity] = out.get(issue.severity, 0) + 1
        return out

    def issue_dicts(self) -> list[dict[str, Any]]:
        """The issues as JSON, each with its ``fingerprint`` (for dismiss files)."""
        return [{**i.to_dict(), "fingerprint": i.fingerprint(self.quote, self.source)} for i in self.issues]

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "original": self.source,
            "quote_lang": self.quote_lang,
            "source_lang": self.source_lang,
            "issues": self.issue_dicts(),
            "alignment": [list(a) for a in self.alignment],
            "mt": self.mt.to_dict() if self.mt is not None else None,
            "notes": list(self.notes),
        }

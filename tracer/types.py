"""Typed results shared by the library, the CLI and the reports.

Field names of the dataclasses that end up in JSON are a public contract
(see README "JSON contract"): add fields freely, never rename.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["article", "original"]
SegmentKind = Literal["sentence", "quote"]

DOC_KINDS: tuple[str, ...] = ("article", "original")
LANGS: tuple[str, ...] = ("en", "ru", "uk")


@dataclass(frozen=True)
class Document:
    """One ingested text: an article (the translated side) or a candidate original."""

    id: str
    text: str
    lang: str
    kind: str = "original"
    source: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 (date or datetime)
    title: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Segment:
    """A sentence of a document, or a quoted span inside a sentence.

    ``start``/``end`` are Python string offsets into ``Document.text``.
    A quote segment points at its sentence through ``parent``.
    """

    doc_id: str
    start: int
    end: int
    text: str
    lang: str
    kind: str = "sentence"  # "sentence" | "quote" | "window" | "passage"
    parent: int | None = None  # index (within the document) of the containing sentence
    id: int | None = None  # SQLite rowid once stored; the FAISS id


@dataclass(frozen=True)
class Match:
    """One candidate origin of a quote, with enough context to show it."""

    rank: int
    score: float  # margin-based score used for ranking (higher is better)
    doc_id: str
    segment_id: int
    lang: str
    kind: str
    source: str | None
    title: str | None
    url: str | None
    date: str | None
    text: str  # the matched segment (sentence or quoted span)
    start: int  # offsets of ``text`` in the document
    end: int
    context_before: str
    context_after: str
    cosine: float = 0.0
    segment_kind: str = "sentence"
    sentence: str = ""  # the full sentence containing ``text``
    sentence_start: int = 0
    signals: dict[str, float] = field(default_factory=dict)
    # Lookups only: the calibrated chance that this passage carries the quote
    # (tracer.lookup.confidence). In a trace the claim has its own.
    confidence: float | None = None
    # The syndication cluster of the matched sentence (tracer.index.clusters):
    # matches with the same cluster carry the same statement in different
    # documents. None: the sentence is in no cluster.
    cluster: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LookupResult:
    """The answer to one quote lookup."""

    id: str
    query: str
    query_lang: str
    matches: list[Match]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "query": self.query,
            "query_lang": self.query_lang,
            "matches": [m.to_dict() for m in self.matches],
        }


@dataclass(frozen=True)
class IngestProblem:
    """A file or line that could not be ingested (or was ingested with a warning)."""

    path: str
    message: str
    line: int | None = None
    fatal: bool = True


@dataclass(frozen=True)
class IngestReport:
    documents: int  # documents seen
    segments: int  # segments of the new documents
    new: int  # documents added (replaced ones included)
    skipped: int  # already present (same id or same content)
    seconds: float
    problems: list[IngestProblem] = field(default_factory=list)
    replaced: int = 0  # stored documents whose text was replaced (``replace=True``)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.fatal)


@dataclass(frozen=True)
class BuildReport:
    version: str
    segments: int  # vectors in the new index
    embedded: int  # texts that had to be encoded
    cached: int  # texts whose vectors came from the cache
    index_type: str
    seconds: float
    built: bool = True  # False: nothing new, the serving version stays (``version`` names it)

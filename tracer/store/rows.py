"""Segment rows as the query side reads them: with document metadata, sentence and context."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentRow:
    """A stored segment with what a match needs to be shown in context."""

    id: int
    doc_id: str
    seq: int
    start: int
    end: int
    text: str
    lang: str  # language of the segment
    kind: str  # segment kind: "sentence" | "quote"
    parent_id: int | None
    doc_kind: str  # "article" | "original"
    doc_lang: str
    source: str | None
    title: str | None
    url: str | None
    date: str | None
    sentence_start: int  # the containing sentence (the segment itself for sentences)
    sentence_end: int
    sentence_text: str
    context_before: str  # previous sentence of the document, "" at the start
    context_after: str  # next sentence of the document, "" at the end


_SEGMENT_ROWS_SQL = """
WITH req(pos, id) AS (SELECT key, value FROM json_each(?)),
base AS (
    SELECT req.pos, s.id, s.doc_id, s.seq, s."start", s."end", s.text, s.lang, s.kind,
           s.parent_id, d.kind AS doc_kind, d.lang AS doc_lang, d.source, d.title,
           d.url, d.date,
           COALESCE(p."start", s."start") AS sent_start,
           COALESCE(p."end", s."end") AS sent_end,
           COALESCE(p.text, s.text) AS sent_text
    FROM req
    JOIN segments s ON s.id = req.id
    JOIN documents d ON d.id = s.doc_id
    LEFT JOIN segments p ON p.id = s.parent_id
)
SELECT b.id, b.doc_id, b.seq, b."start", b."end", b.text, b.lang, b.kind, b.parent_id,
       b.doc_kind, b.doc_lang, b.source, b.title, b.url, b.date,
       b.sent_start, b.sent_end, b.sent_text,
       COALESCE((SELECT x.text FROM segments x
                 WHERE x.doc_id = b.doc_id AND x.kind = 'sentence' AND x."start" < b.sent_start
                 ORDER BY x."start" DESC LIMIT 1), ''),
       COALESCE((SELECT x.text FROM segments x
                 WHERE x.doc_id = b.doc_id AND x.kind = 'sentence' AND x."start" >= b.sent_end
                 ORDER BY x."start" ASC LIMIT 1), '')
FROM base b
ORDER BY b.pos
"""

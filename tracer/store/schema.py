"""The store's schema: named migrations, applied in order and recorded in the database."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .keys import text_hash

_INITIAL = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT,
    url TEXT,
    date TEXT,
    title TEXT,
    path TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES segments(id) ON DELETE CASCADE,
    UNIQUE (doc_id, seq)
);
-- context_before/after walk the sentences of one document by offset
CREATE INDEX segments_doc_kind_start ON segments(doc_id, kind, "start");
CREATE INDEX segments_text_hash ON segments(text_hash);
-- deleting a sentence must find its quotes without a table scan
CREATE INDEX segments_parent ON segments(parent_id);
-- A rowid table on purpose: WITHOUT ROWID with 1.5 kB rows was 25x slower
-- to fill and 3x bigger (measured with 100k x 384-dim vectors).
CREATE TABLE embeddings (
    encoder_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (encoder_id, text_hash)
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    details TEXT
);
"""


def _rehash_insertions(conn: sqlite3.Connection) -> None:
    """Segments with a bracket were keyed by their raw text before editorial
    insertions were left out of what is embedded; re-key them, so the next
    build embeds them afresh (their old cache rows are pruned as orphans)."""
    rows = conn.execute("SELECT id, text FROM segments WHERE instr(text, '[') > 0").fetchall()
    conn.executemany("UPDATE segments SET text_hash = ? WHERE id = ?", [(text_hash(t), i) for i, t in rows])


def _windows_and_statement_quotes(conn: sqlite3.Connection) -> None:
    """Stores ingested before sub-sentence windows: add the windows of every
    stored sentence, and drop quoted spans that are no statement (titles,
    brands) as segments of their own (tracer.text.segment)."""
    from ..text.segment import quote_is_statement, windows

    quotes = conn.execute("SELECT q.id, q.text, s.text FROM segments q JOIN segments s ON s.id = q.parent_id "
                          "WHERE q.kind = 'quote'").fetchall()
    conn.executemany("DELETE FROM segments WHERE id = ?",
                     [(qid,) for qid, quote, sentence in quotes if not quote_is_statement(quote, sentence)])
    next_seq = dict(conn.execute("SELECT doc_id, max(seq) + 1 FROM segments GROUP BY doc_id").fetchall())
    rows = []
    for sid, doc_id, start, text, lang in conn.execute(
            'SELECT id, doc_id, "start", text, lang FROM segments WHERE kind = \'sentence\' ORDER BY doc_id, seq'):
        for ws, we in windows(text, 0, len(text)):
            chunk = text[ws:we]
            rows.append((doc_id, next_seq[doc_id], start + ws, start + we, chunk, text_hash(chunk), lang, sid))
            next_seq[doc_id] += 1
    conn.executemany('INSERT INTO segments(doc_id, seq, "start", "end", text, text_hash, lang, kind, parent_id) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?, 'window', ?)", rows)


# Append only; never edit or reorder a migration that has shipped.
MIGRATIONS: tuple[tuple[str, str | Callable[[sqlite3.Connection], None]], ...] = (
    ("0001_initial", _INITIAL),
    ("0002_embed_without_insertions", _rehash_insertions),
    ("0003_sentence_windows", _windows_and_statement_quotes),
)


def split_sql(script: str) -> list[str]:
    """Statements of a migration script (complete_statement knows about ';' in strings)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction on an autocommit connection; IMMEDIATE so two writers
    queue on the busy timeout instead of failing later with 'database is locked'."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

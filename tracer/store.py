"""SQLite store of an index directory: documents, segments, embedding cache, runs.

One file (``tracer.db``) next to the FAISS versions. WAL mode lets a lookup
read while a rebuild writes; every write is one short ``BEGIN IMMEDIATE``
transaction, so a crash (even ``kill -9``) loses at most the document being
added, never one already stored. The schema evolves through named
migrations recorded in a ``migrations`` table, applied when the store opens.

Segment ids are SQLite rowids and double as FAISS ids. ``AUTOINCREMENT``
keeps them from ever being reused after a delete, so an older index version
can never point at a different segment than the one it embedded.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexNotFound, InputError, TracerError
from .text.editorial import embedding_text
from .types import Document, Segment

DB_NAME = "tracer.db"

# SQLite accepts up to 32766 bound variables since 3.32; stay well below.
_CHUNK = 900


def content_hash(text: str) -> str:
    """Hex sha256 of the NFC-normalised text: two documents that differ only
    in Unicode composition (common between Cyrillic sources) count as one."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    """Key of a segment text in the embedding cache: the hash of exactly the
    string the encoder sees (``embedding_text``: the text without editorial
    insertions), so the cached vector belongs to it. Not otherwise
    normalised. 128 bits are plenty against collisions and halve the size of
    the two indexes that carry the hash.
    """
    return hashlib.sha256(embedding_text(text).encode("utf-8")).hexdigest()[:32]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- schema -----------------------------------------------------------------

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


# Append only; never edit or reorder a migration that has shipped.
MIGRATIONS: tuple[tuple[str, str | Callable[[sqlite3.Connection], None]], ...] = (
    ("0001_initial", _INITIAL),
    ("0002_embed_without_insertions", _rehash_insertions),
)


# --- result rows ------------------------------------------------------------


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


@dataclass(frozen=True)
class RunRow:
    id: int
    command: str
    started_at: str
    finished_at: str | None
    status: str
    details: dict[str, Any]


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


class Store:
    """The SQLite database of one index directory.

    ``path`` is the database file, or a directory that holds (or will hold)
    ``tracer.db``. ``readonly=True`` never writes (not even migrations) and
    raises ``IndexNotFound`` when the database does not exist.
    A ``Store`` is used from one thread; open one per thread or process.
    """

    def __init__(self, path: Path, readonly: bool = False, *, busy_timeout: float = 30.0) -> None:
        path = Path(path)
        if path.is_dir() or (not path.suffix and not path.exists()):
            path = path / DB_NAME
        self.path = path
        self.readonly = readonly
        if readonly:
            if not path.exists():
                raise IndexNotFound(f"no tracer database at {path}; run `tracer ingest` first")
            uri = path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
        self._conn = conn
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            # WAL is persistent in the file; NORMAL sync is crash-safe for the
            # process (kill -9) and only risks the last commit on power loss.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        else:
            self._check_migrated()

    # --- lifecycle --------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """The underlying connection, for queries this class does not cover."""
        if self._conn is None:
            raise TracerError("the store is closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; IMMEDIATE so two writers queue on the busy
        timeout instead of failing later with 'database is locked'."""
        if self.readonly:
            raise TracerError(f"{self.path} is open read-only")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- migrations -------------------------------------------------------

    def _migrate(self) -> None:
        # Look before taking the write lock: a lookup opening the store must
        # not queue behind a long ingest transaction when there is nothing to do.
        try:
            if not self._pending_migrations():
                return
        except sqlite3.OperationalError:
            pass  # no migrations table yet
        with self.transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in conn.execute("SELECT name FROM migrations")}
            for name, step in MIGRATIONS:
                if name in done:
                    continue
                if callable(step):
                    step(conn)
                else:
                    # executescript() would COMMIT our transaction; run statement by statement
                    for stmt in _split_sql(step):
                        conn.execute(stmt)
                conn.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, _now()))

    def _pending_migrations(self) -> list[str]:
        done = {r[0] for r in self.conn.execute("SELECT name FROM migrations")}
        return [name for name, _ in MIGRATIONS if name not in done]

    def _check_migrated(self) -> None:
        try:
            pending = self._pending_migrations()
        except sqlite3.OperationalError as e:
            raise IndexNotFound(f"{self.path} is not a tracer database ({e})") from None
        if pending:
            raise TracerError(
                f"{self.path} needs an upgrade ({', '.join(pending)}); "
                "run any writing command (e.g. `tracer ingest`) once"
            )

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this database, oldest first."""
        return [r[0] for r in self.conn.execute("SELECT name FROM migrations ORDER BY rowid")]

    # --- documents --------------------------------------------------------

    def add_document(self, doc: Document, segments: Sequence[Segment]) -> bool:
        """Store a document and its segments in one transaction.

        Returns False (and stores nothing) when a document with the same id
        or the same content (see ``content_hash``) is already stored.
        Segments are stored under ``doc.id`` in list order (``seq``); a
        segment's ``parent`` (an index into ``segments``) becomes the
        parent's row id.
        """
        with self.transaction() as conn:
            return self._insert(conn, doc, segments)

    def add_documents(self, items: Iterable[tuple[Document, Sequence[Segment]]]) -> list[bool]:
        """``add_document`` for many documents in one transaction (one fsync),
        for bulk ingest. Returns one flag per document."""
        with self.transaction() as conn:
            return [self._insert(conn, doc, segs) for doc, segs in items]

    def _insert(self, conn: sqlite3.Connection, doc: Document, segments: Sequence[Segment]) -> bool:
        _check_segments(doc, segments)
        chash = content_hash(doc.text)
        # Explicit check instead of INSERT OR IGNORE: the segments must not be
        # inserted either, and we are inside BEGIN IMMEDIATE so no race.
        hit = conn.execute(
            "SELECT 1 FROM documents WHERE id = ? OR content_hash = ? LIMIT 1", (doc.id, chash)
        ).fetchone()
        if hit:
            return False
        conn.execute(
            "INSERT INTO documents(id, content_hash, text, lang, kind, source, url, date, title, path, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, chash, doc.text, doc.lang, doc.kind, doc.source, doc.url, doc.date, doc.title,
             doc.path, _now()),
        )
        rowids: list[int] = []
        for seq, s in enumerate(segments):
            cur = conn.execute(
                'INSERT INTO segments(doc_id, seq, "start", "end", text, text_hash, lang, kind)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, seq, s.start, s.end, s.text, text_hash(s.text), s.lang, s.kind),
            )
            rowids.append(int(cur.lastrowid))  # type: ignore[arg-type]
        # Second pass: a parent may come after its child in the list.
        conn.executemany(
            "UPDATE segments SET parent_id = ? WHERE id = ?",
            [(rowids[s.parent], rowids[i]) for i, s in enumerate(segments) if s.parent is not None],
        )
        return True

    def has_document(self, id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (id,)).fetchone() is not None

    def has_content(self, text: str) -> bool:
        """Whether a document with this content (NFC-normalised) is stored."""
        row = self.conn.execute(
            "SELECT 1 FROM documents WHERE content_hash = ?", (content_hash(text),)
        ).fetchone()
        return row is not None

    def document_ids_by_content(self, text: str) -> list[str]:
        """Ids of stored documents with this content (NFC-normalised); at most one."""
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE content_hash = ?", (content_hash(text),)
        ).fetchall()
        return [r[0] for r in rows]

    def get_document(self, id: str) -> Document | None:
        row = self.conn.execute(
            "SELECT id, text, lang, kind, source, url, date, title, path FROM documents WHERE id = ?",
            (id,),
        ).fetchone()
        return Document(*row) if row else None

    def get_segments(self, doc_id: str) -> list[Segment]:
        """The segments of a document in stored order, with ids and parent indices."""
        rows = self.conn.execute(
            'SELECT id, seq, "start", "end", text, lang, kind, parent_id FROM segments'
            " WHERE doc_id = ? ORDER BY seq",
            (doc_id,),
        ).fetchall()
        seq_of = {r[0]: r[1] for r in rows}
        return [
            Segment(doc_id, r[2], r[3], r[4], r[5], r[6],
                    parent=seq_of.get(r[7]) if r[7] is not None else None, id=r[0])
            for r in rows
        ]

    def document_count(self, kind: str | None = None) -> int:
        if kind is None:
            return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        return int(self.conn.execute("SELECT count(*) FROM documents WHERE kind = ?", (kind,)).fetchone()[0])

    def segment_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM segments").fetchone()[0])

    def delete_document(self, id: str) -> bool:
        """Delete a document and its segments. Cached vectors stay (other
        documents may share the texts); see ``prune_embeddings``."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM documents WHERE id = ?", (id,)).rowcount > 0

    # --- segments ---------------------------------------------------------

    def iter_segment_rows(self, batch: int = 10_000) -> Iterator[tuple[int, str, str]]:
        """All segments as ``(id, text_hash, text)`` in id order.

        Pages by id instead of holding one cursor open, so a long build does
        not pin a read snapshot (which would stop WAL checkpoints).
        """
        last = -1
        while True:
            rows = self.conn.execute(
                "SELECT id, text_hash, text FROM segments WHERE id > ? ORDER BY id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    def iter_segment_keys(self, batch: int = 10_000) -> Iterator[tuple[int, str, str]]:
        """All segments as ``(id, text_hash, lang)`` in id order (no texts:
        what a build needs to assemble vectors)."""
        last = -1
        while True:
            rows = self.conn.execute(
                "SELECT id, text_hash, lang FROM segments WHERE id > ? ORDER BY id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    def segments_by_ids(self, ids: Iterable[int]) -> list[SegmentRow]:
        """Segments with document metadata, sentence and context, in the
        order of ``ids``. Ids that are not stored (deleted since the index
        was built, or FAISS padding -1) are skipped."""
        ids = [int(i) for i in ids if int(i) >= 0]
        if not ids:
            return []
        rows = self.conn.execute(_SEGMENT_ROWS_SQL, (json.dumps(ids),)).fetchall()
        return [SegmentRow(*r) for r in rows]

    def segment_ids_where(
        self,
        langs: Sequence[str] | None = None,
        doc_kinds: Sequence[str] | None = None,
        seg_kinds: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Sorted int64 ids of the segments matching every given filter
        (segment language, document kind, segment kind); None = any."""
        where, args = [], []
        for column, values in (("s.lang", langs), ("d.kind", doc_kinds), ("s.kind", seg_kinds)):
            if values is not None:
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                args.extend(values)
        sql = "SELECT s.id FROM segments s"
        if doc_kinds is not None:
            sql += " JOIN documents d ON d.id = s.doc_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        cur = self.conn.execute(sql + " ORDER BY s.id", args)
        return np.fromiter((r[0] for r in cur), dtype=np.int64)

    # --- embedding cache --------------------------------------------------

    def missing_embeddings(self, encoder_id: str) -> list[tuple[str, str]]:
        """Distinct segment texts with no cached vector for this encoder,
        as ``(text_hash, text)``, in order of first appearance."""
        rows = self.conn.execute(
            """SELECT s.text_hash, s.text, min(s.id) AS first FROM segments s
               WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                                 WHERE e.encoder_id = ? AND e.text_hash = s.text_hash)
               GROUP BY s.text_hash ORDER BY first""",
            (encoder_id,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def embedding_dim(self, encoder_id: str) -> int | None:
        """Dimension of the vectors cached for this encoder, None if none are."""
        row = self.conn.execute(
            "SELECT length(vector) FROM embeddings WHERE encoder_id = ? LIMIT 1", (encoder_id,)
        ).fetchone()
        return row[0] // 4 if row else None

    def put_embeddings(self, encoder_id: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Cache one float32 vector per text hash (replacing older ones)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(hashes):
            raise ValueError(f"expected {len(hashes)} vectors, got an array of shape {vectors.shape}")
        if not len(hashes):
            return
        dim = self.embedding_dim(encoder_id)
        if dim is not None and dim != vectors.shape[1]:
            raise ValueError(
                f"encoder {encoder_id!r} has {dim}-dim vectors cached, got {vectors.shape[1]}-dim ones"
            )
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(encoder_id, text_hash, vector) VALUES (?, ?, ?)",
                ((encoder_id, h, v.tobytes()) for h, v in zip(hashes, vectors)),
            )

    def get_embeddings(self, encoder_id: str, hashes: Sequence[str]) -> np.ndarray:
        """Cached vectors, one row per hash in the order given.
        Raises ``KeyError`` naming the first hash that has no vector."""
        dim = self.embedding_dim(encoder_id)
        if dim is None:
            if hashes:
                raise KeyError(hashes[0])
            return np.zeros((0, 0), dtype=np.float32)
        out = np.empty((len(hashes), dim), dtype=np.float32)
        pos: dict[str, list[int]] = {}
        for i, h in enumerate(hashes):
            pos.setdefault(h, []).append(i)
        unique = list(pos)
        found: set[str] = set()
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            rows = self.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE encoder_id = ? "
                f"AND text_hash IN ({', '.join('?' * len(chunk))})",
                (encoder_id, *chunk),
            )
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] != dim:
                    raise ValueError(f"cached vector {h} of {encoder_id!r} has {vec.shape[0]} dims, not {dim}")
                out[pos[h]] = vec
                found.add(h)
        if len(found) != len(unique):
            raise KeyError(next(h for h in unique if h not in found))
        return out

    def iter_segment_vectors(
        self, encoder_id: str, batch: int = 10_000
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(ids int64, vectors float32)`` batches of every segment that has a
        cached vector, in id order: what an index build adds. Segments
        without a vector are skipped (call ``missing_embeddings`` first)."""
        last = -1
        while True:
            rows = self.conn.execute(
                # CROSS JOIN pins segments as the outer loop: otherwise the planner
                # walks embeddings and sorts every page (quadratic; 17 s for 100k).
                """SELECT s.id, e.vector FROM segments s
                   CROSS JOIN embeddings e ON e.encoder_id = ? AND e.text_hash = s.text_hash
                   WHERE s.id > ? ORDER BY s.id LIMIT ?""",
                (encoder_id, last, batch),
            ).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            yield ids, vecs
            last = rows[-1][0]

    def prune_embeddings(self, encoder_id: str | None = None) -> int:
        """Drop cached vectors whose text no segment has any more (all
        encoders, or one). Returns the number of vectors removed."""
        sql = "DELETE FROM embeddings WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.text_hash = embeddings.text_hash)"
        args: tuple[str, ...] = ()
        if encoder_id is not None:
            sql += " AND encoder_id = ?"
            args = (encoder_id,)
        with self.transaction() as conn:
            return conn.execute(sql, args).rowcount

    # --- runs -------------------------------------------------------------

    def record_run(self, command: str, details: dict[str, Any] | None = None) -> int:
        """Note the start of a command (ingest, build, rebuild); returns its run id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO runs(command, started_at, status, details) VALUES (?, ?, 'running', ?)",
                (command, _now(), json.dumps(details or {}, ensure_ascii=False)),
            )
            return int(cur.lastrowid)  # type: ignore[arg-type]

    def finish_run(self, run_id: int, status: str = "ok", details: dict[str, Any] | None = None) -> None:
        """Close a run; ``details`` are merged into the ones given at start."""
        with self.transaction() as conn:
            row = conn.execute("SELECT details FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise KeyError(run_id)
            merged = {**json.loads(row[0] or "{}"), **(details or {})}
            conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, details = ? WHERE id = ?",
                (_now(), status, json.dumps(merged, ensure_ascii=False), run_id),
            )

    def runs(self, limit: int = 20, command: str | None = None) -> list[RunRow]:
        """The most recent runs, newest first."""
        sql = "SELECT id, command, started_at, finished_at, status, details FROM runs"
        args: tuple[Any, ...] = ()
        if command is not None:
            sql += " WHERE command = ?"
            args = (command,)
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [RunRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}")) for r in rows]


def _check_segments(doc: Document, segments: Sequence[Segment]) -> None:
    n = len(segments)
    for i, s in enumerate(segments):
        if s.parent is not None and not (0 <= s.parent < n and s.parent != i):
            raise InputError(f"segment {i} of {doc.id!r} has parent {s.parent}, outside 0..{n - 1}")
        if not (0 <= s.start <= s.end <= len(doc.text)):
            raise InputError(f"segment {i} of {doc.id!r} has offsets {s.start}..{s.end} outside the text")


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (complete_statement knows about ';' in strings)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out

"""SQLite store of an index directory: documents, segments, embedding cache.

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

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import IndexDamaged, IndexNotFound, InputError, TracerError
from ..index.layout import DB_NAME
from ..text.hashing import content_hash
from ..types import Document, Segment
from .embeddings import EmbeddingCache
from .keys import text_hash
from .rows import _SEGMENT_ROWS_SQL, SegmentRow
from .schema import MIGRATIONS, immediate, split_sql

__all__ = ["Store", "SegmentRow", "MIGRATIONS", "NeedsUpgrade", "text_hash"]


class NeedsUpgrade(TracerError):
    """The database lacks migrations, and a read-only store may not apply them."""

    @staticmethod
    def writable(path: Path) -> bool:
        """Whether this process may apply them (write the file and its folder)."""
        return os.access(path, os.W_OK) and os.access(Path(path).parent, os.W_OK)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store(EmbeddingCache):
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
        self._conn = None
        if readonly and not path.exists():
            raise IndexNotFound(f"no tracer database at {path}; run `tracer ingest` first")
        if not readonly:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                conn = self._conn = _connect_readonly(path, busy_timeout)
            else:
                conn = self._conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
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
        except sqlite3.DatabaseError as exc:
            self.close()
            if is_damage(exc):
                raise damaged(path, exc) from None
            raise

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
        with immediate(self.conn) as conn:
            yield conn

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
                    for stmt in split_sql(step):
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
            raise NeedsUpgrade(
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

    def replace_document(self, doc: Document, segments: Sequence[Segment]) -> bool:
        """Store ``doc`` in place of the stored document with its id, in one
        transaction (the old segments go; new ones get new ids, so an older
        index version never points at them). False, and nothing changed, when
        another document already holds this text."""
        with self.transaction() as conn:
            other = conn.execute("SELECT 1 FROM documents WHERE content_hash = ? AND id != ? LIMIT 1",
                                 (content_hash(doc.text), doc.id)).fetchone()
            if other:
                return False
            conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
            return self._insert(conn, doc, segments)

    def stored_content_hash(self, id: str) -> str | None:
        """The content hash of the stored document ``id`` (None when there is none)."""
        row = self.conn.execute("SELECT content_hash FROM documents WHERE id = ?", (id,)).fetchone()
        return row[0] if row else None

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

    def max_segment_id(self) -> int:
        """The highest segment id ever stored (0 for none): segments stored
        later get higher ids, so it marks what was stored up to now."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'segments'").fetchone()
        return int(row[0]) if row else 0

    def iter_segment_keys(self, batch: int = 10_000, upto: int | None = None) -> Iterator[tuple[int, str, str]]:
        """All segments (with ``upto``: those with ids up to it) as
        ``(id, text_hash, lang)`` in id order (no texts: what a build needs to
        assemble vectors)."""
        last = -1
        upto = (1 << 62) if upto is None else upto
        while True:
            rows = self.conn.execute(
                "SELECT id, text_hash, lang FROM segments WHERE id > ? AND id <= ? ORDER BY id LIMIT ?",
                (last, upto, batch),
            ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    def iter_segment_places(self, batch: int = 10_000) -> Iterator[tuple[int, str, str, int]]:
        """All segments as ``(id, doc_id, kind, words)`` in id order (which document,
        sentence / quote / window / passage, and about how many words: what
        syndication links need)."""
        last = -1
        while True:
            rows = self.conn.execute(
                "SELECT id, doc_id, kind, length(trim(text)) - length(replace(trim(text), ' ', '')) + 1 "
                "FROM segments WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
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


def is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error means the database file itself is broken."""
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def damaged(path: Path, exc: BaseException) -> IndexDamaged:
    """The error for a tracer.db that is not (or no longer) a database."""
    return IndexDamaged(f"index damaged: {path} is not a readable tracer database ({exc}); restore it from a "
                        "backup, or ingest the documents again into a new index and `tracer build`")


def _connect_readonly(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that never writes, also in a folder this process cannot write."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
    # A WAL database needs its shared-memory file, which only a writer of the
    # folder can create; when nobody may write here, nobody changes the file
    # while we read it either, so SQLite may read it as immutable.
    return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=timeout, isolation_level=None)


def _check_segments(doc: Document, segments: Sequence[Segment]) -> None:
    n = len(segments)
    for i, s in enumerate(segments):
        if s.parent is not None and not (0 <= s.parent < n and s.parent != i):
            raise InputError(f"segment {i} of {doc.id!r} has parent {s.parent}, outside 0..{n - 1}")
        if not (0 <= s.start <= s.end <= len(doc.text)):
            raise InputError(f"segment {i} of {doc.id!r} has offsets {s.start}..{s.end} outside the text")

"""What the fetcher remembers between runs: ``<index>/fetch/state.db`` (SQLite).

- ``urls``: every feed, sitemap and page URL fetched, with its ETag /
  Last-Modified (for conditional requests) and the document it gave;
- ``contents``: a hash of each extracted text, so a story syndicated under
  several URLs becomes one document;
- ``document_urls``: every URL a document was found at (the syndication links);
- ``spool``: documents fetched but not yet confirmed stored in the index.

Each page is recorded in one transaction (validators + content + link +
spool row), so a crash never leaves a URL marked as fetched without its
document: either both are there or neither. A spooled document stays until
``acknowledge`` says the store has it, so a run killed between fetch and
ingest hands the document over on the next run instead of losing it behind a
304.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..store.schema import immediate
from ..text.hashing import layout_free_hash
from ..types import Document

STATE_DB = "state.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    doc_id TEXT,
    first_seen TEXT NOT NULL,
    last_fetched TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contents (
    content_key TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_urls (
    doc_id TEXT NOT NULL,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (doc_id, url)
);
CREATE INDEX IF NOT EXISTS document_urls_url ON document_urls(url);
CREATE TABLE IF NOT EXISTS spool (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    document TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class UrlInfo:
    url: str
    source: str
    etag: str | None
    last_modified: str | None
    doc_id: str | None
    first_seen: str
    last_fetched: str

    def age_hours(self) -> float:
        """Hours since the URL was first fetched."""
        first = datetime.fromisoformat(self.first_seen)
        return (datetime.now(timezone.utc) - first).total_seconds() / 3600


@dataclass(frozen=True)
class PageOutcome:
    doc_id: str
    new: bool  # False: the text was already known (a duplicate or syndicated copy)


class FetchState:
    """The fetch state of one index directory."""

    def __init__(self, state_dir: str | Path) -> None:
        self.dir = Path(state_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / STATE_DB
        self._conn = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        with self._tx() as conn:
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    conn.execute(stmt)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> "FetchState":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self):
        return immediate(self._conn)

    # --- URLs -------------------------------------------------------------------

    def url_info(self, url: str) -> UrlInfo | None:
        row = self._conn.execute(
            "SELECT url, source, etag, last_modified, doc_id, first_seen, last_fetched FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        return UrlInfo(*row) if row else None

    def record_listing(self, url: str, source: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a feed's or sitemap's validators (call once all its items were handled)."""
        now = _now()
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO urls(url, source, etag, last_modified, first_seen, last_fetched) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
                " last_fetched = excluded.last_fetched",
                (url, source, etag, last_modified, now, now),
            )

    def touch(self, url: str) -> None:
        """A conditional request answered 304: only the check time changes."""
        with self._tx() as conn:
            conn.execute("UPDATE urls SET last_fetched = ? WHERE url = ?", (_now(), url))

    def record_page(
        self, urls: Iterable[str], source: str, doc: Document, etag: str | None, last_modified: str | None
    ) -> PageOutcome:
        """Store a fetched page's outcome atomically.

        ``urls`` are the requested URL and the final one after redirects; all
        of them are linked to the document. A text seen before (under any
        URL, from any source) links to the existing document instead of
        spooling a new one.
        """
        urls = list(dict.fromkeys(urls))
        key = layout_free_hash(doc.text)
        now = _now()
        with self._tx() as conn:
            hit = conn.execute("SELECT doc_id FROM contents WHERE content_key = ?", (key,)).fetchone()
            if hit:
                doc_id, new = hit[0], False
            else:
                doc_id, new = doc.id, True
                conn.execute(
                    "INSERT INTO contents(content_key, doc_id, first_seen) VALUES (?, ?, ?)", (key, doc_id, now)
                )
                conn.execute(
                    "INSERT OR REPLACE INTO spool(doc_id, source, document, fetched_at) VALUES (?, ?, ?, ?)",
                    (doc_id, source, json.dumps(asdict(doc), ensure_ascii=False), now),
                )
            for n, url in enumerate(urls):
                # Validators are sent again with the requested URL (the first one) next time.
                tag, mod = (etag, last_modified) if n == 0 else (None, None)
                conn.execute(
                    "INSERT INTO urls(url, source, etag, last_modified, doc_id, first_seen, last_fetched)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                    " last_modified = excluded.last_modified, doc_id = excluded.doc_id,"
                    " last_fetched = excluded.last_fetched",
                    (url, source, tag, mod, doc_id, now, now),
                )
                conn.execute(
                    "INSERT OR IGNORE INTO document_urls(doc_id, url, source, first_seen) VALUES (?, ?, ?, ?)",
                    (doc_id, url, source, now),
                )
        return PageOutcome(doc_id, new)

    def record_unusable(self, url: str, source: str, etag: str | None, last_modified: str | None) -> None:
        """A page that answered but holds no article text: remember it so it is
        not downloaded again every night (a conditional request still notices a change)."""
        now = _now()
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO urls(url, source, etag, last_modified, doc_id, first_seen, last_fetched)"
                " VALUES (?, ?, ?, ?, NULL, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, last_fetched = excluded.last_fetched",
                (url, source, etag, last_modified, now, now),
            )

    # --- documents ----------------------------------------------------------------

    def urls_of(self, doc_id: str) -> list[str]:
        """Every URL where this document's text was found (syndication links)."""
        rows = self._conn.execute(
            "SELECT url FROM document_urls WHERE doc_id = ? ORDER BY first_seen, url", (doc_id,)
        )
        return [r[0] for r in rows]

    def pending(self) -> list[Document]:
        """Fetched documents not yet acknowledged as stored, oldest first."""
        rows = self._conn.execute("SELECT document FROM spool ORDER BY fetched_at, rowid")
        return [Document(**json.loads(r[0])) for r in rows]

    def acknowledge(self, doc_ids: Iterable[str]) -> int:
        """Drop spooled documents the index now holds; returns how many."""
        ids = list(doc_ids)
        if not ids:
            return 0
        with self._tx() as conn:
            before = conn.total_changes
            conn.executemany("DELETE FROM spool WHERE doc_id = ?", [(i,) for i in ids])
            return conn.total_changes - before

    def counts(self) -> dict[str, int]:
        """Sizes of the state tables, for status output."""
        out = {}
        for table in ("urls", "contents", "document_urls", "spool"):
            out[table] = self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return out

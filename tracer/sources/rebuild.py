"""`tracer rebuild`: the nightly job — fetch → ingest → build → record.

The whole run holds the index's rebuild lock (``IndexVersions.lock``, an
``flock`` the kernel drops when the holder dies, so a lock left by a killed
run is stale by construction and simply taken over; the report says so).
Crash safety comes from each stage being atomic on its own: fetched pages
are recorded with their documents in one transaction and spooled until the
store confirms them (``state.py``); the store adds each document in one
transaction; a build writes a new version beside the serving one and
switches ``CURRENT`` by rename (``build.py``, ``index/versions.py``). So a
kill at any moment leaves the previous version serving, and the next run
picks up the spool, deletes the dead build's temp directory, marks the dead
run's record ``crashed`` and carries on — no manual step.

Exit codes (``RebuildReport.exit_code``): 0 ok, 1 partial (some sources or
pages failed; the index was still rebuilt), 3 failed: every source failed
(what is stored is still built; the night is no success) or an index
problem (nothing was published; the previous version keeps serving), 75
another rebuild holds the lock (``RebuildBusy``).
"""
from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..encoders.base import Encoder
from ..errors import TracerError
from ..index.layout import IndexDir
from ..index.versions import LockInfo, pid_alive, read_lock_info
from ..types import Document, IngestReport

from .config import SourceConfig, load_sources
from .fetch import FetchReport, fetch
from .http import HttpFetcher
from .records import RunRecords, iso, rebuild_status, utcnow  # noqa: F401 (rebuild_status: re-exported)
from .state import FetchState

ProgressFn = Callable[[str, int, int], None]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_INDEX = 3
EXIT_FAILED = EXIT_INDEX  # every source failed: nothing fresh, like an index problem
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
MAX_LISTED_NEW = 500  # new documents listed by name in a run record


def _noop(stage: str, done: int, total: int) -> None:
    return None


class RebuildBusy(TracerError):
    """Another rebuild (or fetch) holds the index's rebuild lock."""

    exit_code = EXIT_BUSY


@dataclass(frozen=True)
class IndexParts:
    """What a fetch or rebuild works on: one index directory, its store, encoder and settings."""

    index: IndexDir
    store: Any  # tracer.store.Store; None when the index has none yet (nothing was ever ingested)
    encoder: Encoder
    settings: Settings


# --- the lock -----------------------------------------------------------------------


@dataclass(frozen=True)
class HeldLock:
    info: LockInfo
    stale_note: str | None  # set when a dead process's lock was taken over


@contextmanager
def hold_rebuild_lock(index: IndexDir, timeout: float = 0.0) -> Iterator[HeldLock]:
    """Hold the rebuild lock of ``index`` or raise ``RebuildBusy``."""
    versions = index.versions
    left_behind = read_lock_info(versions.lock_path)  # a clean release empties the file
    with ExitStack() as stack:
        try:
            info = stack.enter_context(versions.lock(timeout=timeout))
        except TracerError as exc:
            raise RebuildBusy(f"{exc}; not starting (try again later)") from None
        note = None
        # A clean release empties the file; content from a process that is gone
        # means it died holding the lock (the kernel released the flock).
        if left_behind is not None and not (left_behind.hostname == socket.gethostname()
                                            and pid_alive(left_behind.pid)):
            note = f"cleared a stale rebuild lock left by {left_behind.describe()}: that process is gone"
        yield HeldLock(info, note)


# --- fetch + ingest -----------------------------------------------------------------


@dataclass(frozen=True)
class FetchIngestResult:
    fetch: FetchReport
    ingest: IngestReport
    new_documents: tuple[Document, ...]
    seconds_fetch: float
    seconds_ingest: float

    @property
    def errors(self) -> list[str]:
        return self.fetch.errors

    @property
    def status(self) -> str:
        """"failed" when every source failed, "partial" when any source or page did, else "ok"."""
        return fetch_status(self.fetch)

    def summary_line(self) -> str:
        failed = self.fetch.failed_sources
        return (
            f"tracer-fetch status={self.status} sources={len(self.fetch.sources)} sources_failed={len(failed)} "
            f"docs_new={len(self.new_documents)} requests={self.fetch.requests} errors={len(self.errors)} "
            f"seconds={self.seconds_fetch + self.seconds_ingest:.1f}"
        )

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(self.status, EXIT_FAILED)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            **self.fetch.to_dict(),
            "docs_new": len(self.new_documents),
            "new_documents": [_doc_summary(d) for d in self.new_documents[:MAX_LISTED_NEW]],
            "ingested": asdict(self.ingest),
        }


def fetch_status(report: FetchReport) -> str:
    """"failed" when every source failed, "partial" when any source or page did, else "ok"."""
    failed = report.failed_sources
    if report.sources and len(failed) == len(report.sources):
        return "failed"
    return "partial" if failed or report.errors else "ok"


def fetch_and_ingest(
    parts: IndexParts, sources: Sequence[SourceConfig], *, fetcher: HttpFetcher | None = None,
    progress: ProgressFn = _noop
) -> FetchIngestResult:
    """Fetch ``sources`` into the index's store (no build); the caller holds the lock."""
    from ..ingest import store_documents

    t0 = time.perf_counter()
    state_dir = parts.index.fetch_dir
    report = fetch(sources, state_dir, fetcher=fetcher, progress=progress)
    t1 = time.perf_counter()
    store = parts.store
    candidates = [d for d in report.documents if not store.has_document(d.id)]
    ingest = store_documents(store, report.documents, progress=progress)
    new = tuple(d for d in candidates if store.has_document(d.id))
    by_id = {d.id: d for d in report.documents}
    # A spooled document is done once the store holds it, under its id or (same
    # text arriving from a local file first) under another one.
    done = [i for i in report.spooled if store.has_document(i) or store.has_content(by_id[i].text)]
    with FetchState(state_dir) as state:
        state.acknowledge(done)
    return FetchIngestResult(report, ingest, new, t1 - t0, time.perf_counter() - t1)


def fetch_into(
    parts: IndexParts,
    config_path: str | Path | None = None,
    *,
    only: Sequence[str] = (),
    lock_timeout: float = 0.0,
    fetcher: HttpFetcher | None = None,
    progress: ProgressFn = _noop,
) -> FetchIngestResult:
    """`tracer fetch`: fetch and ingest under the rebuild lock (a fetch and a
    rebuild never overlap, and two fetches never download the same pages)."""
    sources = load_sources(config_path).select(only)
    with hold_rebuild_lock(parts.index, lock_timeout):
        return fetch_and_ingest(parts, sources, fetcher=fetcher, progress=progress)


# --- rebuild ------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildReport:
    """The outcome of one rebuild; ``to_dict()`` is the run record's JSON (a stable contract)."""

    run_id: str
    status: str  # "ok" | "partial" | "failed" | "interrupted"
    started_at: str
    finished_at: str
    seconds: float
    fetch: bool
    config: str | None
    version: str | None  # serving version after the run
    previous_version: str | None
    built: bool  # whether a new version was published
    encoder_id: str | None
    documents: int  # documents in the store
    segments: int  # vectors in the serving version
    docs_seen: int
    docs_new: int
    embedded: int  # texts encoded in this run
    cached: int  # texts whose vectors came from the cache
    durations: dict[str, float] = field(default_factory=dict)  # seconds per stage: fetch, ingest, build
    sources: tuple[dict[str, Any], ...] = ()
    sources_failed: tuple[str, ...] = ()
    new_documents: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # recoveries and decisions worth knowing (stale lock, nothing to build)
    pid: int = 0
    host: str = ""

    @property
    def exit_code(self) -> int:
        return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(self.status, EXIT_INDEX)

    def summary_line(self) -> str:
        """One line for logs and monitoring (key=value, no spaces inside values)."""
        return (
            f"tracer-rebuild status={self.status} version={self.version or '-'} docs_new={self.docs_new} "
            f"segments={self.segments} embedded={self.embedded} seconds={self.seconds:.1f} "
            f"errors={len(self.errors)} sources_failed={len(self.sources_failed)} exit={self.exit_code}"
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["exit_code"] = self.exit_code
        out["summary"] = self.summary_line()
        return out


def busy_summary_line(command: str = "rebuild") -> str:
    """The monitoring line for a run that did not start because another one holds the lock."""
    return f"tracer-{command} status=busy exit={EXIT_BUSY}"


def rebuild(
    parts: IndexParts,
    config_path: str | Path | None = None,
    fetch: bool = False,
    *,
    only: Sequence[str] = (),
    force: bool = False,
    lock_timeout: float = 0.0,
    fetcher: HttpFetcher | None = None,
    progress: ProgressFn = _noop,
) -> RebuildReport:
    """Run one rebuild of the index and record it.

    With ``fetch``, the sources of ``config_path`` (all enabled ones, or the
    ``only`` names) are fetched and ingested first. The index is rebuilt when
    anything changed (or with ``force``). Raises ``RebuildBusy`` when another
    rebuild holds the lock and ``InputError`` for a bad sources file; every
    other outcome, failures included, is a returned report (and a record in
    ``<index>/rebuilds/``).
    """
    sources = load_sources(config_path).select(only) if fetch else ()  # a bad config fails before anything
    with hold_rebuild_lock(parts.index, lock_timeout) as held:
        return _run(parts, held, sources, fetch, config_path, force, fetcher, progress)


def _run(parts: IndexParts, held: HeldLock, sources, do_fetch: bool, config_path, force: bool, fetcher,
         progress) -> RebuildReport:
    from ..index.build import build_index

    started = utcnow()
    t0 = time.perf_counter()
    records = RunRecords(parts.index)
    record_path = records.new_path(started)
    versions = parts.index.versions
    notes: list[str] = []
    errors: list[str] = []
    durations: dict[str, float] = {}
    if held.stale_note:
        notes.append(held.stale_note)
    crashed = records.mark_crashed(os.getpid())
    if crashed:
        notes.append(f"earlier run(s) {', '.join(crashed)} had stopped without finishing; recovered")
    recovery = versions.recover()
    if recovery.removed:
        notes.append(f"removed leftovers of an interrupted build: {', '.join(recovery.removed)}")
    if recovery.repointed:
        notes.append(f"CURRENT was missing or dangling; now points at {recovery.current}")
    previous = recovery.current
    state: dict[str, Any] = {
        "run_id": record_path.stem, "status": "running", "started_at": iso(started), "finished_at": None,
        "seconds": 0.0, "fetch": do_fetch, "config": str(config_path) if config_path else None,
        "version": previous, "previous_version": previous, "built": False, "encoder_id": None,
        "documents": 0, "segments": 0, "docs_seen": 0, "docs_new": 0, "embedded": 0, "cached": 0,
        "durations": durations, "sources": (), "sources_failed": (), "new_documents": (),
        "errors": errors, "notes": notes, "pid": os.getpid(), "host": socket.gethostname(),
    }
    records.write(record_path, _jsonable(state))
    status = "ok"
    try:
        if do_fetch:
            # Every source failed: still build what is stored, but the night failed.
            status = _fetch_stage(parts, sources, fetcher, progress, state)
        t = time.perf_counter()
        if parts.store is None:
            parts.index.require_store()  # raises IndexNotFound: recorded as this run's failure
        if force or _needs_build(parts):
            # this run already holds the rebuild lock for its whole duration
            built = build_index(parts.index, parts.store, parts.encoder, parts.settings, progress=progress,
                                lock=False)
            state.update(version=built.version, built=True, embedded=built.embedded, cached=built.cached,
                         segments=built.segments)
        else:
            notes.append(f"nothing new to embed: {previous} stays current")
            state["segments"] = int(versions.manifest().get("count", 0))
        durations["build"] = round(time.perf_counter() - t, 3)
        state["encoder_id"] = parts.encoder.id
        state["documents"] = parts.store.document_count()
    except TracerError as exc:
        status = "failed"
        errors.append(str(exc))
    except BaseException as exc:
        # Interrupted (Ctrl-C, SIGTERM turned into an exception) or a bug: record it, then let it propagate.
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        errors.append("interrupted" if status == "interrupted" else f"internal error: {type(exc).__name__}: {exc}")
        _finish(records, record_path, state, status, started, t0)
        raise
    report = _finish(records, record_path, state, status, started, t0)
    return report


def _fetch_stage(parts: IndexParts, sources, fetcher, progress, state: dict[str, Any]) -> str:
    """Fetch and ingest into ``state``; the fetch's status ("ok", "partial", "failed")."""
    errors, durations = state["errors"], state["durations"]
    try:
        result = fetch_and_ingest(parts, sources, fetcher=fetcher, progress=progress)
    except TracerError:
        raise
    except Exception as exc:  # e.g. an unreadable fetch state: say so, still build what is stored
        errors.append(f"fetch failed: {type(exc).__name__}: {exc}")
        return "failed"
    durations["fetch"] = round(result.seconds_fetch, 3)
    durations["ingest"] = round(result.seconds_ingest, 3)
    errors.extend(result.errors)
    if result.status == "failed":
        errors.append(f"every source failed ({len(result.fetch.sources)}): nothing new was fetched")
    state.update(
        sources=tuple(asdict(s) for s in result.fetch.sources),
        sources_failed=tuple(result.fetch.failed_sources),
        docs_seen=result.ingest.documents,
        docs_new=len(result.new_documents),
        new_documents=tuple(_doc_summary(d) for d in result.new_documents[:MAX_LISTED_NEW]),
    )
    return result.status


def _finish(records: RunRecords, path: Path, state: dict[str, Any], status: str, started, t0: float) -> RebuildReport:
    if status not in ("ok", "partial"):
        current = records.index.versions.current()  # what actually serves now
        state["version"] = current[0] if current else None
    state.update(status=status, finished_at=iso(utcnow()), seconds=round(time.perf_counter() - t0, 3))
    state["durations"] = dict(state["durations"])
    report = RebuildReport(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in state.items()})
    records.write(path, report.to_dict(), last=True)
    records.prune()
    return report


def _needs_build(parts: IndexParts) -> bool:
    """Whether the store holds anything the serving version lacks."""
    from ..index.build import needs_build

    return needs_build(parts.index, parts.store, parts.encoder.id, parts.settings)


def _doc_summary(d: Document) -> dict[str, Any]:
    return {"id": d.id, "source": d.source, "lang": d.lang, "kind": d.kind, "title": d.title, "url": d.url,
            "date": d.date}


def _jsonable(state: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in state.items()}

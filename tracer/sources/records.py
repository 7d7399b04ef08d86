"""Rebuild run records: ``<index>/rebuilds/<timestamp>.json`` and ``<index>/last_rebuild.json``.

A record is written when a run starts (status ``running``, with its pid) and
rewritten when it ends, always atomically (temp file, fsync, rename). A run
killed half-way leaves its ``running`` record behind; the next run, or
``rebuild_status``, sees that the pid is gone and calls it ``crashed``, so
monitoring learns about a dead night without anyone reading logs.
"""
from __future__ import annotations

import json
import os
import re
import socket
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..index.layout import IndexDir
from ..index.versions import pid_alive

KEEP_RECORDS = 90  # about three months of nightly runs

_NAME_RE = re.compile(r"^(\d{8}T\d{6}\.\d{3}Z)(?:-(\d+))?\.json$")
FINISHED_OK = ("ok", "partial")  # runs after which the index is fresh


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None




class RunRecords:
    """The rebuild records of one index directory."""

    def __init__(self, index: IndexDir) -> None:
        self.index = index
        self.dir = index.records_dir
        self.last_path = index.last_record

    def _sorted_paths(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        found = []
        for p in self.dir.iterdir():
            m = _NAME_RE.match(p.name)
            if m:
                found.append(((m.group(1), int(m.group(2) or 0)), p))
        return [p for _, p in sorted(found)]

    def new_path(self, started: datetime) -> Path:
        """A fresh record file name for a run starting at ``started`` (UTC)."""
        # Milliseconds keep names unique and in run order when sorted as plain strings.
        utc = started.astimezone(timezone.utc)
        stamp = utc.strftime("%Y%m%dT%H%M%S") + f".{utc.microsecond // 1000:03d}Z"
        path = self.dir / f"{stamp}.json"
        n = 0
        while path.exists():
            n += 1
            path = self.dir / f"{stamp}-{n}.json"
        return path

    def write(self, path: Path, record: dict[str, Any], *, last: bool = False) -> None:
        write_json_atomic(path, record)
        if last:
            write_json_atomic(self.last_path, record)

    def latest(self) -> dict[str, Any] | None:
        """The newest record, with a dead ``running`` run shown as ``crashed``."""
        for path in reversed(self._sorted_paths()):
            rec = _read(path)
            if rec is not None:
                return _with_liveness(rec)
        return _read(self.last_path)

    def last_finished_ok(self) -> dict[str, Any] | None:
        for path in reversed(self._sorted_paths()):
            rec = _read(path)
            if rec is not None and rec.get("status") in FINISHED_OK:
                return rec
        return None

    def mark_crashed(self, own_pid: int | None = None) -> list[str]:
        """Rewrite ``running`` records of processes that are gone as ``crashed``;
        returns their run ids. Called by a run that holds the rebuild lock, so no
        other rebuild can be running."""
        marked = []
        for path in self._sorted_paths():
            rec = _read(path)
            if rec is None or rec.get("status") != "running":
                continue
            pid = int(rec.get("pid") or -1)
            same_host = rec.get("host") in (None, socket.gethostname())
            if pid == own_pid or (same_host and pid_alive(pid)):
                continue
            rec["status"] = "crashed"
            rec["errors"] = list(rec.get("errors") or []) + [
                "the run stopped without finishing (killed or crashed); the previous index version kept serving"
            ]
            write_json_atomic(path, rec)
            marked.append(str(rec.get("run_id") or path.stem))
        return marked

    def prune(self, keep: int = KEEP_RECORDS) -> None:
        paths = self._sorted_paths()
        for path in paths[: max(0, len(paths) - keep)]:
            path.unlink(missing_ok=True)


def _with_liveness(rec: dict[str, Any]) -> dict[str, Any]:
    if rec.get("status") == "running":
        pid = int(rec.get("pid") or -1)
        if rec.get("host") in (None, socket.gethostname()) and not pid_alive(pid):
            return {**rec, "status": "crashed"}
    return rec


def _age_hours(stamp: str | None, now: datetime) -> float | None:
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (now - when).total_seconds() / 3600


def rebuild_status(index: IndexDir, max_age_hours: float = 36.0) -> dict[str, Any]:
    """The last rebuild's result and age, for ``tracer status`` and monitoring.

    Keys: ``last_rebuild`` (summary of the newest run record, or None),
    ``last_rebuild_age_hours``, ``last_success_at``, ``index_built_at``,
    ``index_age_hours``, ``running`` (who holds the rebuild lock, or None),
    ``max_age_hours``, ``stale`` (the index is older than ``max_age_hours``)
    and ``warnings`` (sentences for a person).
    """
    now = utcnow()
    records = RunRecords(index)
    last = records.latest()
    ok = records.last_finished_ok()
    versions = index.versions
    built_at = None
    damage = None
    try:
        current = index.current()
        if current is not None:
            built_at = current.manifest.get("created_at") or current.manifest.get("built_at")
            current.check_files()
    except Exception as exc:  # a damaged version: lookups will refuse it, so say so here too
        damage = str(exc)
    holder = versions.lock_holder() if versions.lock_path.exists() else None
    summary = None
    if last is not None:
        summary = {k: last.get(k) for k in (
            "run_id", "status", "started_at", "finished_at", "seconds", "version", "docs_new",
            "segments", "fetch", "sources_failed", "exit_code",
        )}
        summary["errors"] = len(last.get("errors") or [])
        summary["first_error"] = (last.get("errors") or [None])[0]
    index_age = _age_hours(built_at, now)
    last_age = _age_hours(last.get("finished_at") or last.get("started_at"), now) if last else None
    warnings = [damage] if damage else []
    stale = index_age is not None and index_age > max_age_hours
    if built_at is None:
        warnings.append("no index has been built yet")
    elif stale:
        warnings.append(
            f"the index is {index_age:.0f} hours old (more than {max_age_hours:g}): check the nightly rebuild"
        )
    if last is not None and last.get("status") in ("failed", "crashed", "interrupted"):
        first = summary["first_error"] if summary else None
        warnings.append(f"the last rebuild {last['status']}" + (f": {first}" if first else ""))
    elif last is not None and last.get("status") == "partial":
        n = len(last.get("sources_failed") or [])
        warnings.append(f"the last rebuild was partial ({n} source(s) failed, {summary['errors']} error(s))")
    return {
        "last_rebuild": summary,
        "last_rebuild_age_hours": None if last_age is None else round(last_age, 2),
        "last_success_at": (ok or {}).get("finished_at"),
        "index_built_at": built_at,
        "index_age_hours": None if index_age is None else round(index_age, 2),
        "running": holder.__dict__ if holder is not None else None,
        "max_age_hours": max_age_hours,
        "stale": stale,
        "warnings": warnings,
    }

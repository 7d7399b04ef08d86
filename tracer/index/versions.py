"""Atomic index versions: build into a temp dir, publish by renaming, switch
a pointer file; plus the rebuild lock.

Layout under the index root::

    CURRENT                 name of the serving version ("v000003\\n")
    rebuild.lock            flock'ed while a rebuild runs; holds pid, host, start
    versions/v000003/       complete versions: index files + manifest.json
    versions/.tmp-<pid>-<ns>/  a build in progress (or left by a crash)

Every step of ``commit`` is atomic on POSIX (``rename``, ``os.replace``)
and fsynced before the next, so after a crash at any point readers see
either the previous version or the new one, never a partial one. A
version directory without ``manifest.json`` is never served.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import IndexNotFound, TracerError

try:  # POSIX only; the lock needs it, the rest works without
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
POINTER = "CURRENT"
LOCK_FILE = "rebuild.lock"
REQUIRED_FIELDS = ("encoder_id", "dim", "count", "index_type")

_VERSION_RE = re.compile(r"^v(\d{6,})$")
_TMP_RE = re.compile(r"^\.tmp-(\d+)-\d+$")
_TRASH_RE = re.compile(r"^\.trash-.+-(\d+)$")
_POINTER_TMP_RE = re.compile(r"^CURRENT\.(\d+)\.tmp$")


@dataclass(frozen=True)
class LockInfo:
    """Who holds (or held) the rebuild lock."""

    pid: int
    hostname: str
    started_at: str  # ISO 8601, UTC

    def describe(self) -> str:
        host = "" if self.hostname == socket.gethostname() else f" on {self.hostname}"
        return f"pid {self.pid}{host}, started {self.started_at}"


@dataclass(frozen=True)
class RecoveryReport:
    removed: tuple[str, ...]  # stale temp / trash entries deleted
    current: str | None  # the serving version after recovery
    repointed: bool  # CURRENT was missing or dangling and was rewritten


class IndexVersions:
    """The versions of the vector index under ``root`` (an index directory)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.versions_dir = self.root / "versions"
        self.pointer = self.root / POINTER
        self.lock_path = self.root / LOCK_FILE

    # --- writing a version ------------------------------------------------

    def begin(self) -> Path:
        """A fresh, empty directory to build the next version in."""
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.versions_dir / f".tmp-{os.getpid()}-{time.time_ns()}"
        tmp.mkdir()
        return tmp

    def abort(self, tmp: Path) -> None:
        """Throw away a build started with ``begin`` (after an error)."""
        shutil.rmtree(tmp, ignore_errors=True)

    def commit(self, tmp: Path, manifest: dict[str, Any]) -> str:
        """Publish the build in ``tmp`` as the next version and make it current.

        ``manifest`` must hold at least encoder_id, dim, count and index_type;
        ``version`` and ``created_at`` are added. Returns the version name.
        """
        tmp = Path(tmp)
        if tmp.parent.resolve() != self.versions_dir.resolve() or not _TMP_RE.match(tmp.name):
            raise ValueError(f"{tmp} was not created by begin()")
        missing = [f for f in REQUIRED_FIELDS if f not in manifest]
        if missing:
            raise ValueError(f"manifest lacks {', '.join(missing)}")
        files = _fsync_tree(tmp)
        while True:
            name = _version_name(self._max_number() + 1)
            data = {
                **manifest,
                "version": name,
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "files": files,
            }
            _write_durably(tmp / MANIFEST, json.dumps(data, indent=2, ensure_ascii=False).encode())
            _fsync_dir(tmp)
            target = self.versions_dir / name
            if target.exists():  # a concurrent commit took the number
                continue
            try:
                os.rename(tmp, target)
            except OSError as e:
                if e.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    continue
                raise
            break
        _fsync_dir(self.versions_dir)
        self._point_to(name)
        return name

    def _point_to(self, name: str | None) -> None:
        if name is None:
            self.pointer.unlink(missing_ok=True)
        else:
            tmp = self.root / f"{POINTER}.{os.getpid()}.tmp"
            _write_durably(tmp, f"{name}\n".encode())
            os.replace(tmp, self.pointer)
        _fsync_dir(self.root)

    # --- reading ----------------------------------------------------------

    def list_versions(self) -> list[str]:
        """Complete versions (with a manifest), oldest first."""
        if not self.versions_dir.is_dir():
            return []
        names = [
            p.name
            for p in self.versions_dir.iterdir()
            if _VERSION_RE.match(p.name) and (p / MANIFEST).is_file()
        ]
        return sorted(names, key=_number)

    def _pointer_target(self) -> str | None:
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if _VERSION_RE.match(name) and (self.versions_dir / name / MANIFEST).is_file():
            return name
        return None

    def current(self) -> tuple[str, Path] | None:
        """The serving version ``(name, dir)``, or None before the first build.

        When CURRENT is missing or points at a version that is gone, the
        newest complete version serves (``recover`` rewrites the pointer).
        """
        name = self._pointer_target()
        if name is None:
            versions = self.list_versions()
            if not versions:
                return None
            name = versions[-1]
        return name, self.versions_dir / name

    def manifest(self, version: str | None = None) -> dict[str, Any]:
        """The manifest of ``version`` (default: the current one)."""
        if version is None:
            cur = self.current()
            if cur is None:
                raise IndexNotFound(f"no index has been built in {self.root}; run `tracer build`")
            version = cur[0]
        path = self.versions_dir / version / MANIFEST
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexNotFound(f"index version {version} does not exist in {self.root}") from None

    # --- housekeeping -----------------------------------------------------

    def prune(self, keep: int = 3) -> list[str]:
        """Delete all but the newest ``keep`` versions; never the current one.
        Returns the names removed."""
        if keep < 1:
            raise ValueError("keep must be at least 1")
        cur = self.current()
        current = cur[0] if cur else None
        versions = self.list_versions()
        doomed = [v for v in versions[: max(0, len(versions) - keep)] if v != current]
        for name in doomed:
            # Rename first: a half-deleted directory must never look like a version.
            trash = self.versions_dir / f".trash-{name}-{os.getpid()}"
            os.rename(self.versions_dir / name, trash)
            shutil.rmtree(trash, ignore_errors=True)
        return doomed

    def recover(self) -> RecoveryReport:
        """Clean up after crashed builds: delete temp and trash directories of
        processes that are gone, and repoint CURRENT at the newest complete
        version if it is missing or dangling."""
        removed: list[str] = []
        candidates: list[tuple[Path, re.Pattern[str]]] = []
        if self.versions_dir.is_dir():
            candidates += [(p, _TMP_RE) for p in self.versions_dir.iterdir()]
            candidates += [(p, _TRASH_RE) for p in self.versions_dir.iterdir()]
        if self.root.is_dir():
            candidates += [(p, _POINTER_TMP_RE) for p in self.root.iterdir()]
        for path, pattern in candidates:
            m = pattern.match(path.name)
            if not m or not path.exists():
                continue
            pid = int(m.group(1))
            if pid == os.getpid() or pid_alive(pid):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
        repointed = False
        if self._pointer_target() is None:
            versions = self.list_versions()
            newest = versions[-1] if versions else None
            if newest is not None or self.pointer.exists():
                self._point_to(newest)
                repointed = True
        cur = self.current()
        return RecoveryReport(tuple(removed), cur[0] if cur else None, repointed)

    def _max_number(self) -> int:
        if not self.versions_dir.is_dir():
            return 0
        numbers = [_number(p.name) for p in self.versions_dir.iterdir() if _VERSION_RE.match(p.name)]
        return max(numbers, default=0)

    # --- rebuild lock -----------------------------------------------------

    @contextmanager
    def lock(self, timeout: float = 0) -> Iterator[LockInfo]:
        """Hold the rebuild lock of this index for the ``with`` block.

        The lock is an ``flock`` on ``rebuild.lock``: the kernel releases it
        when the holder dies (even ``kill -9``), so a lock left by a dead
        process is stale by construction and is simply taken over. The file
        records pid, host and start time for the error message. Waits up to
        ``timeout`` seconds, then raises ``TracerError``.

        Not re-entrant: a second ``lock()`` in the same process (any thread)
        is refused like another process's.
        """
        if fcntl is None:  # pragma: no cover
            raise TracerError("the rebuild lock needs a POSIX system")
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TracerError(_busy_message(read_lock_info(self.lock_path))) from None
                    time.sleep(min(0.1, remaining))
            info = LockInfo(
                os.getpid(),
                socket.gethostname(),
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )
            # Whatever the file held came from a holder that is gone: overwrite it.
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info.__dict__).encode(), 0)
            os.fsync(fd)
            try:
                yield info
            finally:
                # Keep the file (unlinking a flock'ed file races with waiters);
                # empty it so nobody mistakes us for a running rebuild.
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def lock_holder(self) -> LockInfo | None:
        """Who runs a rebuild right now, or None (the lock is free)."""
        if fcntl is None or not self.lock_path.exists():  # pragma: no cover
            return None
        fd = os.open(self.lock_path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return read_lock_info(self.lock_path) or LockInfo(-1, "?", "?")
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)


# --- helpers ----------------------------------------------------------------


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host (zombies count as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def read_lock_info(path: Path) -> LockInfo | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(int(data["pid"]), str(data["hostname"]), str(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _busy_message(info: LockInfo | None) -> str:
    if info is None:
        return "another rebuild is running"
    note = ""
    if info.hostname == socket.gethostname() and not pid_alive(info.pid):
        # The flock is held but its recorder is gone: a child inherited the descriptor.
        note = "; that process has exited but a child of it still holds the lock"
    return f"another rebuild is running ({info.describe()}{note})"


def _version_name(number: int) -> str:
    return f"v{number:06d}"


def _number(name: str) -> int:
    return int(name[1:])


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> dict[str, int]:
    """fsync every file and directory under ``root``; returns relative path -> size."""
    files: dict[str, int] = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if rel == MANIFEST:
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            files[rel] = path.stat().st_size
        _fsync_dir(Path(dirpath))
    return dict(sorted(files.items()))

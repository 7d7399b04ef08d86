"""The index the web app serves, and switching to a newly published version without a restart.

A :class:`Lane` is one worker thread that owns one ``Tracer``: a Tracer's
SQLite connection may only be used on the thread that opened it, so every
call into the library runs on its lane's thread. An :class:`Engine` is a
few lanes on one index version, all sharing the one loaded encoder.

:class:`ServingIndex` checks on every request whether a rebuild published a
new version: one ``stat`` of the ``CURRENT`` pointer (a rebuild replaces it
with ``os.replace``, so its inode and mtime change). When it moved, a new
Engine opens on a background thread while the old one keeps answering; the
swap is one assignment under a lock, and the old Engine closes only when
its last in-flight request is done. A version that fails to open is
reported on the Index page and the old one keeps serving.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("tracer.serve")

# A few words looked up when a lane opens, so the first real request does
# not pay for first-use work (memory-mapped pages, lazily built tables).
WARM_UP_QUERY = "warm-up query"


class Lane:
    """One worker thread and the Tracer it owns."""

    def __init__(self, name: str, open_tracer: Callable[[], Any]) -> None:
        self.name = name
        self.pending = 0  # requests queued or running here; guarded by ServingIndex's lock
        self._pool = ThreadPoolExecutor(1, thread_name_prefix=name)
        try:
            self.tracer, self.version = self._pool.submit(self._open, open_tracer).result()
        except BaseException:
            self._pool.shutdown(wait=False)
            raise

    @staticmethod
    def _open(open_tracer: Callable[[], Any]) -> tuple[Any, str]:
        tracer = open_tracer()
        try:
            lookup = tracer.lookups()
            tracer.lookup_batch([("warm-up", WARM_UP_QUERY)], k=1)
        except BaseException:
            tracer.close()
            raise
        return tracer, lookup.searcher.version.name

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Run ``fn(tracer, *args, **kwargs)`` on this lane's thread."""
        return self._pool.submit(fn, self.tracer, *args, **kwargs)

    def close(self) -> None:
        """Close the Tracer after the queued work, then end the thread."""
        self._pool.submit(self.tracer.close)
        self._pool.shutdown(wait=False)


class Engine:
    """Lanes on one index version."""

    def __init__(self, open_tracer: Callable[[], Any], workers: int, *, generation: int = 0) -> None:
        self.lanes: list[Lane] = []
        try:
            for n in range(workers):
                self.lanes.append(Lane(f"tracer-g{generation}-w{n}", open_tracer))
        except BaseException:
            for lane in self.lanes:
                lane.close()
            raise
        names = {lane.version for lane in self.lanes}
        # Lanes opened while a rebuild switched may disagree; None makes the
        # next request open a fresh Engine (each lane is consistent on its own).
        self.version: str | None = self.lanes[0].version if len(names) == 1 else None
        self.inflight = 0
        self.retired = False
        self.opened_at = time.time()

    def pick(self) -> Lane:
        return min(self.lanes, key=lambda lane: lane.pending)

    def close(self) -> None:
        for lane in self.lanes:
            lane.close()


@dataclass(frozen=True)
class SwitchInfo:
    """What the Index page says about serving and switching."""

    serving: str | None
    published: str | None
    loading: bool
    switches: int
    last_switch_at: float | None
    last_error: str | None
    workers: int


class ServingIndex:
    """The Engine requests go to, replaced when a new index version is published."""

    def __init__(self, pointer: os.PathLike, read_published: Callable[[], str | None],
                 open_engine: Callable[[int], Engine]) -> None:
        self._pointer = pointer
        self._read_published = read_published
        self._open_engine = open_engine
        self._lock = threading.Lock()
        self._active: Engine | None = None
        self._seen: tuple | None = None
        self._loading = False
        self._closed = False
        self._generation = 0
        self.switches = 0
        self.engines_closed = 0  # replaced engines closed once their last request was done
        self.last_switch_at: float | None = None
        self.last_error: str | None = None

    # -- life cycle ----------------------------------------------------------
    def start(self) -> None:
        """Open the serving version now (errors reach the caller: the server does not start)."""
        self._seen = self._pointer_key()
        self._active = self._open_engine(self._generation)

    def close(self) -> None:
        with self._lock:
            engine, self._active = self._active, None
            self._closed = True
        if engine is not None:
            engine.close()

    # -- requests --------------------------------------------------------------
    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, str | None]:
        """``fn(tracer, *args, **kwargs)`` on a lane; returns (result, the version that answered)."""
        engine, lane = self._acquire()
        try:
            return await asyncio.wrap_future(lane.submit(fn, *args, **kwargs)), lane.version
        finally:
            self._release(engine, lane)

    def _acquire(self) -> tuple[Engine, Lane]:
        self.check_for_new_version()
        with self._lock:
            engine = self._active
            if engine is None:
                raise RuntimeError("the server is shutting down")
            lane = engine.pick()
            engine.inflight += 1
            lane.pending += 1
            return engine, lane

    def _release(self, engine: Engine, lane: Lane) -> None:
        with self._lock:
            engine.inflight -= 1
            lane.pending -= 1
            done = engine.retired and engine.inflight == 0
        if done:
            self._close_retired(engine)

    def _close_retired(self, engine: Engine) -> None:
        engine.close()
        with self._lock:
            self.engines_closed += 1

    # -- switching -------------------------------------------------------------
    def _pointer_key(self) -> tuple | None:
        try:
            st = os.stat(self._pointer)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def check_for_new_version(self) -> None:
        """Start opening the published version if it is not the one serving (cheap when nothing moved)."""
        key = self._pointer_key()
        if key == self._seen:
            return
        with self._lock:
            if key == self._seen or self._loading:
                return
            self._seen = key
            try:
                published = self._read_published()
            except Exception as exc:  # a pointer being replaced, a damaged manifest: keep serving
                self.last_error = f"could not read the published version: {exc}"
                return
            if published is None or (self._active is not None and published == self._active.version):
                return
            self._loading = True
            self._generation += 1
            generation = self._generation
        threading.Thread(target=self._switch, args=(published, generation), name="tracer-switch",
                         daemon=True).start()

    def _switch(self, published: str, generation: int) -> None:
        started = time.perf_counter()
        try:
            engine = self._open_engine(generation)
        except Exception as exc:
            log.error("could not open index version %s: %s (still serving the previous one)", published, exc)
            with self._lock:
                self.last_error = f"could not open version {published}: {exc}"
                self._loading = False
            return
        with self._lock:
            if self._closed:  # the server stopped while this version opened
                self._loading = False
                engine.close()
                return
            old, self._active = self._active, engine
            self._loading = False
            self._seen = None  # look at the pointer again: it may have moved while this one opened
            self.switches += 1
            self.last_switch_at = time.time()
            self.last_error = None
            close_now = old is not None and old.inflight == 0
            if old is not None:
                old.retired = True
        log.info("now serving index version %s (opened in %.1f s)", engine.version, time.perf_counter() - started)
        if close_now:
            self._close_retired(old)

    def info(self) -> SwitchInfo:
        published = _safe(self._read_published)
        with self._lock:
            engine = self._active
            return SwitchInfo(
                serving=engine.version if engine else None,
                published=published,
                loading=self._loading,
                switches=self.switches,
                last_switch_at=self.last_switch_at,
                last_error=self.last_error,
                workers=len(engine.lanes) if engine else 0,
            )


def _safe(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:  # noqa: BLE001 - shown as unknown on the Index page
        return None

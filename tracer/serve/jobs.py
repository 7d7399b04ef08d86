"""Traces started from the Trace page: run in the background, watched by a refreshing page.

A trace takes seconds, so the page posts the article, is sent to
``/trace/jobs/<id>`` and that page reloads itself (a meta refresh: no
JavaScript needed) showing the stage and a progress bar until the report is
there. Jobs live in memory only; ids are random and unguessable, finished
jobs are forgotten after a while, and no more than ``max_jobs`` are kept.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import TracerError

STAGE_WORDS = {"queued": "waiting for a free worker", "claims": "finding the quotes and claims",
               "lookup": "looking up the claims", "report": "comparing each claim with its origin",
               "done": "done"}


class Busy(TracerError):
    """Too many traces at once."""

    status_code = 503


@dataclass
class Job:
    """One trace: its progress, then its trace, report and the report's HTML, or an error."""

    id: str
    filename: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    state: str = "queued"  # queued | running | done | failed
    stage: str = "queued"
    done: int = 0
    total: int = 0
    error: str | None = None
    version: str | None = None
    trace: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    report_html: str | None = None

    def progress(self, stage: str, done: int, total: int) -> None:
        """The library's (stage, done, total) callback; called on the lane's thread."""
        self.state, self.stage, self.done, self.total = "running", stage, done, total

    @property
    def stage_words(self) -> str:
        return STAGE_WORDS.get(self.stage, self.stage)

    @property
    def elapsed(self) -> float:
        return (self.finished or time.time()) - self.created

    @property
    def finished_ok(self) -> bool:
        return self.state == "done"


class Jobs:
    """The jobs of this process."""

    def __init__(self, max_jobs: int, ttl_seconds: float) -> None:
        self.max_jobs = max_jobs
        self.ttl = ttl_seconds
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self.tasks: set[Any] = set()  # running asyncio tasks, kept referenced until they end

    def new(self, filename: str | None = None) -> Job:
        with self._lock:
            self._forget_old()
            if len(self._jobs) >= self.max_jobs:
                raise Busy(f"{self.max_jobs} traces are running or waiting: try again in a minute")
            job = Job(secrets.token_urlsafe(18), filename=filename)
            self._jobs[job.id] = job
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _forget_old(self) -> None:
        now = time.time()
        finished = sorted((j for j in self._jobs.values() if j.finished is not None), key=lambda j: j.finished)
        for job in finished:
            if now - job.finished > self.ttl or len(self._jobs) >= self.max_jobs:
                del self._jobs[job.id]

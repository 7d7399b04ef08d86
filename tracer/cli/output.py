"""How the CLI writes: one ``render(obj, fmt)`` for every command's data, and
progress bars and summaries on stderr.

rich is imported only by what draws with it: `tracer lookup --json` (the
path scripts and pipelines use) then never loads it, which saves ~60 ms of
start-up (python -X importtime).
"""
from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

FORMATS = ("json", "jsonl", "text", "md")

if TYPE_CHECKING:  # rich is imported lazily: `tracer --help` must stay instant
    from rich.text import Text

STAGE_LABELS = {"ingest": "reading documents", "embed": "embedding segments", "hubness": "margin statistics",
                "lookup": "looking up"}


def _rate_column() -> Any:
    """A column showing items per second next to the counts."""
    from rich.progress import TextColumn
    from rich.text import Text

    class _Rate(TextColumn):
        def __init__(self) -> None:
            super().__init__("")

        def render(self, task) -> Text:  # type: ignore[override]
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")

    return _Rate()


class Reporter:
    """All user-facing output of one command invocation."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self._out: Any = None
        self._err: Any = None

    @property
    def out(self) -> Any:
        """rich Console on stdout (created on first use)."""
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=False)
        return self._out

    @property
    def err(self) -> Any:
        """rich Console on stderr: one message, one line."""
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._err

    @contextlib.contextmanager
    def progress(self) -> Iterator:
        """A (stage, done, total) callback drawing one bar per stage on stderr.

        The bars start with the first update: a command that fails before
        doing any work leaves stderr to its one-line message.
        """
        if self.quiet:
            yield lambda stage, done, total: None
            return
        bars: list[Any] = []
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if not bars:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

                columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _rate_column(),
                           TimeElapsedColumn()]
                bars.append(Progress(*columns, console=self.err, transient=False))
                bars[0].start()
            bar = bars[0]
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        try:
            yield update
        finally:
            if bars:
                bars[0].stop()

    def line(self, message: str) -> None:
        if not self.quiet:
            from rich.markup import escape

            from ..report.safe import terminal_safe

            self.err.print(escape(terminal_safe(message)))

    def ingest_summary(self, report) -> None:
        from rich.markup import escape

        from ..report.safe import terminal_safe

        for p in report.problems:
            where = f"{p.path}, line {p.line}" if p.line else p.path
            label = "error" if p.fatal else "warning"
            self.err.print(f"tracer: {label}: {escape(terminal_safe(where))}: {escape(terminal_safe(p.message))}")
        replaced = f" ({report.replaced} replaced)" if report.replaced else ""
        self.line(
            f"ingested {plural(report.documents, 'document')}, {plural(report.segments, 'new segment')}: "
            f"{report.new} new{replaced}, {report.skipped} skipped, {report.failed} failed in {report.seconds:.1f} s"
        )

    def build_summary(self, report) -> None:
        if not report.built:
            self.line(f"nothing new to embed: {report.version} stays current ({report.segments} segments; "
                      "--force writes a new version anyway)")
            return
        self.line(
            f"built {report.version}: {report.segments} segments ({report.index_type}), "
            f"{report.embedded} embedded, {report.cached} from cache in {report.seconds:.1f} s"
        )


def plural(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def jsonable(obj: Any) -> Any:
    """Plain JSON data of a result object (its ``to_dict()``), a list of them, or plain data."""
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, (list, tuple)):
        return [jsonable(o) for o in obj]
    return obj


def render(obj: Any, fmt: str) -> str:
    """``obj`` as text in ``fmt``: ``json`` (indented), ``jsonl`` (one line per item of a
    list), or a trace's ``text`` notes / ``md`` (the report renderers)."""
    if fmt == "json":
        return json.dumps(jsonable(obj), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "jsonl":
        items = obj if isinstance(obj, (list, tuple)) else [obj]
        return "".join(json.dumps(jsonable(o), ensure_ascii=False, default=str) + "\n" for o in items)
    if fmt == "text":
        from ..report.text import render_text

        return render_text(jsonable(obj))
    if fmt == "md":
        from ..report import build_report, render as render_report

        return render_report(build_report(jsonable(obj), diff=False), "md")
    raise ValueError(f"unknown output format {fmt!r}")


def emit(obj: Any, fmt: str) -> None:
    """Write ``render(obj, fmt)`` to standard output (flushed: pipelines read it as it comes)."""
    sys.stdout.write(render(obj, fmt))
    sys.stdout.flush()

"""Rendering for the CLI: progress bars, summaries, tables and JSON.

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
        """A (stage, done, total) callback drawing one bar per stage on stderr."""
        if self.quiet:
            yield lambda stage, done, total: None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _rate_column(),
                   TimeElapsedColumn()]
        with Progress(*columns, console=self.err, transient=False) as bar:
            tasks: dict[str, int] = {}

            def update(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=total or None)
                bar.update(tasks[stage], completed=done, total=total or None)

            yield update

    def line(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message)

    def ingest_summary(self, report) -> None:
        from rich.markup import escape

        for p in report.problems:
            where = f"{p.path}, line {p.line}" if p.line else p.path
            label = "error" if p.fatal else "warning"
            self.err.print(f"tracer: {label}: {escape(where)}: {escape(p.message)}")
        self.line(
            f"ingested {report.documents} documents, {report.segments} new segments: "
            f"{report.new} new, {report.skipped} skipped, {report.failed} failed in {report.seconds:.1f} s"
        )

    def build_summary(self, report) -> None:
        self.line(
            f"built {report.version}: {report.segments} segments ({report.index_type}), "
            f"{report.embedded} embedded, {report.cached} from cache in {report.seconds:.1f} s"
        )

    def json_results(self, results, lines: bool) -> None:
        if lines:
            for r in results:
                sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        else:
            payload = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")

    def lookup_tables(self, results) -> None:
        from rich.table import Table
        from rich.text import Text

        for r in results:
            self.out.print(Text.assemble(("Quote ", "bold"), (f"[{r.query_lang}] ", "cyan"), r.query))
            if not r.matches:
                self.out.print("  no candidate origins in the index\n")
                continue
            table = Table(show_lines=True, expand=True)
            table.add_column("#", justify="right", no_wrap=True)
            table.add_column("conf", justify="right", no_wrap=True)
            table.add_column("score", justify="right", no_wrap=True)
            table.add_column("lang", no_wrap=True)
            table.add_column("source / date", max_width=22)
            table.add_column("match in context", ratio=1)
            for m in r.matches:
                table.add_row(
                    str(m.rank), "" if m.confidence is None else f"{m.confidence:.2f}", f"{m.score:+.3f}", m.lang,
                    Text(f"{m.source or m.doc_id}\n{m.date or ''}".strip()),
                    match_in_context(m),
                )
            self.out.print(table)

    def status(self, info: dict, as_json: bool) -> None:
        if as_json:
            sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n")
            return
        self.out.print(f"index      {info['index_dir']}")
        self.out.print(f"documents  {info['documents']}")
        self.out.print(f"segments   {info['segments']}")
        self.out.print(f"current    {info['current_version'] or '(never built)'}")
        m = info.get("manifest") or {}
        if m:
            self.out.print(f"encoder    {m.get('encoder_id')}  ({m.get('dim')} dims, {m.get('index_type')})")
            self.out.print(f"built at   {m.get('built_at') or m.get('created_at')}")
        self.out.print(f"versions   {', '.join(info.get('versions') or []) or '-'}")
        rebuild = info.get("rebuild") or {}
        last = rebuild.get("last_rebuild")
        if last:
            age = rebuild.get("last_rebuild_age_hours")
            age_text = f", {age:.1f} h ago" if isinstance(age, (int, float)) else ""
            self.out.print(f"rebuild    {last.get('status')} ({last.get('version') or 'no new version'}{age_text})")
        for warning in rebuild.get("warnings") or []:
            self.err.print(f"tracer: warning: {warning}")


def match_in_context(m) -> Text:
    """Sentence before (dim), the matched sentence with the matched span highlighted, sentence after (dim)."""
    from rich.text import Text

    text = Text()
    if m.context_before:
        text.append(m.context_before + "\n", style="dim")
    sentence = m.sentence or m.text
    rel = m.start - m.sentence_start
    if m.segment_kind == "quote" and 0 <= rel <= len(sentence) - len(m.text):
        text.append(sentence[:rel])
        text.append(sentence[rel:rel + len(m.text)], style="bold yellow")
        text.append(sentence[rel + len(m.text):])
    else:
        text.append(sentence, style="bold")
    if m.context_after:
        text.append("\n" + m.context_after, style="dim")
    return text

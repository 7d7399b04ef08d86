"""What each request does with a Tracer; these functions run on a lane's thread.

They return the library's own results (``LookupResult``, ``TraceResult.to_dict()``,
``DiffResult``, the status dict), so the API's JSON is the CLI's JSON.
"""
from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from .inputs import DiffRequest, LookupRequest, TraceRequest

# With a date filter more candidates are fetched, then the dated-out ones dropped.
DATE_FILTER_FETCH = 4
MAX_FETCH = 100


def lookup(tracer: Any, req: LookupRequest):
    """The quote's likely originals (``Tracer.lookup``), then the date filter if any."""
    k = req.k if not req.date_filtered else min(max(req.k * DATE_FILTER_FETCH, 20), MAX_FETCH)
    result = tracer.lookup(req.quote, k=k, langs=req.langs, kinds=req.kinds)
    if not req.date_filtered:
        return result
    kept = [m for m in result.matches if _in_dates(m.date, req.after, req.before)][: req.k]
    return replace(result, matches=[replace(m, rank=n) for n, m in enumerate(kept, 1)])


def _in_dates(date: str | None, after: str | None, before: str | None) -> bool:
    if not date:
        return True  # an undated document cannot be ruled out
    day = date[:10]
    return (after is None or day >= after[:10]) and (before is None or day <= before[:10])


def trace(tracer: Any, req: TraceRequest, progress: Any = None) -> dict[str, Any]:
    """``TraceResult.to_dict()`` of the article (the CLI's `trace --json`).

    The text goes to the library as a file in a fresh temp directory, never
    as a string: a one-line string naming an existing path would be read as
    that file. The article's ``path`` is the upload's name (None when pasted).
    """
    options = {} if progress is None else {"progress": progress}
    with tempfile.TemporaryDirectory(prefix="tracer-serve-") as tmp:
        path = Path(tmp) / f"article{req.suffix}"
        path.write_text(req.text, encoding="utf-8")
        result = tracer.trace(path, k=req.k, langs=req.langs, kinds=req.kinds, exclude_docs=req.exclude,
                              article_date=req.date, lang=req.article_lang, **options)
    data = result.to_dict()
    data["article"]["path"] = req.filename
    return data


def report(trace_data: dict[str, Any]) -> dict[str, Any]:
    """The report's data (`tracer report --out FILE.json`): the trace with each claim's diff."""
    from ..report import build_report

    return build_report(trace_data)


def diff(tracer: Any, req: DiffRequest):
    """``DiffResult`` of the two texts (the CLI's `diff --json`)."""
    return tracer.diff(req.quote, req.original, quote_lang=req.quote_lang, source_lang=req.source_lang)


def status(tracer: Any) -> dict[str, Any]:
    """The CLI's `status --json`."""
    return tracer.status()


def last_rebuild_sources(tracer: Any) -> list[dict[str, Any]]:
    """Per-source results of the newest rebuild (empty when it did not fetch), for the Index page."""
    from ..sources.records import RunRecords

    last = RunRecords(tracer.index).latest() or {}
    return [s for s in last.get("sources") or [] if isinstance(s, dict)]

"""Run the diff over every segment of a bilingual file: a translator's QA pass.

Each segment's target (the translation: the diff's *quote*) is diffed
against its source (the *original*), as ``tracer diff`` does, without
machine translation. Issues below the severity asked for are left out (and
counted); dismissed ones stay, marked, so the JSON keeps the decision and
the reports can count what they hide.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from ..diff.dismiss import NO_DISMISSALS, DismissList
from ..diff.types import SEVERITIES
from ..errors import InputError
from .bilingual import Bilingual

__all__ = ["QASegment", "QAReport", "run_qa", "SEVERITY_CHOICES"]

SEVERITY_CHOICES = SEVERITIES  # critical, major, minor


@dataclass(frozen=True)
class QASegment:
    """One segment's QA: its diff (issues at or above the severity asked for), or the error that stopped it."""

    id: str
    source: str
    target: str
    source_lang: str | None
    target_lang: str | None
    file: str | None = None
    diff: dict[str, Any] | None = None
    error: str | None = None

    @property
    def issues(self) -> list[dict[str, Any]]:
        """All issues kept (dismissed ones included, marked)."""
        return (self.diff or {}).get("issues") or []

    @property
    def active(self) -> list[dict[str, Any]]:
        """The issues not dismissed."""
        return [i for i in self.issues if not i.get("dismissed")]

    def to_dict(self, bilingual: bool = True) -> dict[str, Any]:
        """One JSON line: the `tracer diff --batch --json` fields, plus for a
        bilingual file the texts (``original`` = source, ``quote`` = target)
        and the file the unit belongs to."""
        d = self.diff or {}
        out: dict[str, Any] = {"id": self.id, "quote_lang": d.get("quote_lang", self.target_lang),
                               "source_lang": d.get("source_lang", self.source_lang),
                               "issues": self.issues, "alignment": d.get("alignment") or []}
        if bilingual:
            out.update(original=self.source, quote=self.target)
            if self.file:
                out["file"] = self.file
        if self.error:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class QAReport:
    """The QA of one file: every segment, and what the filters left out."""

    path: str
    format: str  # "xliff-1.2", "xliff-2.0", "tmx", "jsonl", "tsv", "pairs" (from standard input)
    segments: tuple[QASegment, ...]
    min_severity: str = "minor"
    skipped: int = 0  # units without a target (or not to translate)
    below_severity: int = 0  # issues left out by the severity filter
    dismissed_file: str | None = None
    generated: str = field(default="")

    @property
    def bilingual(self) -> bool:
        return self.format not in ("jsonl", "tsv", "pairs")

    def summary(self) -> dict[str, Any]:
        """Counts for the report's head: segments, issues by severity and kind, dismissed, skipped."""
        active = [i for s in self.segments for i in s.active]
        by_sev = Counter(i["severity"] for i in active)
        kinds = Counter(i["kind"] for i in active)
        langs = Counter((s.source_lang, s.target_lang) for s in self.segments)
        return {
            "segments": len(self.segments),
            "segments_with_issues": sum(1 for s in self.segments if s.active),
            "errors": sum(1 for s in self.segments if s.error),
            "issues": len(active),
            "issues_by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
            "issues_by_kind_and_severity": {
                k: {s: sum(1 for i in active if i["kind"] == k and i["severity"] == s) for s in SEVERITIES}
                for k, _ in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))},
            "dismissed": sum(1 for s in self.segments for i in s.issues if i.get("dismissed")),
            "below_severity": self.below_severity,
            "skipped": self.skipped,
            "min_severity": self.min_severity,
            "languages": [f"{a or '?'}→{b or '?'}" for (a, b), _ in langs.most_common()],
        }

    def findings(self) -> list[dict[str, Any]]:
        """Every issue not dismissed, most severe first, then in file order."""
        from ..report.findings import SEVERITY_RANK

        rows = [(SEVERITY_RANK.get(i["severity"], 9), n, k, s, i)
                for n, s in enumerate(self.segments) for k, i in enumerate(s.active)]
        return [{"segment": s.id, "file": s.file, **i} for *_, s, i in sorted(rows, key=lambda r: r[:3])]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.path, "format": self.format, "generated": self.generated, "summary": self.summary(),
                "segments": [s.to_dict(self.bilingual) for s in self.segments]}


def run_qa(data: Bilingual, *, dismissed: DismissList = NO_DISMISSALS, min_severity: str = "minor",
           quote_lang: str | None = None, source_lang: str | None = None,
           differ: Callable[..., Any] | None = None,
           progress: Callable[[int, int], None] | None = None) -> QAReport:
    """Diff every segment of ``data``; ``quote_lang``/``source_lang`` override
    the file's languages; ``differ`` replaces ``diff_texts`` (tests)."""
    from datetime import datetime, timezone

    from ..report.findings import SEVERITY_RANK, sort_issues

    if min_severity not in SEVERITY_CHOICES:
        raise InputError(f"unknown severity {min_severity!r} (use critical, major or minor)")
    if differ is None:
        from ..diff import diff_texts as differ
    limit = SEVERITY_RANK[min_severity]
    out, below = [], 0
    for n, seg in enumerate(data.segments, 1):
        ql, sl = quote_lang or seg.target_lang, source_lang or seg.source_lang
        try:
            d = differ(seg.target, seg.source, quote_lang=ql, source_lang=sl, use_mt=False).to_dict()
        except InputError as exc:
            out.append(QASegment(seg.id, seg.source, seg.target, sl, ql, seg.file, None, str(exc)))
            continue
        kept = [i for i in sort_issues(d["issues"]) if SEVERITY_RANK.get(i["severity"], 9) <= limit]
        below += len(d["issues"]) - len(kept)
        d["issues"] = kept
        dismissed.mark(kept)
        out.append(QASegment(seg.id, seg.source, seg.target, d["source_lang"], d["quote_lang"], seg.file, d))
        if progress is not None:
            progress(n, len(data.segments))
    return QAReport(data.path, data.format, tuple(out), min_severity, data.skipped, below, dismissed.path,
                    datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

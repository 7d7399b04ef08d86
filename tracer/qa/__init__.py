"""Translation QA of bilingual files: XLIFF, TMX and tracer's own pair files.

    >>> from tracer.qa import read_bilingual, run_qa
    >>> report = run_qa(read_bilingual("job.xlf"), min_severity="major")

``bilingual.py`` reads XLIFF 1.2 / 2.x and TMX through translate-toolkit;
``run.py`` diffs each segment's target against its source and applies the
severity filter and the dismiss file. ``tracer.report.qa`` renders the
result as a translator's QA report (terminal, JSON lines, HTML, Markdown).
"""
from __future__ import annotations

from .bilingual import Bilingual, Segment, read_bilingual
from .run import QAReport, QASegment, run_qa

__all__ = ["Bilingual", "Segment", "read_bilingual", "QAReport", "QASegment", "run_qa"]

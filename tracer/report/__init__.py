"""Trace + diff reports for fact-checkers and translators (.html, .md, .json).

    >>> Tracer("indexes/default").report("article.txt", "report.html")

:func:`build_report` takes a trace (the ``TraceResult.to_dict()`` shape) and
diffs each claim against its best match (the origin, or the closest passage
when the trace accepted none); the renderers
(``html.py``, ``markdown.py``, ``text.py``) only lay that data out, so every
format says the same thing. They are tracer's only renderers of a trace.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError
from .compare import comparison_text, diff_claim_text

__all__ = ["write_report", "write_text", "build_report", "render", "report_format", "FORMATS"]

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}
# Verdicts whose best match is accepted as the claim's origin. Every other
# claim with a candidate is diffed against its closest passage, labelled as
# not accepted: a reworded translation can fall below the trace's bar and
# still be worth reading side by side, and what it changed (посадку →
# "bunker") must show whatever the verdict.
DIFFED_VERDICTS = ("traced", "paraphrase")


def build_report(trace: dict[str, Any], *, diff: bool = True, dismissed: Any = None,
                 differ: Any = None) -> dict[str, Any]:
    """The report's data: the trace dict, each claim with ``diff`` (or None)
    and ``flags``, and a ``summary`` of verdicts, issues and key findings.

    Every claim with a candidate gets a diff against it (``basis``: "origin"
    when the verdict accepts it, else "closest passage"). Issues are sorted
    by severity, then position; each carries its ``fingerprint``, and
    ``dismissed`` (a ``tracer.diff.dismiss.DismissList``) marks those a
    translator has dismissed, which the counts and findings leave out.
    ``differ`` replaces ``tracer.diff.diff_texts`` (tests). A dict that is
    already a report is returned as it is, so ``write_report`` takes either.
    """
    if _is_report(trace):
        return trace
    from ..diff.dismiss import NO_DISMISSALS
    from .findings import active_issues, key_findings

    dismissed = dismissed if dismissed is not None else NO_DISMISSALS
    article_info = dict(trace.get("article") or {})
    lang = article_info.get("lang")
    claims = []
    for claim in trace.get("claims", []):
        c = dict(claim)
        c["diff"] = _claim_diff(c, lang, differ, dismissed) if diff else None
        c["flags"] = _claim_flags(c)
        claims.append(c)
    issues = [i for c in claims for i in active_issues(c["diff"])]
    by_kind = Counter(i["kind"] for i in issues)
    by_sev = Counter(i["severity"] for i in issues)
    summary = dict(trace.get("summary") or {})
    summary.setdefault("by_verdict", dict(Counter(c.get("verdict") for c in claims)))
    summary["claims"] = len(claims)
    summary["issues"] = len(issues)
    summary["issues_by_kind"] = dict(sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])))
    summary["issues_by_severity"] = {s: by_sev.get(s, 0) for s in ("critical", "major", "minor")}
    summary["issues_by_kind_and_severity"] = {
        k: {s: sum(1 for i in issues if i["kind"] == k and i["severity"] == s) for s in ("critical", "major", "minor")}
        for k in summary["issues_by_kind"]
    }
    summary["flagged_claims"] = sum(1 for c in claims if c["flags"])
    summary["dismissed"] = sum((c["diff"] or {}).get("dismissed", 0) for c in claims)
    if diff:  # without diffs (`tracer trace --format md`) there are no findings to list
        summary["findings"] = key_findings(claims)
    from ..diff.types import KIND_LABELS

    return {
        "article": article_info,
        "claims": claims,
        "summary": summary,
        "legend": KIND_LABELS,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _is_report(data: dict[str, Any]) -> bool:
    return "legend" in data and "generated" in data and all("diff" in c for c in data.get("claims") or [])


def _claim_diff(claim: dict[str, Any], lang: str | None, differ: Any, dismissed: Any) -> dict[str, Any] | None:
    """Diff the claim against its best match: the origin's passage when the
    verdict accepts it, else the closest passage (see ``compare.py`` for
    which stretch of the match is compared)."""
    if not claim.get("matches"):
        return None
    m = claim["matches"][0]
    basis = "origin" if claim.get("verdict") in DIFFED_VERDICTS else "closest passage"
    original, compared = comparison_text(claim, m)
    if not original.strip() or not (claim.get("text") or "").strip():
        return None
    if differ is None:
        from ..diff import diff_texts as differ
    from ..diff.fingerprint import issue_fingerprint
    from .findings import BASIS_LABELS, sort_issues

    source_speaker = _speaker_of_passage(m)
    quote_speaker = claim.get("speaker_ref") or claim.get("speaker")
    d = diff_claim_text(differ, claim["text"], original, quote_lang=lang, source_lang=m.get("lang"),
                        quote_speaker=None if claim.get("anonymous") else quote_speaker,
                        source_speaker=source_speaker)
    if claim.get("anonymous") and claim.get("speaker") and source_speaker:
        # The article credits an unnamed source with words the original puts
        # in a named person's mouth.
        issue = {
            "kind": "attribution", "severity": "major", "quote_span": [0, 0], "source_span": None,
            "quote_text": "", "source_text": source_speaker,
            "message": f"the article credits an unnamed source ({claim['speaker']}); the original is by {source_speaker}",
        }
        issue["fingerprint"] = issue_fingerprint("attribution", "", source_speaker, claim["text"], original)
        d["issues"].append(issue)
    d["issues"] = sort_issues(d["issues"])
    d["dismissed"] = dismissed.mark(d["issues"])
    d["basis"] = basis  # "origin" or "closest passage" (not accepted as the origin)
    d["basis_label"] = BASIS_LABELS[basis]
    d["compared"] = compared  # "passage" (the matched segment) or "sentence" (its whole sentence)
    d["sentence"] = m.get("sentence") or original
    d["doc_id"] = m.get("doc_id")
    d["source"] = m.get("source")
    d["date"] = m.get("date")
    d["url"] = m.get("url")
    return d


def _speaker_of_passage(match: dict[str, Any]) -> str | None:
    """Who says the matched passage, read from its sentence ("— заявила Безуглая")."""
    sentence = match.get("sentence") or ""
    if not sentence:
        return None
    from ..diff.attribution import find_speakers
    from ..diff.mentions import extract_name_mentions

    lang = match.get("lang") or "en"
    speakers = [s for s in find_speakers(sentence, lang, extract_name_mentions(sentence, lang)) if s.name]
    return speakers[0].text if speakers else None


def _claim_flags(claim: dict[str, Any]) -> list[str]:
    """Warnings about the claim itself, beyond the diff."""
    from .findings import active_issues

    flags = []
    if claim.get("verdict") == "unsourced":
        if claim.get("anonymous"):
            flags.append("anonymous speaker and no source found: possibly added by the article")
        elif claim.get("kind") == "quote":
            flags.append("no source found for this quote")
    d = claim.get("diff")
    if d and d.get("basis", "origin") == "origin":
        if any(i["severity"] == "critical" for i in active_issues(d)):
            flags.append("the translation changes a fact (critical issue)")
    return flags


def render(data: dict[str, Any], fmt: str) -> str:
    """The report as a string in ``fmt`` ("html", "md" or "json")."""
    if fmt == "html":
        from .html import render_html

        return render_html(data)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(data)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    raise InputError(f"unknown report format {fmt!r} (use .html, .md or .json)")


def report_format(out: Path, fmt: str | None = None) -> str:
    """The report format for ``out`` ("html", "md" or "json"): ``fmt`` or the file's
    suffix. Raises InputError when ``out`` cannot be a report file (checked
    before a trace is run for it)."""
    if Path(out).is_dir():
        raise InputError(f"--out {out} is a directory: give a file name, e.g. {Path(out) / 'report.html'}")
    fmt = fmt or FORMATS.get(Path(out).suffix.lower())
    if fmt not in set(FORMATS.values()):
        raise InputError(f"cannot tell the report format from {Path(out).name!r}: use .html, .md or .json")
    return fmt


def write_report(trace: dict[str, Any], out: Path, *, fmt: str | None = None) -> Path:
    """Diff the traced claims and write the report to ``out`` (format from
    the suffix unless ``fmt`` is given). Returns ``out``."""
    out = Path(out)
    fmt = report_format(out, fmt)
    text = render(build_report(trace), fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(out, text)
    return out


def write_text(out: Path, text: str) -> Path:
    """Write ``text`` to ``out`` atomically (see ``_write_atomically``)."""
    _write_atomically(Path(out), text)
    return Path(out)


def _write_atomically(out: Path, text: str) -> None:
    """Write through a fresh temp file beside ``out`` (created with O_EXCL under
    a random name: never a file or symlink planted in advance), then rename."""
    import os
    import tempfile

    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, out)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, IsADirectoryError):
            raise InputError(f"--out {out} is a directory: give a file name") from None
        raise


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask

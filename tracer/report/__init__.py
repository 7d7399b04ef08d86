"""Trace + diff reports for fact-checkers and translators (.html, .md, .json).

    >>> Tracer("indexes/default").report("article.txt", "report.html")

:func:`build_report` takes a trace (the ``TraceResult.to_dict()`` shape) and
diffs each sourced claim against its best origin; the renderers
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

__all__ = ["write_report", "build_report", "render", "report_format", "FORMATS"]

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}
# Verdicts whose best match is the claim's origin, and diffed as such.
DIFFED_VERDICTS = ("traced", "paraphrase")
# An unsourced claim is still diffed against its closest candidate when the
# two are this similar (e5 cosine), labelled as unconfirmed: a reworded
# translation can fall below the trace's bar and still be worth reading
# side by side. On the example corpus, wrong candidates stayed below 0.85.
CANDIDATE_MIN_COSINE = 0.85


def build_report(trace: dict[str, Any], *, diff: bool = True) -> dict[str, Any]:
    """The report's data: the trace dict, each claim with ``diff`` (or None)
    and ``flags``, and a ``summary`` of verdicts and issues."""
    article_info = dict(trace.get("article") or {})
    lang = article_info.get("lang")
    claims = []
    for claim in trace.get("claims", []):
        c = dict(claim)
        c["diff"] = _claim_diff(c, lang) if diff else None
        c["flags"] = _claim_flags(c)
        claims.append(c)
    issues = [i for c in claims if c["diff"] for i in c["diff"]["issues"]]
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
    from ..diff.types import KIND_LABELS

    return {
        "article": article_info,
        "claims": claims,
        "summary": summary,
        "legend": KIND_LABELS,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _claim_diff(claim: dict[str, Any], lang: str | None) -> dict[str, Any] | None:
    """Diff the claim against its best match (the origin's passage)."""
    if not claim.get("matches"):
        return None
    m = claim["matches"][0]
    if claim.get("verdict") in DIFFED_VERDICTS:
        basis = "origin"
    elif float(m.get("cosine") or 0.0) >= CANDIDATE_MIN_COSINE:
        basis = "closest candidate"
    else:
        return None
    original = m.get("text") or ""
    if not original.strip() or not (claim.get("text") or "").strip():
        return None
    from ..diff import diff_texts

    source_speaker = _speaker_of_passage(m)
    quote_speaker = claim.get("speaker_ref") or claim.get("speaker")
    result = diff_texts(claim["text"], original, quote_lang=lang, source_lang=m.get("lang"),
                        quote_speaker=None if claim.get("anonymous") else quote_speaker,
                        source_speaker=source_speaker)
    d = result.to_dict()
    if claim.get("anonymous") and claim.get("speaker") and source_speaker:
        # The article credits an unnamed source with words the original puts
        # in a named person's mouth.
        d["issues"].append({
            "kind": "attribution", "severity": "major", "quote_span": [0, 0], "source_span": None,
            "quote_text": "", "source_text": source_speaker,
            "message": f"the article credits an unnamed source ({claim['speaker']}); the original is by {source_speaker}",
        })
    d["basis"] = basis  # "origin" or "closest candidate" (unconfirmed)
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
    flags = []
    if claim.get("verdict") == "unsourced":
        if claim.get("anonymous"):
            flags.append("anonymous speaker and no source found: possibly added by the article")
        elif claim.get("kind") == "quote":
            flags.append("no source found for this quote")
    if claim.get("diff"):
        sev = {i["severity"] for i in claim["diff"]["issues"]}
        if "critical" in sev:
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

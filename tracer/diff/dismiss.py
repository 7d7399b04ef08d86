"""Dismiss files: the issues a translator has marked as false, kept between runs.

``tracer report --ignore FILE`` and ``tracer diff --ignore FILE`` read one.
The file is UTF-8 text, one entry per line, in either of two forms (they
may be mixed):

* a plain line holding a fingerprint, as every issue shows it
  (``meaning:3f9a0c21d4e5b678``); ``#`` starts a comment, on a line of its
  own or after the fingerprint;
* a JSON object with a ``"fingerprint"`` key, e.g. an issue line copied
  from ``tracer diff --json`` or a QA report's JSON lines; its other keys
  (a note, the claim, the texts) are for the reader and are ignored.

Blank lines are ignored. A line that is neither is an error naming the line,
so a typo never silently un-dismisses anything. Dismissed issues are not
deleted: reports hide and count them, JSON marks them ``"dismissed": true``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .fingerprint import FINGERPRINT_RE

__all__ = ["DismissList", "load_dismissed", "parse_dismissed", "dismiss_line", "NO_DISMISSALS"]


@dataclass(frozen=True)
class DismissList:
    """The fingerprints of dismissed issues."""

    fingerprints: frozenset[str] = frozenset()
    path: str | None = None

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.fingerprints

    def __len__(self) -> int:
        return len(self.fingerprints)

    def mark(self, issues: Iterable[dict[str, Any]]) -> int:
        """Set ``"dismissed"`` on each issue dict (True or False); returns how many are dismissed."""
        n = 0
        for issue in issues:
            issue["dismissed"] = issue.get("fingerprint") in self.fingerprints
            n += issue["dismissed"]
        return n


NO_DISMISSALS = DismissList()


def parse_dismissed(text: str, name: str = "dismiss file") -> DismissList:
    """The fingerprints in a dismiss file's text (see the module docstring)."""
    found: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("{", "[")):
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                raise InputError(f"{name}, line {lineno}: invalid JSON") from None
            fp = obj.get("fingerprint") if isinstance(obj, dict) else None
            if not isinstance(fp, str) or not FINGERPRINT_RE.match(fp):
                raise InputError(f"{name}, line {lineno}: expected a JSON object with a \"fingerprint\" "
                                 "such as \"meaning:3f9a0c21d4e5b678\"")
        else:
            fp = line.split("#", 1)[0].strip()
            if not FINGERPRINT_RE.match(fp):
                raise InputError(f"{name}, line {lineno}: expected a fingerprint such as "
                                 f"meaning:3f9a0c21d4e5b678, got {fp[:40]!r}")
        found.add(fp)
    return DismissList(frozenset(found), name)


def load_dismissed(path: str | Path | None) -> DismissList:
    """Read a dismiss file; ``None`` means no dismissals."""
    if path is None:
        return NO_DISMISSALS
    p = Path(path)
    if not p.is_file():
        raise InputError(f"dismiss file not found: {p}")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p}: a dismiss file must be UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read the dismiss file {p}: {exc.strerror or exc}") from None
    return parse_dismissed(text, str(p))


def dismiss_line(issue: dict[str, Any], where: str = "") -> str:
    """A ready-made dismiss-file line for ``issue``: its fingerprint and, as a
    comment, what it is (``meaning:…  # c12: bunker → посадку``)."""
    texts = " → ".join(" ".join(t.split()) for t in (issue.get("quote_text"), issue.get("source_text")) if t)
    comment = ": ".join(x for x in (where, texts or issue.get("kind", "")) if x)
    return f"{issue['fingerprint']}  # {comment}".rstrip()

"""Cut a text into pieces by overlapping issue and alignment spans.

Both renderers need the same thing: the quote (or the original) as a
sequence of pieces, each knowing which issues and which aligned span cover
it, plus insertion points (empty spans: something missing here).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}


@dataclass
class Piece:
    """``text[start:end]`` with the issues (their numbers) and alignment id over it."""

    start: int
    end: int
    text: str
    issues: list[int] = field(default_factory=list)
    align: int | None = None
    inserts: list[int] = field(default_factory=list)  # issues whose empty span sits at ``start``
    ends: list[int] = field(default_factory=list)  # issues ending right after this piece


def pieces(text: str, issues: list[dict[str, Any]], alignment: list[list], side: str) -> list[Piece]:
    """Split ``text`` for one side ("quote" or "source")."""
    key = "quote_span" if side == "quote" else "source_span"
    spans: list[tuple[int, int, int]] = []
    inserts: dict[int, list[int]] = {}
    for n, issue in enumerate(issues):
        sp = issue.get(key)
        if not sp:
            continue
        a, b = max(0, int(sp[0])), min(len(text), int(sp[1]))
        if a >= b:
            inserts.setdefault(a, []).append(n)
        else:
            spans.append((a, b, n))
    aligned = []
    for k, row in enumerate(alignment):
        a, b = (row[0], row[1]) if side == "quote" else (row[2], row[3])
        aligned.append((int(a), int(b), k))
    cuts = {0, len(text)}
    for a, b, _ in spans + aligned:
        cuts.update((a, b))
    cuts.update(p for p in inserts if 0 <= p <= len(text))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Piece] = []
    for a, b in zip(bounds, bounds[1:]):
        piece = Piece(a, b, text[a:b])
        piece.issues = sorted((n for s, e, n in spans if s <= a and b <= e),
                              key=lambda n: SEVERITY_RANK.get(issues[n]["severity"], 9))
        piece.align = next((k for s, e, k in aligned if s <= a and b <= e), None)
        piece.inserts = inserts.get(a, [])
        piece.ends = [n for s, e, n in spans if e == b]
        out.append(piece)
    if not out:
        out.append(Piece(0, 0, "", inserts=inserts.get(0, [])))
    elif len(text) in inserts and bounds[-1] == len(text):
        out.append(Piece(len(text), len(text), "", inserts=inserts[len(text)]))
    return out


def diff_notes(data: dict[str, Any]) -> list[str]:
    """The notes of a report's diffs (e.g. no machine translation installed),
    each once, in order: both renderers show them once, not under every claim."""
    notes: list[str] = []
    for c in data.get("claims") or []:
        for note in (c.get("diff") or {}).get("notes") or []:
            if note not in notes:
                notes.append(note)
    return notes

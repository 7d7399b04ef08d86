"""Reading batch files for `lookup --batch` and `diff --batch` (pairs, XLIFF, TMX).

A bad line never stops a batch: it is reported (file, line number, what is
wrong) and the other lines go on, as in `tracer ingest`. Only a file that
cannot be read at all, or holds nothing, is an error.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class BadLine:
    """A line of a batch file that was left out, and why."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Non-empty lines with their numbers; '-' reads standard input."""
    if str(path) == "-":
        text = sys.stdin.read()
    else:
        if not path.is_file():
            raise InputError(f"batch file not found: {path}")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the batch file {path}: {exc.strerror or exc}") from None
        if b"\x00" in raw[:8192]:
            raise InputError(f"{path} looks like a binary file, not text")
        text = raw.decode("utf-8-sig", errors="replace")
    lines = [(n, line.rstrip("\r\n")) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise InputError(f"batch file {path} holds no queries")
    return lines


def _object(line: str) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg})") from None
    except RecursionError:
        raise InputError("JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise InputError("expected a JSON object")
    return obj


def _id(obj: dict, default: int) -> str:
    value = obj.get("id", default)
    if isinstance(value, (dict, list)):
        raise InputError("\"id\" must be a string or a number")
    return str(value)


def read_queries(path: Path, max_chars: int | None = None) -> tuple[list[tuple[str, str]], list[BadLine]]:
    """(id, text) pairs from plain lines or JSONL objects with "id" and "text", and the bad lines."""
    lines = read_lines(path)
    out, bad = [], []
    jsonl = lines[0][1].lstrip().startswith("{")
    for k, (n, line) in enumerate(lines, 1):
        try:
            if jsonl:
                obj = _object(line)
                if not isinstance(obj.get("text"), str) or not obj["text"].strip():
                    raise InputError("expected an object with a non-empty \"text\"")
                qid, text = _id(obj, n), obj["text"]
            else:
                qid, text = str(k), line.strip()
            if max_chars is not None and len(text) > max_chars:
                raise InputError(f"the query is {len(text):,} characters, over the limit of {max_chars:,} "
                                 "(max_query_chars)")
        except InputError as exc:
            bad.append(BadLine(str(path), n, str(exc)))
            continue
        out.append((qid, text))
    return out, bad


def read_pairs(path: Path) -> tuple[list[tuple[str, str, str]], list[BadLine]]:
    """(id, quote, original) from JSONL objects or two-column TSV lines, and the bad lines."""
    lines = read_lines(path)
    out, bad = [], []
    jsonl = lines[0][1].lstrip().startswith("{")
    for n, (lineno, line) in enumerate(lines, 1):
        try:
            if jsonl:
                obj = _object(line)
                if not all(isinstance(obj.get(k), str) and obj[k].strip() for k in ("quote", "original")):
                    raise InputError("expected an object with non-empty \"quote\" and \"original\"")
                out.append((_id(obj, n), obj["quote"], obj["original"]))
            else:
                cols = line.split("\t")
                if len(cols) != 2 or not cols[0].strip() or not cols[1].strip():
                    raise InputError("expected two tab-separated columns: quote, original")
                out.append((str(n), cols[0].strip(), cols[1].strip()))
        except InputError as exc:
            bad.append(BadLine(str(path), lineno, str(exc)))
    return out, bad


def read_batch(path: Path):
    """The segments of a `diff --batch` file and its bad lines: XLIFF 1.2 / 2.x
    or TMX (by their root element), else JSONL or two-column TSV pairs
    (``read_pairs``), as a ``tracer.qa.Bilingual`` (a pair's quote is the
    target, its original the source)."""
    from ..qa.bilingual import Bilingual, Segment, bilingual_format, read_bilingual

    if str(path) != "-" and bilingual_format(path):
        return read_bilingual(path), []
    pairs, bad = read_pairs(path)
    fmt = "pairs"
    if str(path) != "-":
        with open(path, "rb") as fh:
            first = next((line for line in fh if line.strip()), b"")
        fmt = "jsonl" if first.lstrip(b"\xef\xbb\xbf \t").startswith(b"{") else "tsv"
    return Bilingual(str(path), fmt, tuple(Segment(pid, o, q, None, None) for pid, q, o in pairs)), bad

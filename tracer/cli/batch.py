"""Reading batch files for `lookup --batch` and `diff --batch` (pairs, XLIFF, TMX)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import InputError


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Non-empty lines with their numbers; '-' reads standard input."""
    if str(path) == "-":
        text = sys.stdin.read()
    else:
        if not path.is_file():
            raise InputError(f"batch file not found: {path}")
        raw = path.read_bytes()
        if b"\x00" in raw[:8192]:
            raise InputError(f"{path} looks like a binary file, not text")
        text = raw.decode("utf-8-sig", errors="replace")
    lines = [(n, line.rstrip("\r\n")) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise InputError(f"batch file {path} holds no queries")
    return lines


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(id, text) pairs from plain lines or JSONL objects with "id" and "text"."""
    lines = read_lines(path)
    if not lines[0][1].lstrip().startswith("{"):
        return [(str(i), line.strip()) for i, (_, line) in enumerate(lines, 1)]
    out = []
    for n, line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {n}: invalid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            raise InputError(f"{path}, line {n}: expected an object with a non-empty \"text\"")
        out.append((str(obj.get("id", n)), obj["text"]))
    return out


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    """(id, quote, original) from JSONL objects or two-column TSV lines."""
    lines = read_lines(path)
    out = []
    jsonl = lines[0][1].lstrip().startswith("{")
    for n, (lineno, line) in enumerate(lines, 1):
        if jsonl:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {lineno}: invalid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or not all(isinstance(obj.get(k), str) and obj[k].strip()
                                                    for k in ("quote", "original")):
                raise InputError(f"{path}, line {lineno}: expected an object with non-empty \"quote\" and \"original\"")
            out.append((str(obj.get("id", n)), obj["quote"], obj["original"]))
        else:
            cols = line.split("\t")
            if len(cols) != 2 or not cols[0].strip() or not cols[1].strip():
                raise InputError(f"{path}, line {lineno}: expected two tab-separated columns: quote, original")
            out.append((str(n), cols[0].strip(), cols[1].strip()))
    return out


def read_batch(path: Path):
    """The segments of a `diff --batch` file: XLIFF 1.2 / 2.x or TMX (by their
    root element), else JSONL or two-column TSV pairs (``read_pairs``), as a
    ``tracer.qa.Bilingual`` (a pair's quote is the target, its original the source)."""
    from ..qa.bilingual import Bilingual, Segment, bilingual_format, read_bilingual

    if str(path) != "-" and bilingual_format(path):
        return read_bilingual(path)
    pairs = read_pairs(path)
    fmt = "pairs"
    if str(path) != "-":
        with open(path, "rb") as fh:
            first = next((line for line in fh if line.strip()), b"")
        fmt = "jsonl" if first.lstrip(b"\xef\xbb\xbf \t").startswith(b"{") else "tsv"
    return Bilingual(str(path), fmt, tuple(Segment(pid, o, q, None, None) for pid, q, o in pairs))

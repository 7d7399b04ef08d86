"""The diff's token encoder shares the sentence encoder's tokenizer and keeps the word embedding 4-bit."""
import numpy as np
import pytest

from tracer.encoders.e5 import tokens

TEXTS = ["ТЕХНИЧЕСКИЙ РЕГЛАМЕНТ ЧЕМПИОНАТА", "a , b", "ты никто, иди в посадку!", "250 000 грн — «Газета.Ru»",
         "tab\there", "x  y", "", "   ", "\u200bzero width", "emoji 😀 ok", "’quoted’ п'ять", "  leading spaces"]


def _library_tokenizer(w):
    """What the aligner used before: a ``tokenizers`` Unigram model of the same pieces."""
    from tokenizers import Tokenizer, pre_tokenizers
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(list(zip(w.pieces, w.scores)), unk_id=w.unk_id, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=tokens.META, prepend_scheme="always", split=True)
    return tok


def _library_encode(tok, table, text):
    norm, back = tokens._normalize(text, table)
    enc = tok.encode(norm, add_special_tokens=False)
    offsets = []
    for s, e in enc.offsets:
        offsets.append((back[s] if s < len(back) else len(text),) * 2 if e <= s else (back[s], back[e - 1] + 1))
    return list(enc.ids), list(enc.tokens), offsets


def test_tokens_and_offsets_equal_the_tokenizers_library(e5_weights, sentences):
    pytest.importorskip("tokenizers")
    from tracer.encoders.e5.tokenizer import shared_tokenizer

    lib = _library_tokenizer(e5_weights)
    plain = tokens.PlainTokenizer(shared_tokenizer())
    for text in TEXTS + list(sentences):
        assert plain.encode(text) == _library_encode(lib, e5_weights.normalization, text), text


def test_word_rows_stay_4_bit_and_equal_the_dequantized_matrix(e5_weights):
    from tracer.encoders.e5.weights import Q4Rows, load_e5_weights

    lazy = load_e5_weights(lazy=frozenset({"emb.word"}))
    rows = lazy.tensors["emb.word"]
    assert isinstance(rows, Q4Rows) and rows.shape == e5_weights.tensors["emb.word"].shape
    ids = np.array([0, 1, 7, 1234, rows.shape[0] - 1])
    assert np.array_equal(rows[ids], e5_weights.tensors["emb.word"][ids])
    a = tokens.TokenEncoder(e5_weights).embed("ты никто, иди в посадку").vectors
    b = tokens.TokenEncoder(lazy).embed("ты никто, иди в посадку").vectors
    assert np.array_equal(a, b)


def test_a_model_loaded_by_the_encoder_is_dropped_as_it_is_transposed_a_given_one_is_kept(e5_weights):
    n = len(e5_weights.tensors)
    tokens.TokenEncoder(e5_weights)
    assert len(e5_weights.tensors) == n  # the caller's weights are left as they are
    from tracer.encoders.e5.weights import load_e5_weights

    lazy = load_e5_weights(lazy=frozenset({"emb.word"}))
    rows = lazy.tensors["emb.word"]
    assert not rows.blocks.flags.writeable and not rows.blocks.flags.owndata  # a view of the mapped file

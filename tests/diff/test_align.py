"""Word alignment: itermax on synthetic vectors, words, spans, and the
numpy token encoder checked against transformers' BertModel."""
from __future__ import annotations

import numpy as np
import pytest

from tracer.diff.align import AlignedPair, Alignment, align_vectors, words_of


def _unit(rows):
    x = np.asarray(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_words_keep_numbers_apostrophes_and_hyphens():
    words = [w.text for w in words_of("Він п'ять разів сказав: 250 000 — don't Telegram-каналах 12,5%.")]
    assert words == ["Він", "п'ять", "разів", "сказав", "250 000", "don't", "Telegram-каналах", "12,5%"]


def test_mutual_argmax_then_itermax_second_partner():
    # q0 ~ s0 exactly; q1 and q2 both resemble s1 (one word to a two-word phrase).
    q = _unit([[1, 0, 0], [0, 1, 0.1], [0, 1, 0.3]])
    s = _unit([[1, 0, 0], [0, 1, 0.2]])
    pairs, sim = align_vectors(q, s)
    got = {(p.q, p.s, p.round) for p in pairs}
    assert (0, 0, 1) in got
    # Both q1 and q2 end up with s1: one as the mutual best match, the other
    # in a later itermax round.
    rounds = sorted(p.round for p in pairs if p.s == 1)
    assert {p.q for p in pairs if p.s == 1} == {1, 2} and rounds[0] == 1 and rounds[1] > 1
    assert sim.shape == (3, 2)


def test_unrelated_word_stays_unaligned_in_first_round():
    q = _unit([[1, 0, 0], [0, 1, 0]])
    s = _unit([[1, 0.05, 0], [0, 1, 0.05], [0, 0, 1]])
    pairs, _ = align_vectors(q, s, iterations=0)
    assert {(p.q, p.s) for p in pairs} == {(0, 0), (1, 1)}


def test_empty_inputs():
    pairs, sim = align_vectors(np.zeros((0, 3), np.float32), _unit([[1, 0, 0]]))
    assert pairs == [] and sim.shape == (0, 1)


def test_spans_merge_one_to_many():
    qw, sw = words_of("go to the tree line"), words_of("иди в посадку")
    pairs = (AlignedPair(0, 0, 0.9), AlignedPair(3, 2, 0.6), AlignedPair(4, 2, 0.5))
    al = Alignment("go to the tree line", "иди в посадку", qw, sw, pairs, np.zeros((5, 3)))
    spans = al.spans()
    assert [0, 2, 0, 3, 0.9] in spans
    assert [10, 19, 6, 13, 0.55] in spans


@pytest.mark.e2e
def test_real_alignment_pairs_translations():
    from tracer.diff.align import align_texts

    al = align_texts("Olena said that 300 soldiers left Kharkiv.", "Олена заявила, що 300 військових залишили Харків.")
    pairs = {(al.quote_words[p.q].text, al.source_words[p.s].text) for p in al.pairs if p.round == 1}
    assert ("300", "300") in pairs
    assert ("soldiers", "військових") in pairs
    assert ("Olena", "Олена") in pairs


@pytest.mark.e2e
def test_token_offsets_and_no_prefix_tokens():
    from tracer.encoders.e5.tokens import embed_tokens

    text = "  Депутат заявила: «250 тыс.»"
    tv = embed_tokens(text)
    assert tv.vectors.shape == (len(tv.tokens), 384)
    pieces = [text[s:e] for s, e in tv.offsets]
    assert pieces[0] == "Депутат" and "query" not in "".join(pieces)
    assert all(not p.startswith(" ") for p in pieces)


@pytest.mark.e2e
def test_numpy_forward_matches_transformers_bertmodel():
    """The pure-numpy encoder against transformers' BertModel on the
    exported sentence-transformers folder (same dequantized weights)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tracer.encoders.e5.graph import ensure_sentence_transformers_folder
    from tracer.encoders.e5.tokens import get_token_encoder

    folder = ensure_sentence_transformers_folder()
    model = transformers.BertModel.from_pretrained(str(folder), add_pooling_layer=False).eval()
    enc = get_token_encoder()
    for text in ["query: you're nothing, go to the bunker", "query: ти ніщо, йди в посадку — 250 тис."]:
        ids, _, _ = enc.tokenizer.encode(text)
        seq = [enc.bos_id, *ids, enc.eos_id]
        ours = enc.forward(seq)
        with torch.no_grad():
            theirs = model(input_ids=torch.tensor([seq])).last_hidden_state[0].numpy()
        assert np.abs(ours - theirs).max() < 2e-3

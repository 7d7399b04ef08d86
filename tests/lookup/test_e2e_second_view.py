"""The second view on near-ties, end to end: real model, real SQLite, real FAISS."""
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from tracer import Tracer
from tracer.config import load_settings
from tracer.lookup.second_view import GATE, MAX_RIVALS, coverage, word_vectors_for
from tracer.text.words import word_vectors, words_of

pytestmark = pytest.mark.e2e

# Written for this test: Russian sentences that differ only where English
# cannot tell (ты / вы, word order), and a longer sentence holding a clause,
# among the example corpus.
TWINS = [
    {"id": "twin-ty", "text": "Кого ты пригласил на ужин в субботу?", "kind": "original"},
    {"id": "twin-vy", "text": "Кого вы пригласили на ужин в субботу?", "kind": "original"},
    {"id": "order-a", "text": "Я давно знаю об этом решении министерства.", "kind": "original"},
    {"id": "order-b", "text": "Я об этом решении министерства знаю давно.", "kind": "original"},
]
QUERIES = ["Whom did you invite to dinner on Saturday?", "I have known about this ministry decision for a long time."]


@pytest.fixture(scope="module")
def built(tmp_path_factory, real_encoder):
    from paths import ROOT

    root = tmp_path_factory.mktemp("second-view")
    docs = root / "twins.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in TWINS), encoding="utf-8")
    t = Tracer(settings=load_settings(root / "index"), encoder=real_encoder)
    t.ingest([ROOT / "corpora" / "example", docs])
    t.build()
    yield t
    t.close()


def test_it_is_on_by_default(built):
    assert built.settings.second_view_weight > 0


def test_word_vectors_come_from_the_alignment_layer(built):
    # the lookup's word vectors are those the diff aligns with (the numpy engine's layer 8),
    # up to int8 quantization
    from tracer.diff.align import DEFAULT_LAYER
    from tracer.encoders.e5.tokens import get_token_encoder

    text = "Президент пішов у відпустку до кінця місяця."
    ours = word_vectors_for(built.encoder)(text)
    ref = get_token_encoder().embed(text, layer=DEFAULT_LAYER)
    theirs = word_vectors(words_of(text), ref.offsets, ref.vectors)
    assert ours.shape == theirs.shape
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.9


@pytest.mark.parametrize("query", QUERIES)
def test_near_ties_are_ordered_by_both_views(built, query):
    weight = built.settings.second_view_weight
    first = built.lookup_batch([("1", query)], k=5, langs="ru", confidence=False, second_view=False)[0].matches
    both = built.lookup_batch([("1", query)], k=5, langs="ru", confidence=False)[0].matches
    # the case the second view exists for: the twins stand within its reach
    assert {m.doc_id for m in first[:2]} <= {d["id"] for d in TWINS}
    near = [m for m in first[:MAX_RIVALS] if m.score >= first[0].score - GATE]
    assert len(near) >= 2, [(m.doc_id, m.score) for m in first]
    # oracle: the first view's scores plus weight x (coverage - the best's), computed
    # here from the model's word vectors
    words = word_vectors_for(built.encoder)
    q = words(query)
    cover = [coverage(q, words(m.text)) for m in near]
    expected = sorted(((m.score + weight * (c - cover[0]), m.segment_id) for m, c in zip(near, cover)),
                      key=lambda x: (-x[0], x[1]))
    assert [m.segment_id for m in both[:len(near)]] == [sid for _, sid in expected]
    for m in both[:len(near)]:
        assert m.signals["coverage"] == pytest.approx(cover[[n.segment_id for n in near].index(m.segment_id)],
                                                      abs=1e-4)  # signals are rounded
    assert both[0].score == pytest.approx({sid: s for s, sid in expected}[both[0].segment_id], abs=1e-5)


def test_a_single_lookup_and_a_batch_decide_a_near_tie_alike(built):
    alone = [built.lookup(q, k=2, langs="ru", confidence=False).matches for q in QUERIES]
    batch = [r.matches for r in built.lookup_batch([(str(i), q) for i, q in enumerate(QUERIES)], k=2, langs="ru",
                                                   confidence=False)]
    assert [[m.doc_id for m in ms] for ms in alone] == [[m.doc_id for m in ms] for ms in batch]
    assert all(np.isclose(a.signals["coverage"], b.signals["coverage"]) for a, b in zip(alone[0], batch[0]))


def test_cli_json_shows_the_second_view(built):
    from tracer.cli.app import app

    out = CliRunner().invoke(app, ["--index", str(built.index_dir), "--quiet", "lookup", QUERIES[0], "--k", "2",
                                   "--lang", "ru", "--json"])
    assert out.exit_code == 0, out.output
    matches = json.loads(out.stdout)["matches"]
    assert {m["doc_id"] for m in matches} == {"twin-ty", "twin-vy"}
    assert all("coverage" in m["signals"] for m in matches)
    assert matches[0]["confidence"] is not None


def test_weight_zero_turns_it_off(built, monkeypatch):
    from tracer.cli.app import app

    monkeypatch.setenv("TRACER_SECOND_VIEW_WEIGHT", "0")
    out = CliRunner().invoke(app, ["--index", str(built.index_dir), "--quiet", "lookup", QUERIES[0], "--k", "2",
                                   "--lang", "ru", "--json"])
    assert out.exit_code == 0, out.output
    assert not any("coverage" in m["signals"] for m in json.loads(out.stdout)["matches"])

"""The second view on near-ties, end to end: real model, real SQLite, real FAISS."""
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from tracer import Tracer
from tracer.config import load_settings
from tracer.lookup.second_view import REACH

pytestmark = pytest.mark.e2e

# Written for this test: Russian sentences that differ only where English
# cannot tell (ты / вы, word order), among the example corpus.
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
    # the second view is an option (off by default: no gain on real news once int8 vectors stopped
    # moving with their batch mates); these tests turn it on
    t = Tracer(settings=load_settings(root / "index", second_view_weight=0.2), encoder=real_encoder)
    t.ingest([ROOT / "corpora" / "example", docs])
    t.build()
    yield t
    t.close()


@pytest.mark.parametrize("query", QUERIES)
def test_near_ties_are_ordered_by_both_views(built, query):
    weight = built.settings.second_view_weight
    assert weight > 0
    first = built.lookup_batch([("1", query)], k=5, langs="ru", confidence=False, second_view=False)[0].matches
    both = built.lookup_batch([("1", query)], k=5, langs="ru", confidence=False)[0].matches
    # the case the second view exists for: the twins stand within its reach
    assert {m.doc_id for m in first[:2]} <= {d["id"] for d in TWINS}
    near = [m for m in first if m.score >= first[0].score - weight * REACH]
    assert len(near) >= 2, [(m.doc_id, m.score) for m in first]
    # oracle: the first view's scores plus weight x (content cosine - the best's),
    # computed here straight from the model
    inner = built.encoder.inner
    q = inner.encode_content([query], prefix=inner.query_prefix)[0]
    cos2 = inner.encode_content([m.text for m in near], prefix=inner.document_prefix) @ q
    expected = sorted(((m.score + weight * (c - cos2[0]), m.segment_id) for m, c in zip(near, cos2)),
                      key=lambda x: (-x[0], x[1]))
    assert [m.segment_id for m in both[:len(near)]] == [sid for _, sid in expected]
    for m in both[:len(near)]:
        assert m.signals["second_view"] == pytest.approx(float(cos2[[n.segment_id for n in near].index(m.segment_id)]),
                                                         abs=1e-4)  # signals are rounded
    assert both[0].score == pytest.approx(dict((sid, s) for s, sid in expected)[both[0].segment_id], abs=1e-5)
    # the rest keep the first view's order and scores
    rest = [(m.segment_id, m.score) for m in first if m not in near]
    assert [(m.segment_id, m.score) for m in both if m.segment_id in dict(rest)] == rest


def test_a_single_lookup_and_a_batch_decide_a_near_tie_alike(built):
    alone = [built.lookup(q, k=2, langs="ru", confidence=False).matches for q in QUERIES]
    batch = [r.matches for r in built.lookup_batch([(str(i), q) for i, q in enumerate(QUERIES)], k=2, langs="ru",
                                                   confidence=False)]
    assert [[m.doc_id for m in ms] for ms in alone] == [[m.doc_id for m in ms] for ms in batch]
    assert all(np.isclose(a.signals["second_view"], b.signals["second_view"]) for a, b in zip(alone[0], batch[0]))


def test_cli_json_shows_the_second_view(built, monkeypatch):
    from tracer.cli.app import app

    monkeypatch.setenv("TRACER_SECOND_VIEW_WEIGHT", "0.2")
    out = CliRunner().invoke(app, ["--index", str(built.index_dir), "--quiet", "lookup", QUERIES[0], "--k", "2",
                                   "--lang", "ru", "--json"])
    assert out.exit_code == 0, out.output
    matches = json.loads(out.stdout)["matches"]
    assert {m["doc_id"] for m in matches} == {"twin-ty", "twin-vy"}
    assert all("second_view" in m["signals"] for m in matches)
    assert matches[0]["confidence"] is not None

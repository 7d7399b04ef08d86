"""Library API with the small fake encoder: storage, caching, versions, filters."""
import json

import pytest

from tracer.types import Document

from tracer import Tracer
from tracer.config import load_settings
from tracer.errors import EncoderMismatch, IndexNotFound, InputError

from fakes import FakeEncoder

DOCS = [
    {"id": "uk1", "lang": "uk", "kind": "original", "source": "interview", "date": "2025-09-30",
     "text": "Депутатка дала інтерв'ю. «Наразі в нас СЗЧ стільки, скільки було війська до вторгнення», — сказала вона. Потім була реклама."},
    {"id": "ru1", "lang": "ru", "kind": "original", "source": "gazeta.ru", "date": "2025-10-01",
     "text": "Депутат заявила об этом в интервью. «На данный момент у нас СЗЧ столько, сколько было войск до вторжения», — сказала она."},
    {"id": "en1", "lang": "en", "kind": "article", "source": "blog", "date": "2025-10-02",
     "text": "A deputy spoke out. “At the moment, we have as many deserters as there were troops before the invasion,” she said."},
]


def write_jsonl(path, docs):
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tracer(index_dir, tmp_path):
    enc = FakeEncoder()
    t = Tracer(settings=load_settings(index_dir), encoder=enc)
    t.ingest([write_jsonl(tmp_path / "docs.jsonl", DOCS)])
    yield t
    t.close()


def test_ingest_is_idempotent(tracer, tmp_path):
    again = tracer.ingest([tmp_path / "docs.jsonl"])
    assert again.new == 0 and again.skipped == 3
    # same content under another id is also recognised
    moved = dict(DOCS[0], id="other-id")
    report = tracer.ingest([write_jsonl(tmp_path / "moved.jsonl", [moved])])
    assert report.new == 0 and report.skipped == 1


def test_build_caches_embeddings_and_versions(tracer, tmp_path):
    first = tracer.build()
    assert first.embedded > 0 and first.segments >= 6
    calls_before = sum(tracer.encoder.calls)
    second = tracer.build(force=True)
    assert second.embedded == 0 and second.cached == first.segments
    assert sum(tracer.encoder.calls) == calls_before  # nothing re-embedded
    assert second.version != first.version
    again = tracer.build()  # nothing new: nothing published
    assert not again.built and again.version == second.version and tracer.index.versions.list_versions()[-1] == second.version
    status = tracer.status()
    assert status["current_version"] == second.version
    assert status["manifest"]["encoder_id"] == tracer.encoder.id


def test_lookup_fields_context_and_filters(tracer):
    tracer.build()
    res = tracer.lookup("Наразі в нас СЗЧ стільки, скільки було війська до вторгнення", k=3)
    assert res.query_lang == "uk"
    top = res.matches[0]
    assert top.doc_id == "uk1" and top.rank == 1
    assert top.segment_kind == "quote"
    doc_text = DOCS[0]["text"]
    assert doc_text[top.start:top.end] == top.text
    assert top.context_before == "Депутатка дала інтерв'ю."
    assert top.context_after == "Потім була реклама."
    d = res.to_dict()
    for key in ("id", "query", "query_lang", "matches"):
        assert key in d
    for key in ("rank", "score", "doc_id", "segment_id", "lang", "kind", "source", "title", "url", "date",
                "text", "start", "end", "context_before", "context_after"):
        assert key in d["matches"][0]
    only_ru = tracer.lookup("СЗЧ", k=5, langs="ru")
    assert only_ru.matches and {m.lang for m in only_ru.matches} == {"ru"}
    only_articles = tracer.lookup("deserters", k=5, kinds="article")
    assert {m.kind for m in only_articles.matches} == {"article"}
    # a quote and its sentence are never both listed
    anchors = [m.sentence_start for m in res.matches if m.doc_id == "uk1"]
    assert len(anchors) == len(set(anchors))


def test_version_filters_agree_with_the_store(tracer):
    import itertools

    import numpy as np

    from tracer.index.layout import FILTERS_FILE

    tracer.build()
    searcher = tracer.lookups().searcher
    assert (searcher.path / FILTERS_FILE).exists()
    langs = [None, ("uk",), ("ru", "en"), ("de",)]
    kinds = [None, ("original",), ("article",), ("article", "original")]
    for lang, kind in itertools.product(langs, kinds):
        if lang or kind:
            oracle = tracer.store.segment_ids_where(lang, kind)
            assert np.array_equal(searcher.allowed_ids(lang, kind), oracle), (lang, kind)
    # a version built before the file existed falls back to the store
    (searcher.path / FILTERS_FILE).unlink()
    tracer._searcher = None
    old = tracer.lookups().searcher
    assert np.array_equal(old.allowed_ids(("uk",), None), tracer.store.segment_ids_where(("uk",), None))


def test_lookup_gives_each_match_a_confidence(tracer):
    tracer.build()
    res = tracer.lookup("Наразі в нас СЗЧ стільки, скільки було війська до вторгнення", k=3)
    assert all(0.0 <= m.confidence <= 1.0 for m in res.matches)
    assert res.to_dict()["matches"][0]["confidence"] == res.matches[0].confidence
    # the ranking is the lookup's own: confidence is added, never re-sorted by
    plain = tracer.lookup("Наразі в нас СЗЧ стільки, скільки було війська до вторгнення", k=3, confidence=False)
    assert [m.segment_id for m in plain.matches] == [m.segment_id for m in res.matches]
    assert all(m.confidence is None for m in plain.matches)


def test_lookup_batch_keeps_order(tracer):
    tracer.build()
    out = tracer.lookup_batch([("b", "deserters before the invasion"), ("a", "реклама")], k=2)
    assert [r.id for r in out] == ["b", "a"]


def test_a_batch_larger_than_the_query_memo(tracer):
    # The memo keeps recent query vectors; a batch bigger than it must still get all of its own.
    from tracer.lookup.lookup import Lookup
    tracer.build()
    queries = [(str(i), f"deserters number {i}") for i in range(40)]
    first = tracer.lookup_batch(queries, k=1)
    assert [r.id for r in first] == [q for q, _ in queries]
    small = Lookup(tracer.lookups().searcher, tracer.encoder, tracer.settings, memo_size=8)
    vecs = small.encode_queries([t for _, t in queries] + ["реклама", "deserters number 3"])
    assert vecs.shape == (42, tracer.encoder.dim) and len(small._memo) == 8
    assert (vecs[3] == vecs[41]).all()


def test_an_editors_gloss_in_the_quote_is_not_looked_up(tracer):
    tracer.build()
    plain = tracer.lookup("At the moment we have as many deserters as troops", k=3)
    glossed = tracer.lookup("At the moment we have [Ukrainian abbreviation – ‘Gazeta.Ru’] as many deserters as troops", k=3)
    assert glossed.query.startswith("At the moment we have [Ukrainian")  # shown as given
    assert [(m.segment_id, m.score) for m in glossed.matches] == [(m.segment_id, m.score) for m in plain.matches]


def test_lookup_loads_the_encoder_beside_the_index(tracer):
    import threading

    tracer.build()
    loaded = []
    tracer.encoder.load = lambda: loaded.append(threading.current_thread() is not threading.main_thread())
    tracer.close()  # a fresh process: no searcher yet
    tracer.lookup("deserters", k=1)
    tracer.lookup("troops", k=1)
    assert loaded == [True]  # once, on a second thread, while the index opened


def test_each_version_carries_the_statistics_it_was_built_with(tracer):
    tracer.build()
    searcher = tracer.lookups().searcher
    assert (searcher.path / "reference.npz").exists()
    # the fake encoder has no shipped statistics: the index stands in, and says so
    assert "index's own segments" in searcher.manifest["reference"]
    assert searcher.manifest["hubness"] == "full"
    tracer.ingest_documents([Document(id="more", text="Другий документ про погоду.", lang="uk")])
    tracer.build()
    assert tracer.lookups().searcher.manifest["hubness"] == "incremental"  # old rows reused


def test_bad_lookups(tracer, index_dir):
    with pytest.raises(IndexNotFound):
        tracer.lookup("anything")  # ingested but never built
    tracer.build()
    with pytest.raises(InputError):
        tracer.lookup("   ")
    with pytest.raises(InputError):
        tracer.lookup("x", langs="xx")
    with pytest.raises(InputError):
        tracer.lookup("x", kinds="blog")
    other = Tracer(settings=load_settings(index_dir), encoder=FakeEncoder(id="fake/other"))
    with pytest.raises(EncoderMismatch):
        other.lookup("anything")


def test_lookup_on_missing_index(tmp_path):
    t = Tracer(tmp_path / "nowhere", encoder=FakeEncoder())
    with pytest.raises(IndexNotFound):
        t.lookup("anything")
    assert not (tmp_path / "nowhere").exists()  # looking must not create an index

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from tracer.errors import IndexNotFound, InputError, TracerError
from tracer.store import MIGRATIONS, Store, text_hash
from tracer.text.hashing import content_hash
from tracer.types import Document, Segment


def make_doc(doc_id: str, sentences: list[str], *, lang: str = "en", kind: str = "original",
             quotes: dict[int, tuple[int, int]] | None = None) -> tuple[Document, list[Segment]]:
    """A document made of sentences joined by spaces; ``quotes`` maps a
    sentence index to (start, end) offsets inside that sentence."""
    text = " ".join(sentences)
    segs: list[Segment] = []
    pos = 0
    starts = []
    for s in sentences:
        starts.append(pos)
        segs.append(Segment(doc_id, pos, pos + len(s), s, lang))
        pos += len(s) + 1
    for i, (a, b) in (quotes or {}).items():
        start = starts[i] + a
        segs.append(Segment(doc_id, start, starts[i] + b, text[start : starts[i] + b], lang, "quote", parent=i))
    doc = Document(doc_id, text, lang, kind, source="src", url=f"https://x/{doc_id}", date="2024-05-01",
                   title=f"Title {doc_id}")
    return doc, segs


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "idx") as s:
        yield s


def test_add_and_get(store: Store):
    doc, segs = make_doc("d1", ["One.", "Two.", "Three."])
    assert store.add_document(doc, segs) is True
    assert store.has_document("d1") and not store.has_document("d2")
    assert store.get_document("d1") == doc
    assert store.get_document("nope") is None
    assert store.document_count() == 1 and store.segment_count() == 3
    assert store.document_count(kind="article") == 0
    got = store.get_segments("d1")
    assert [s.text for s in got] == ["One.", "Two.", "Three."]
    assert all(s.id is not None for s in got)
    assert (store.path.name, store.path.parent.name) == ("tracer.db", "idx")


def test_dedupe_by_id_and_content(store: Store):
    doc, segs = make_doc("d1", ["Йде їжак."])
    assert store.add_document(doc, segs)
    # same id, different text
    doc2, segs2 = make_doc("d1", ["Something else."])
    assert store.add_document(doc2, segs2) is False
    # same content in another Unicode composition, other id
    decomposed = unicodedata.normalize("NFD", "Йде їжак.")
    assert decomposed != doc.text
    doc3, segs3 = make_doc("d3", [decomposed])
    assert content_hash(decomposed) == content_hash(doc.text)
    assert store.add_document(doc3, segs3) is False
    assert store.has_content(decomposed)
    assert store.document_ids_by_content(decomposed) == ["d1"]
    assert store.document_ids_by_content("other") == []
    assert store.document_count() == 1 and store.segment_count() == 1
    assert store.get_document("d1").text == "Йде їжак."


def test_add_documents_batch(store: Store):
    items = [make_doc(f"d{i}", [f"Sentence {i}."]) for i in range(5)] + [make_doc("d0", ["dup"])]
    assert store.add_documents(items) == [True] * 5 + [False]
    assert store.document_count() == 5


def test_bad_segments_store_nothing(store: Store):
    doc, segs = make_doc("d1", ["One.", "Two."])
    bad = segs + [Segment("d1", 0, 3, "One", "en", "quote", parent=7)]
    with pytest.raises(InputError):
        store.add_document(doc, bad)
    assert store.document_count() == 0 and store.segment_count() == 0


def test_parent_ids_and_context(store: Store):
    doc, segs = make_doc("d1", ["First one.", 'He said "we will win" today.', "Last one."], quotes={1: (9, 20)})
    store.add_document(doc, segs)
    stored = store.get_segments("d1")
    quote = stored[3]
    assert quote.kind == "quote" and quote.text == "we will win" and quote.parent == 1
    row_parent = store.conn.execute("SELECT parent_id FROM segments WHERE id = ?", (quote.id,)).fetchone()[0]
    assert row_parent == stored[1].id

    rows = store.segments_by_ids([quote.id, stored[0].id, stored[2].id, stored[1].id, 999_999, -1])
    assert [r.id for r in rows] == [quote.id, stored[0].id, stored[2].id, stored[1].id]  # input order, unknown skipped
    q, first, last, middle = rows
    assert q.kind == "quote" and q.doc_kind == "original" and q.title == "Title d1" and q.source == "src"
    assert q.sentence_text == 'He said "we will win" today.'
    assert doc.text[q.sentence_start : q.sentence_end] == q.sentence_text
    assert doc.text[q.start : q.end] == q.text
    assert (q.context_before, q.context_after) == ("First one.", "Last one.")
    assert (first.context_before, first.context_after) == ("", 'He said "we will win" today.')
    assert (last.context_before, last.context_after) == ('He said "we will win" today.', "")
    assert middle.sentence_text == middle.text and middle.parent_id is None
    assert store.segments_by_ids([]) == []


def test_context_stays_in_document(store: Store):
    store.add_document(*make_doc("a", ["A1.", "A2."]))
    store.add_document(*make_doc("b", ["B1.", "B2."]))
    ids = [s.id for s in store.get_segments("b")]
    rows = store.segments_by_ids(ids)
    assert [(r.context_before, r.context_after) for r in rows] == [("", "B2."), ("B1.", "")]


def test_iter_segment_keys(store: Store):
    texts = {}
    for i in range(7):
        store.add_document(*make_doc(f"d{i}", [f"S{i}a.", f"S{i}b."]))
        texts.update({s.id: s.text for s in store.get_segments(f"d{i}")})
    keys = list(store.iter_segment_keys(batch=4))
    assert len(keys) == 14
    assert [k[0] for k in keys] == sorted(texts)
    assert all(k[1] == text_hash(texts[k[0]]) for k in keys)
    assert {k[2] for k in keys} == {"en"}


def test_embedding_cache(store: Store):
    store.add_document(*make_doc("d1", ["Same.", "Other.", "Same."]))
    store.add_document(*make_doc("d2", ["Other.", "New."]))
    missing = store.missing_embeddings("enc-a")
    assert [t for _, t in missing] == ["Same.", "Other.", "New."]  # distinct, first appearance order
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((3, 8)).astype(np.float32)
    hashes = [h for h, _ in missing]
    store.put_embeddings("enc-a", hashes[:2], vecs[:2])
    assert [t for _, t in store.missing_embeddings("enc-a")] == ["New."]
    assert len(store.missing_embeddings("enc-b")) == 3  # keyed by encoder
    store.put_embeddings("enc-a", hashes[2:], vecs[2:])
    assert store.missing_embeddings("enc-a") == []
    got = store.get_embeddings("enc-a", [hashes[2], hashes[0], hashes[2]])
    np.testing.assert_array_equal(got, vecs[[2, 0, 2]])
    assert store.embedding_dim("enc-a") == 8 and store.embedding_dim("enc-b") is None
    with pytest.raises(ValueError):
        store.put_embeddings("enc-a", ["x"], np.zeros((1, 4), np.float32))
    with pytest.raises(ValueError):
        store.put_embeddings("enc-a", ["x", "y"], np.zeros((1, 8), np.float32))
    with pytest.raises(KeyError):
        store.get_embeddings("enc-a", [hashes[0], "nope"])

    batches = list(store.iter_segment_vectors("enc-a", batch=2))
    ids = np.concatenate([b[0] for b in batches])
    all_vecs = np.concatenate([b[1] for b in batches])
    assert len(ids) == 5 and np.all(np.diff(ids) > 0)
    by_text = dict(zip(["Same.", "Other.", "New."], vecs))
    texts = {r.id: r.text for r in store.segments_by_ids(ids)}
    for i, v in zip(ids, all_vecs):
        np.testing.assert_array_equal(v, by_text[texts[i]])


def test_get_embeddings_many(store: Store):
    # more hashes than one IN (...) chunk
    hashes = [f"h{i}" for i in range(2000)]
    vecs = np.random.default_rng(1).standard_normal((2000, 4)).astype(np.float32)
    store.put_embeddings("e", hashes, vecs)
    np.testing.assert_array_equal(store.get_embeddings("e", hashes[::-1]), vecs[::-1])


def test_prune_embeddings(store: Store):
    store.add_document(*make_doc("d1", ["Keep."]))
    store.put_embeddings("e", [text_hash("Keep."), text_hash("Gone.")], np.eye(2, dtype=np.float32))
    assert store.prune_embeddings() == 1
    assert store.missing_embeddings("e") == []


def test_segment_filters(store: Store):
    store.add_document(*make_doc("en1", ["Hello there.", "He said 'yes' loudly."], quotes={1: (9, 12)}))
    store.add_document(*make_doc("ru1", ["Привет.", "Пока."], lang="ru", kind="article"))
    store.add_document(*make_doc("uk1", ["Привіт."], lang="uk"))
    rows = {r.id: r for r in store.segments_by_ids(store.segment_ids_where())}
    assert len(rows) == 6
    ids = store.segment_ids_where(langs=("ru", "uk"))
    assert ids.dtype == np.int64 and {rows[i].lang for i in ids} == {"ru", "uk"} and len(ids) == 3
    ids = store.segment_ids_where(doc_kinds=("original",))
    assert {rows[i].doc_id for i in ids} == {"en1", "uk1"}
    ids = store.segment_ids_where(langs=("en",), seg_kinds=("quote",))
    assert [rows[i].text for i in ids] == ["yes"]
    assert len(store.segment_ids_where(langs=("de",))) == 0
    assert len(store.segment_ids_where(langs=())) == 0


def test_delete_cascades(store: Store):
    store.add_document(*make_doc("d1", ["A.", "B 'q' b."], quotes={1: (3, 4)}))
    store.add_document(*make_doc("d2", ["C."]))
    assert store.delete_document("d1") is True
    assert store.delete_document("d1") is False
    assert store.segment_count() == 1 and store.document_count() == 1
    # ids are never reused, so an old index version cannot point at a new segment
    old_max = 3
    store.add_document(*make_doc("d3", ["D."]))
    assert min(s.id for s in store.get_segments("d3")) > old_max


def test_migrations_idempotent(tmp_path: Path):
    path = tmp_path / "t.db"
    with Store(path) as s:
        s.add_document(*make_doc("d1", ["A."]))
        assert s.applied_migrations() == [name for name, _ in MIGRATIONS]
    with Store(path) as s:  # reopening applies nothing twice and keeps data
        assert s.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert s.document_count() == 1
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_new_migration_applied_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tracer.store as store_mod

    path = tmp_path / "t.db"
    Store(path).close()
    calls = []

    def add_column(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("ALTER TABLE documents ADD COLUMN extra TEXT")

    monkeypatch.setattr(store_mod, "MIGRATIONS", (*MIGRATIONS, ("0099_extra", add_column)))
    with pytest.raises(TracerError, match="upgrade"):
        Store(path, readonly=True)
    Store(path).close()
    Store(path).close()
    assert calls == [1]
    with Store(path, readonly=True) as s:
        assert s.applied_migrations()[-1] == "0099_extra"


def test_cache_key_is_the_text_without_editorial_insertions():
    assert text_hash("у нас СЗЧ [самовольное оставление части. — «Газета.Ru»] столько") == text_hash("у нас СЗЧ столько")
    assert text_hash("у нас СЗЧ столько") != text_hash("у нас СЗЧ  столько")  # otherwise exact


def test_migration_rekeys_segments_hashed_with_their_insertions(tmp_path: Path):
    import hashlib

    path = tmp_path / "t.db"
    glossed, plain = "СЗЧ [самовольное оставление части. — «Газета.Ru»] столько.", "Plain [x](https://y) link."
    raw = hashlib.sha256(glossed.encode("utf-8")).hexdigest()[:32]
    with Store(path) as s:
        s.add_document(*make_doc("d1", [glossed, plain]))
        s.put_embeddings("enc", [raw, text_hash(plain)], np.ones((2, 4), np.float32))
    # the store as an older tracer left it: keyed by the raw text (whose vector
    # was of the raw text), migration 0002 not applied
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE segments SET text_hash = ? WHERE text = ?", (raw, glossed))
        conn.execute("DELETE FROM migrations WHERE name = '0002_embed_without_insertions'")
    conn.close()
    with Store(path) as s:
        keys = {t: h for h, t in s.conn.execute("SELECT text_hash, text FROM segments")}
        assert keys[glossed] == text_hash("СЗЧ столько.") != raw
        assert keys[plain] == text_hash(plain)
        # the next build embeds the glossed sentence afresh; the plain one stays cached
        assert s.missing_embeddings("enc") == [(text_hash(glossed), glossed)]


def test_readonly(tmp_path: Path):
    with pytest.raises(IndexNotFound):
        Store(tmp_path / "missing", readonly=True)
    with Store(tmp_path / "idx") as s:
        s.add_document(*make_doc("d1", ["A."]))
    with Store(tmp_path / "idx", readonly=True) as ro:
        assert ro.document_count() == 1
        with pytest.raises(TracerError):
            ro.add_document(*make_doc("d2", ["B."]))


def test_failed_transaction_rolls_back(store: Store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO documents(id, content_hash, text, lang, kind, added_at) VALUES ('x', 'h', 't', 'en', 'original', 'now')"
            )
            raise RuntimeError("boom")
    assert store.document_count() == 0
    assert store.add_document(*make_doc("d1", ["A."]))


def test_wal_reader_while_writer(tmp_path: Path):
    """A reader keeps answering from its snapshot while another process holds
    an open write transaction, then sees the commit."""
    path = tmp_path / "idx"
    with Store(path) as s:
        s.add_document(*make_doc("d1", ["A."]))
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
            from pathlib import Path
            from tracer.store import Store
            from tracer.types import Document, Segment
            s = Store(Path({str(path)!r}))
            with s.transaction() as conn:
                s._insert(conn, Document("d2", "B.", "en"), [Segment("d2", 0, 2, "B.", "en")])
                print("writing", flush=True)
                sys.stdin.readline()
            print("committed", flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        with Store(path, readonly=True, busy_timeout=0.5) as ro:
            assert ro.document_count() == 1  # not blocked, uncommitted row invisible
            assert ro.segments_by_ids(ro.segment_ids_where())[0].text == "A."
            with Store(path, busy_timeout=0.5) as rw:  # opening writable does not wait either
                assert rw.document_count() == 1
            writer.stdin.write("\n")
            writer.stdin.flush()
            assert writer.stdout.readline().strip() == "committed"
            assert ro.document_count() == 2
    finally:
        writer.kill()
        writer.wait()


def test_stores_from_before_windows_get_them_and_lose_title_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tracer.store as store_mod
    from tracer.text.segment import segment_document

    path = tmp_path / "old.db"
    text = ("Он сказал, что шоу «Pawn Stars» он смотрит каждый день вместе с детьми, женой и соседями. "
            "«Мы не отдадим ни метра нашей земли», — заявил он.")
    old = [s for s in segment_document("d", text, "ru") if s.kind != "window"]
    old.insert(1, Segment("d", text.index("Pawn"), text.index("Pawn") + 10, "Pawn Stars", "en", "quote", 0))
    monkeypatch.setattr(store_mod, "MIGRATIONS", MIGRATIONS[:2])  # a store written before 0003
    with Store(path) as s:
        s.add_document(Document("d", text, "ru"), old)
    monkeypatch.setattr(store_mod, "MIGRATIONS", MIGRATIONS)
    with Store(path) as s:
        segs = s.get_segments("d")
    assert "Pawn Stars" not in [x.text for x in segs if x.kind == "quote"]
    wins = [x for x in segs if x.kind == "window"]
    expected = [(w.start, w.end) for w in segment_document("d", text, "ru") if w.kind == "window"]
    assert sorted((w.start, w.end) for w in wins) == sorted(expected) and expected
    assert all(text[w.start:w.end] == w.text and segs[w.parent].kind == "sentence" for w in wins)

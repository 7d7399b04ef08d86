"""The compressed HNSW index (8-bit codes + float16 re-ranking) against the numpy oracle."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tracer.index.faiss_index as fi
from tracer.index.backends import load_index
from tracer.index.exact import ExactIndex
from tracer.index.hnsw_sq import KIND, HnswSqIndex

from test_faiss_index import DIM, corpus, recall


def assert_close(got, expected, atol=2e-3):
    """Scores equal up to float16 rounding, rank by rank; ids equal except
    where float16 rounding swaps near-ties."""
    finite = np.isfinite(expected[0])
    assert (np.isfinite(got[0]) == finite).all()
    np.testing.assert_allclose(got[0][finite], expected[0][finite], atol=atol)
    same = got[1] == expected[1]
    assert same.mean() >= 0.97 and recall(got[1], expected[1]) >= 0.99


def assert_same(got, expected):
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[0], expected[0])


@pytest.fixture(scope="module")
def data():
    return corpus(4000, 100, seed=11)


@pytest.fixture(scope="module")
def built(data):
    x, _, ids = data
    index, oracle = HnswSqIndex(DIM, ef_search=64), ExactIndex(DIM)
    index.add(x[:2500], ids[:2500])  # two batches: the first trains the quantizer
    index.add(x[2500:], ids[2500:])
    oracle.add(x, ids)
    return index, oracle


def test_recall_and_exact_scores(data, built):
    _, q, _ = data
    index, oracle = built
    assert index.kind == KIND and index.approximate and index.ntotal == 4000
    scores, found = index.search(q, 10)
    truth_scores, truth = oracle.search(q, 10)
    assert recall(found, truth) >= 0.95
    assert np.all(np.diff(scores, axis=1) <= 1e-6)
    # re-ranked scores are the float cosines up to float16 rounding, not 8-bit ones
    for i in range(len(q)):
        common = np.intersect1d(found[i], truth[i])
        got = dict(zip(found[i].tolist(), scores[i].tolist()))
        want = dict(zip(truth[i].tolist(), truth_scores[i].tolist()))
        assert max(abs(got[c] - want[c]) for c in common.tolist()) < 2e-3


def test_small_filter_is_exact(data, built):
    _, q, ids = data
    index, oracle = built
    allowed = np.random.default_rng(6).choice(ids, 200, replace=False)
    assert_close(index.search(q, 10, allowed), oracle.search(q, 10, allowed))


def test_broad_filter_uses_the_graph(data, built, monkeypatch: pytest.MonkeyPatch):
    _, q, ids = data
    index, oracle = built
    monkeypatch.setattr(fi, "EXACT_SUBSET_MAX", 10)
    monkeypatch.setattr(fi, "EXACT_SUBSET_FRACTION", 0.01)
    allowed = np.random.default_rng(7).choice(ids, 1600, replace=False)
    _, found = index.search(q, 10, allowed)
    _, truth = oracle.search(q, 10, allowed)
    assert np.isin(found[found >= 0], allowed).all()
    assert recall(found, truth) >= 0.95


def test_padding_when_fewer_vectors_than_k():
    x, q, ids = corpus(3, 2, seed=4)
    index = HnswSqIndex(DIM)
    index.add(x, ids)
    scores, found = index.search(q, 5)
    assert (found[:, 3:] == -1).all() and np.isneginf(scores[:, 3:]).all()
    assert set(found[0, :3].tolist()) == set(ids.tolist())


def test_save_load_mapped_reads_rows_from_disk(tmp_path: Path, data, built):
    _, q, ids = data
    index, _ = built
    expected = index.search(q, 10)
    expected_f = index.search(q, 10, ids[:50])
    index.save(tmp_path / "v")
    for mmap in (True, False):
        loaded = load_index(tmp_path / "v", mmap=mmap)
        assert isinstance(loaded, HnswSqIndex) and loaded.kind == KIND and loaded.ntotal == 4000
        assert (loaded._vectors is None) == mmap  # mapped: float16 rows stay on disk (pread)
        assert_same(loaded.search(q, 10), expected)
        assert_same(loaded.search(q, 10, ids[:50]), expected_f)
    mapped = load_index(tmp_path / "v", mmap=True)
    assert isinstance(mapped, HnswSqIndex)
    with pytest.raises(ValueError, match="mmap"):
        mapped.add(np.eye(DIM, dtype=np.float32)[:1], np.array([10**6]))
    writable = load_index(tmp_path / "v", mmap=False)
    writable.add(np.eye(DIM, dtype=np.float32)[:1], np.array([10**6]))
    assert writable.ntotal == 4001 and writable.search(np.eye(DIM, dtype=np.float32)[:1], 1)[1][0, 0] == 10**6


def test_build_uses_it_above_flat_max(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """make_index switches to the compressed kind; the saved files are what a
    version directory needs (index.faiss, ids, float16 rows, index.json)."""
    from tracer.index import backends

    monkeypatch.setattr(backends, "FLAT_MAX", 100)
    index = backends.make_index(101, DIM)
    x, _, ids = corpus(300, 1, seed=5)
    index.add(x, ids)
    index.save(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["index.faiss", "index.json", "index_ids.npy", "vectors.f16.npy"]

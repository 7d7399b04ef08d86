"""FaissIndex against the numpy oracle (ExactIndex)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tracer.index.faiss_index as fi
from tracer.index.backends import load_index
from tracer.index.exact import ExactIndex
from tracer.index.backends import make_index
from tracer.index.faiss_index import FaissIndex

DIM = 32


def unit(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def corpus(n: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clustered vectors (like topics) with ids that are not positions,
    and queries that are noisy copies of corpus vectors."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((50, DIM))
    x = unit(centers[rng.integers(0, 50, n)] + 0.8 * rng.standard_normal((n, DIM)))
    q = unit(x[rng.choice(n, n_queries, replace=False)] + 0.1 * rng.standard_normal((n_queries, DIM)))
    ids = (rng.permutation(n) * 5 + 3).astype(np.int64)
    return x, q, ids


def pair(x: np.ndarray, ids: np.ndarray, approximate: bool) -> tuple[FaissIndex, ExactIndex]:
    index, oracle = FaissIndex(DIM, approximate=approximate), ExactIndex(DIM)
    for start in range(0, len(x), 1500):
        index.add(x[start : start + 1500], ids[start : start + 1500])
    oracle.add(x, ids)
    return index, oracle


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([
        len(set(f[f >= 0]) & set(t[t >= 0])) / max(1, int((t >= 0).sum())) for f, t in zip(found, truth)
    ]))


@pytest.fixture(scope="module")
def data():
    return corpus(4000, 100)


@pytest.fixture(scope="module")
def flat(data):
    x, _, ids = data
    return pair(x, ids, approximate=False)


@pytest.fixture(scope="module")
def hnsw(data):
    x, _, ids = data
    return pair(x, ids, approximate=True)


def assert_same(got, expected):
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-4, atol=1e-5)


def test_flat_identical_to_oracle(data, flat):
    _, q, _ = data
    index, oracle = flat
    assert index.kind == "faiss-flat" and index.ntotal == 4000
    assert_same(index.search(q, 10), oracle.search(q, 10))


def test_flat_filter_identical(data, flat, monkeypatch: pytest.MonkeyPatch):
    x, q, ids = data
    index, oracle = flat
    rng = np.random.default_rng(5)
    allowed = np.concatenate([rng.choice(ids, 300, replace=False), [10**6, 7]])  # unknown ids ignored
    expected = oracle.search(q, 10, allowed)
    got = index.search(q, 10, allowed)  # a batch >= EXACT_BATCH_MIN: numpy over the allowed rows
    assert_same(got, expected)
    assert np.isin(got[1], allowed).all()
    few = slice(0, fi.EXACT_BATCH_MIN - 1)  # fewer queries: FAISS with an IDSelector
    assert_same(index.search(q[few], 10, allowed), (expected[0][few], expected[1][few]))
    monkeypatch.setattr(fi, "_BITMAP_MAX_ID", 0)  # the hash-set selector gives the same answer
    assert_same(index.search(q[few], 10, allowed), (expected[0][few], expected[1][few]))


def test_padding(data, flat, hnsw):
    _, q, ids = data
    for index, _ in (flat, hnsw):
        scores, found = index.search(q[:3], 5, allowed_ids=ids[:3])
        assert set(found[0, :3]) == set(ids[:3])
        assert (found[:, 3:] == -1).all() and np.isneginf(scores[:, 3:]).all()
        assert (index.search(q[:3], 5, allowed_ids=np.array([], dtype=np.int64))[1] == -1).all()
        assert (index.search(q[:3], 5, allowed_ids=np.array([-1, 12345678]))[1] == -1).all()
    small = FaissIndex(DIM)
    assert (small.search(q[:2], 3)[1] == -1).all()
    small.add(unit(np.ones((2, DIM))), np.array([1, 2]))
    scores, found = small.search(q[:2], 4)
    assert sorted(found[0, :2]) == [1, 2] and (found[:, 2:] == -1).all() and np.isneginf(scores[:, 2:]).all()


def test_hnsw_recall(data, hnsw):
    _, q, _ = data
    index, oracle = hnsw
    assert index.kind == "faiss-hnsw" and index.approximate
    scores, found = index.search(q, 10)
    _, truth = oracle.search(q, 10)
    assert recall(found, truth) >= 0.95
    assert np.all(np.diff(scores, axis=1) <= 1e-6)


def test_hnsw_filter_small_set_is_exact(data, hnsw):
    """Selective filters take the exact path: identical to the oracle."""
    _, q, ids = data
    index, oracle = hnsw
    allowed = np.random.default_rng(6).choice(ids, 200, replace=False)
    assert_same(index.search(q, 10, allowed), oracle.search(q, 10, allowed))


def test_hnsw_filter_graph_path(data, hnsw, monkeypatch: pytest.MonkeyPatch):
    """Broad filters go through the HNSW graph with an IDSelector."""
    _, q, ids = data
    index, oracle = hnsw
    monkeypatch.setattr(fi, "EXACT_SUBSET_MAX", 10)
    monkeypatch.setattr(fi, "EXACT_SUBSET_FRACTION", 0.01)
    calls = []
    exact_subset = index._exact_subset
    monkeypatch.setattr(index, "_exact_subset", lambda *a: calls.append(1) or exact_subset(*a))
    allowed = np.random.default_rng(7).choice(ids, 1600, replace=False)
    _, found = index.search(q, 10, allowed)
    _, truth = oracle.search(q, 10, allowed)
    assert np.isin(found[found >= 0], allowed).all()
    assert recall(found, truth) >= 0.95
    assert not calls  # no query needed the exact fallback


def test_hnsw_short_results_fall_back(data, hnsw, monkeypatch: pytest.MonkeyPatch):
    """A graph walk that comes back with fewer results than exist is redone exactly."""
    _, q, ids = data
    index, oracle = hnsw
    monkeypatch.setattr(fi, "EXACT_SUBSET_MAX", 0)
    monkeypatch.setattr(fi, "EXACT_SUBSET_FRACTION", 0.0)
    real = index._faiss_search

    def lossy(queries, k, allowed, ef):
        scores, found = real(queries, k, allowed, ef)
        scores[0, -3:], found[0, -3:] = -np.inf, -1  # pretend query 0 got stuck
        return scores, found

    monkeypatch.setattr(index, "_faiss_search", lossy)
    allowed = ids[:2000]
    got = index.search(q[:4], 10, allowed)
    expected = oracle.search(q[:4], 10, allowed)
    assert_same((got[0][:1], got[1][:1]), (expected[0][:1], expected[1][:1]))


@pytest.mark.parametrize("approximate", [False, True])
def test_save_load(tmp_path: Path, approximate: bool):
    x, q, ids = corpus(600, 10, seed=3)
    index = FaissIndex(DIM, approximate=approximate, ef_search=64)
    index.add(x, ids)
    expected = index.search(q, 5)
    expected_f = index.search(q, 5, ids[:50])
    index.save(tmp_path / "v")
    for mmap in (True, False):
        loaded = load_index(tmp_path / "v", mmap=mmap)
        assert isinstance(loaded, FaissIndex) and loaded.kind == index.kind
        assert loaded.ntotal == 600 and loaded.dim == DIM and loaded.ef_search == 64
        assert_same(loaded.search(q, 5), expected)
        assert_same(loaded.search(q, 5, ids[:50]), expected_f)
    mapped = FaissIndex.load(tmp_path / "v", mmap=True)
    with pytest.raises(ValueError, match="mmap"):
        mapped.add(x[:1], np.array([10**6]))
    writable = FaissIndex.load(tmp_path / "v", mmap=False)
    writable.add(x[:1], np.array([10**6]))
    assert writable.ntotal == 601


def test_validation():
    index = FaissIndex(4)
    with pytest.raises(ValueError):
        index.add(np.eye(4, dtype=np.float32) * 3, np.arange(4))
    with pytest.raises(ValueError):
        index.add(np.eye(4, dtype=np.float32), np.array([1, 1, 2, 3]))
    with pytest.raises(ValueError):
        index.add(np.eye(4, dtype=np.float32), np.array([-1, 1, 2, 3]))
    with pytest.raises(ValueError):
        index.search(np.ones((1, 5), np.float32), 3)


def test_make_index_by_size():
    assert make_index(10, DIM).kind == "faiss-flat"
    assert make_index(fi.FLAT_MAX, DIM).kind == "faiss-flat"
    big = make_index(fi.FLAT_MAX + 1, DIM)  # compressed HNSW: tests/index/test_hnsw_sq.py
    assert big.kind == "faiss-hnsw-sq8" and big.dim == DIM and big.ntotal == 0


def test_small_batches_restore_thread_count(data, flat):
    import faiss

    _, q, _ = data
    before = faiss.omp_get_max_threads()
    flat[0].search(q[:1], 3)
    flat[0].search(q, 3)
    assert faiss.omp_get_max_threads() == before

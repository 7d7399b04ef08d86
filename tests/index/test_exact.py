from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tracer.errors import IndexNotFound
from tracer.index.backends import load_index
from tracer.index.exact import ExactIndex


def unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def naive(x: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    return np.array([ids[np.argsort(-(x @ qi), kind="stable")[:k]] for qi in q])


def test_matches_naive_sort_and_is_sorted():
    rng = np.random.default_rng(0)
    x, q = unit(rng, 500, 16), unit(rng, 20, 16)
    ids = rng.permutation(10_000)[:500].astype(np.int64)
    index = ExactIndex(16)
    index.add(x[:200], ids[:200])
    index.add(x[200:], ids[200:])  # several batches
    assert index.ntotal == 500 and len(index) == 500
    scores, found = index.search(q, 7)
    assert scores.shape == found.shape == (20, 7)
    assert scores.dtype == np.float32 and found.dtype == np.int64
    np.testing.assert_array_equal(found, naive(x, ids, q, 7))
    assert np.all(np.diff(scores, axis=1) <= 0)
    pos = {int(i): p for p, i in enumerate(ids)}
    np.testing.assert_allclose(scores[3], [x[pos[int(i)]] @ q[3] for i in found[3]], rtol=1e-5)


def test_blocks_give_same_answer(monkeypatch: pytest.MonkeyPatch):
    import tracer.index.exact as exact

    rng = np.random.default_rng(1)
    x, q = unit(rng, 300, 8), unit(rng, 9, 8)
    ids = np.arange(300, dtype=np.int64)
    index = ExactIndex(8)
    index.add(x, ids)
    expected = index.search(q, 5)
    monkeypatch.setattr(exact, "_DB_BLOCK", 7)
    monkeypatch.setattr(exact, "_QUERY_BLOCK", 2)
    got = index.search(q, 5)
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-6)


def test_padding_and_filter():
    rng = np.random.default_rng(2)
    x, q = unit(rng, 10, 8), unit(rng, 3, 8)
    ids = np.arange(100, 110, dtype=np.int64)
    index = ExactIndex(8)
    index.add(x, ids)
    scores, found = index.search(q, 15)
    assert (found[:, 10:] == -1).all() and np.isneginf(scores[:, 10:]).all()
    assert set(found[0, :10]) == set(ids)
    allowed = np.array([101, 105, 107, 999])
    scores, found = index.search(q, 4, allowed_ids=allowed)
    assert set(found[0, :3]) == {101, 105, 107} and found[0, 3] == -1
    np.testing.assert_array_equal(found[:, :3], naive(x[[1, 5, 7]], ids[[1, 5, 7]], q, 3))
    scores, found = index.search(q, 4, allowed_ids=np.array([], dtype=np.int64))
    assert (found == -1).all()
    empty = ExactIndex(8)
    assert (empty.search(q, 2)[1] == -1).all()


def test_validation():
    index = ExactIndex(4)
    v = np.eye(4, dtype=np.float32)
    with pytest.raises(ValueError):
        index.add(v * 2, np.arange(4))  # not normalised
    with pytest.raises(ValueError):
        index.add(v, np.array([0, 1, 1, 2]))  # duplicate ids
    with pytest.raises(ValueError):
        index.add(v[:, :3], np.arange(4))  # wrong dim
    index.add(v, np.arange(4))
    with pytest.raises(ValueError):
        index.add(v, np.arange(4))  # already present
    with pytest.raises(ValueError):
        index.search(v, 0)
    # a 1-D query is one query
    assert index.search(v[0], 1)[1].tolist() == [[0]]


def test_save_load_mmap(tmp_path: Path):
    rng = np.random.default_rng(3)
    x, q = unit(rng, 50, 8), unit(rng, 4, 8)
    index = ExactIndex(8)
    index.add(x, np.arange(50, dtype=np.int64) * 2)
    index.save(tmp_path / "ix")
    expected = index.search(q, 5)
    for mmap in (True, False):
        loaded = load_index(tmp_path / "ix", mmap=mmap)
        assert isinstance(loaded, ExactIndex) and loaded.ntotal == 50 and loaded.kind == "exact"
        assert isinstance(loaded._vectors, np.memmap) == mmap
        got = loaded.search(q, 5)
        np.testing.assert_array_equal(got[1], expected[1])
    loaded = ExactIndex.load(tmp_path / "ix")
    loaded.add(unit(rng, 1, 8), np.array([1001]))  # a mapped index still accepts adds (copy)
    assert loaded.ntotal == 51
    with pytest.raises(IndexNotFound):
        load_index(tmp_path / "nothing")

"""IVF-PQ (4-bit fast-scan codes + float16 re-ranking) against the numpy oracle, alone and sharded."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tracer.index import backends
from tracer.index.backends import load_index, make_index
from tracer.index.base import within_ties
from tracer.index.exact import ExactIndex
from tracer.index.ivf_pq import KIND, IvfPqIndex, nlist_for
from tracer.index.sharded import ShardedIndex

from test_faiss_index import recall
from test_sharded import real_vectors


@pytest.fixture(scope="module")
def data():
    x, q, ids = real_vectors()
    oracle = ExactIndex(x.shape[1])
    oracle.add(x, ids)
    index = IvfPqIndex(x.shape[1])
    index.add(x, ids)
    return x, q, ids, oracle, index


def same(got, want):
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[0], want[0])


def test_recall_and_exact_scores(data):
    x, q, ids, oracle, index = data
    assert index.kind == KIND and index.ntotal == len(x) and index.nlist == nlist_for(len(x))
    truth_scores, truth = oracle.search(q, 10)
    found = {}
    default = index.nprobe
    for nprobe in (index.nlist // 4, index.nlist // 2, index.nlist):
        index.nprobe = nprobe
        scores, found[nprobe] = index.search(q, 10)
        # re-ranked scores are the float cosines up to float16 rounding, not the 4-bit codes' scores
        hit = found[nprobe] == truth
        assert np.abs(scores[hit] - truth_scores[hit]).max() < 2e-3
        assert np.all(np.diff(scores, axis=1) <= 0)
    index.nprobe = default
    recalls = [recall(found[n], truth) for n in sorted(found)]
    assert recalls == sorted(recalls)
    # every list scanned: the codes and re-ranking alone lose (almost) nothing
    assert recalls[-1] >= 0.99


def test_filters(data):
    x, q, ids, oracle, index = data
    rng = np.random.default_rng(1)
    small = np.sort(rng.choice(ids, 300, replace=False))  # searched exactly over its float16 rows
    got = index.search(q, 10, allowed_ids=small)
    want = oracle.search(q, 10, allowed_ids=small)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_allclose(got[0], want[0], atol=2e-3)
    # the same filter through the inverted lists (an ID selector), every list scanned
    monkey = pytest.MonkeyPatch()
    monkey.setattr("tracer.index.ivf_pq.EXACT_SUBSET_MAX", 100)
    monkey.setattr(index, "nprobe", index.nlist)
    try:
        got = index.search(q, 10, allowed_ids=small)
    finally:
        monkey.undo()
    assert np.isin(got[1][got[1] >= 0], small).all()
    assert recall(got[1], want[1]) >= 0.99


@pytest.mark.parametrize("allowed", [None, "small", "large"])
def test_four_shards_equal_one_index(data, allowed, monkeypatch):
    """Shards sharing one training give exactly what one index gives, ids and scores."""
    x, q, ids, _, _ = data
    dim = x.shape[1]
    template = IvfPqIndex(dim)
    template.train(x)
    single = IvfPqIndex(dim)
    single.adopt_training(template)
    single.add(x, ids)
    sharded = make_index(len(x), dim, kind="ivf-pq", shards=4)
    sharded.train(x)
    sharded.add(x, ids)
    assert isinstance(sharded, ShardedIndex) and sharded.two_phase
    assert min(s.ntotal for s in sharded.shards) > 0
    rng = np.random.default_rng(2)
    allow = {None: None, "small": np.sort(rng.choice(ids, 500, replace=False)),
             "large": np.sort(rng.choice(ids, 3000, replace=False))}[allowed]
    if allowed == "large":
        monkeypatch.setattr("tracer.index.ivf_pq.EXACT_SUBSET_MAX", 1000)
    for k in (10, 50):
        same(sharded.search(q, k, allowed_ids=allow), single.search(q, k, allowed_ids=allow))
    same(sharded.search(q[3], 10, allowed_ids=allow), single.search(q[3], 10, allowed_ids=allow))


def test_shards_on_threads_give_the_same(data, monkeypatch):
    x, q, ids, _, index = data
    sharded = make_index(len(x), x.shape[1], kind="ivf-pq", shards=3)
    sharded.add(x, ids)
    alone = [sharded.search(q, 10), sharded.search(q[0], 50)]
    monkeypatch.setattr("tracer.index.sharded.PARALLEL_MIN", 1)
    threaded = make_index(len(x), x.shape[1], kind="ivf-pq", shards=3)
    threaded.add(x, ids)
    same(threaded.search(q, 10), alone[0])
    same(threaded.search(q[0], 50), alone[1])
    assert threaded._pool is not None


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load(tmp_path: Path, data, mmap):
    x, q, ids, _, index = data
    index.save(tmp_path / "v")
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == \
        ["index.faiss", "index.json", "index_ids.npy", "vectors.f16.npy"]
    loaded = load_index(tmp_path / "v", mmap=mmap)
    assert isinstance(loaded, IvfPqIndex) and loaded.nprobe == index.nprobe
    same(loaded.search(q, 10), index.search(q, 10))
    with pytest.raises(ValueError, match="read-only"):
        loaded.add(x[:1], np.array([10**9]))
    sharded = make_index(len(x), x.shape[1], kind="ivf-pq", shards=2)
    sharded.add(x, ids)
    sharded.save(tmp_path / "s")
    same(load_index(tmp_path / "s", mmap=mmap).search(q, 10), sharded.search(q, 10))


def test_auto_picks_ivf_pq_above_the_threshold(monkeypatch):
    monkeypatch.setattr(backends, "FLAT_MAX", 100)
    monkeypatch.setattr(backends, "IVF_MIN", 1000)
    assert make_index(999, 16).kind == "faiss-hnsw-sq8"
    assert make_index(1001, 16).kind == KIND
    assert make_index(10, 16, kind="ivf-pq").kind == KIND
    assert nlist_for(10_000_000) == 1024 and nlist_for(100_000) == 128 and nlist_for(10) == 16


def test_within_ties_keeps_the_whole_tie():
    scores = np.array([[0.9, 0.8, 0.8, 0.8, 0.1]], np.float32)
    ids = np.array([[5, 3, 9, 1, 2]])
    np.testing.assert_array_equal(within_ties(scores, ids, 2), [[5, 3, 9, 1, -1]])
    np.testing.assert_array_equal(within_ties(scores, ids, 1), [[5, -1, -1, -1, -1]])

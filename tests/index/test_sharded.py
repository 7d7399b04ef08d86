"""Sharded indexes against one index over the same vectors (the numpy oracle)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tracer.index.backends import load_index, make_index
from tracer.index.exact import ExactIndex
from tracer.index.faiss_index import FaissIndex
from tracer.index.reference import ReferenceSpace
from tracer.index.sharded import ShardedIndex, document_shards, id_shards, router_from, shard_dir

from test_faiss_index import DIM, corpus, recall

REPO = Path(__file__).resolve().parents[2]


def sharded_flat(x, ids, shards=4, dim=DIM):
    index = make_index(len(ids), dim, kind="flat", shards=shards)
    for start in range(0, len(x), 1500):
        index.add(x[start:start + 1500], ids[start:start + 1500])
    return index


def oracle(x, ids, dim=DIM):
    index = ExactIndex(dim)
    index.add(x, ids)
    return index


def assert_same(got, want):
    """Same ids in the same order, and the same scores (float32 rounding apart)."""
    np.testing.assert_array_equal(got[1], want[1])
    finite = np.isfinite(want[0])
    assert (np.isfinite(got[0]) == finite).all()
    np.testing.assert_allclose(got[0][finite], want[0][finite], rtol=0, atol=1e-6)


@pytest.fixture(scope="module")
def random_data():
    return corpus(6000, 200, seed=3)


def real_vectors():
    """Real e5 vectors: the reference sentences that ship with tracer (centred
    news sentences in three languages), as (vectors, queries, ids); the
    queries are other real sentences."""
    files = sorted((REPO / "tracer" / "index" / "reference_data").glob("reference-*.npz"))
    if not files:
        pytest.skip("no shipped reference statistics")
    ref = ReferenceSpace.load(files[0])
    rows = np.concatenate([ref.samples[lang] for lang in ref.langs]).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(rows))
    queries, x = rows[order[:150]], rows[order[150:]]
    ids = (rng.permutation(len(x)) * 7 + 1).astype(np.int64)
    return x, queries, ids


@pytest.fixture(scope="module")
def real_data():
    return real_vectors()


@pytest.mark.parametrize("shards", [1, 2, 4])
def test_sharded_flat_equals_one_index(random_data, shards):
    x, q, ids = random_data
    index = sharded_flat(x, ids, shards)
    assert index.ntotal == len(x)
    assert_same(index.search(q, 10), oracle(x, ids).search(q, 10))


def test_sharded_equals_one_index_on_real_vectors(real_data):
    x, q, ids = real_data
    dim = x.shape[1]
    want = oracle(x, ids, dim).search(q, 10)
    assert_same(sharded_flat(x, ids, 4, dim).search(q, 10), want)
    # numpy shards too: the merge, not the backend, makes it exact
    numpy_shards = make_index(len(x), dim, kind="exact", shards=4)
    numpy_shards.add(x, ids)
    assert_same(numpy_shards.search(q, 10), want)
    # one query at a time, as a lookup asks (FAISS computes small batches another way)
    for i in range(0, len(q), 37):
        assert_same(sharded_flat(x, ids, 4, dim).search(q[i], 10), (want[0][i:i + 1], want[1][i:i + 1]))


@pytest.mark.parametrize("fraction", [0.5, 0.02, 0.001])
def test_filtered_search_is_the_same(random_data, real_data, fraction):
    for x, q, ids in (random_data, real_data):
        dim = x.shape[1]
        rng = np.random.default_rng(int(fraction * 1000))
        allowed = np.sort(rng.choice(ids, max(1, int(fraction * len(ids))), replace=False))
        want = oracle(x, ids, dim).search(q, 10, allowed_ids=allowed)
        index = sharded_flat(x, ids, 4, dim)
        got = index.search(q, 10, allowed_ids=allowed)
        assert_same(got, want)
        assert np.isin(got[1][got[1] >= 0], allowed).all()
        # a single query (the lookup's case) and ids not in the index at all
        extra = np.concatenate([allowed, [10**9]])
        assert_same(index.search(q[:1], 10, allowed_ids=extra), (want[0][:1], want[1][:1]))


def test_fewer_hits_than_k_are_padded(random_data):
    x, q, ids = random_data
    allowed = ids[:3]
    got = sharded_flat(x, ids).search(q[:5], 10, allowed_ids=allowed)
    assert_same(got, oracle(x, ids).search(q[:5], 10, allowed_ids=allowed))
    assert (got[1][:, 3:] == -1).all() and np.isneginf(got[0][:, 3:]).all()


def test_hnsw_shards_keep_recall(random_data):
    """Approximate shards are merged the same way: no worse than one graph."""
    x, q, ids = random_data
    index = make_index(len(x), DIM, kind="hnsw-sq8", shards=4)
    index.add(x, ids)
    single = make_index(len(x), DIM, kind="hnsw-sq8")
    single.add(x, ids)
    truth = oracle(x, ids).search(q, 10)[1]
    assert recall(index.search(q, 10)[1], truth) >= recall(single.search(q, 10)[1], truth) - 0.01


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load(tmp_path, random_data, mmap):
    x, q, ids = random_data
    index = sharded_flat(x, ids)
    index.save(tmp_path / "v")
    meta = json.loads((tmp_path / "v" / "index.json").read_text())
    assert meta["kind"] == "sharded-faiss-flat" and meta["shards"] == 4 and meta["ntotal"] == len(x)
    sizes = []
    for number in range(4):
        assert json.loads((shard_dir(tmp_path / "v", number) / "index.json").read_text())["kind"] == "faiss-flat"
        sizes.append(load_index(shard_dir(tmp_path / "v", number)).ntotal)
    assert sum(sizes) == len(x) and min(sizes) > 0
    loaded = load_index(tmp_path / "v", mmap=mmap)
    assert isinstance(loaded, ShardedIndex) and loaded.ntotal == len(x)
    assert_same(loaded.search(q, 10), oracle(x, ids).search(q, 10))


def test_routing_keeps_documents_together_and_is_stable():
    docs = [f"doc-{i % 97}" for i in range(1000)]
    shards = document_shards(docs, 4)
    by_doc = {}
    for doc, s in zip(docs, shards.tolist()):
        assert by_doc.setdefault(doc, s) == s
    assert set(by_doc.values()) == {0, 1, 2, 3}
    # the same in another process with another hash seed (Python's hash() would not be)
    code = ("import sys, json; sys.path.insert(0, sys.argv[1]); from tracer.index.sharded import document_shards; "
            "print(json.dumps(document_shards([f'doc-{i}' for i in range(97)], 4).tolist()))")
    out = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert json.loads(out) == document_shards([f"doc-{i}" for i in range(97)], 4).tolist()
    ids = np.arange(1000, dtype=np.int64) * 3
    route = router_from(ids, shards)
    np.testing.assert_array_equal(route(ids[::-1]), shards[::-1])
    with pytest.raises(ValueError):
        route(np.array([1]))
    assert set(id_shards(ids, 4).tolist()) == {0, 1, 2, 3}


def test_shards_must_agree():
    with pytest.raises(ValueError):
        ShardedIndex([FaissIndex(8), FaissIndex(16)])
    with pytest.raises(ValueError):
        ShardedIndex([])

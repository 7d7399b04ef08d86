"""Shards served by Ray actors (a real local cluster) answer like the in-process ShardedIndex and one index."""
from __future__ import annotations

import time

import numpy as np
import pytest

from tracer import Tracer
from tracer.config import load_settings
from tracer.distributed.ray_shards import RayShardedIndex, ray_lookup
from tracer.errors import IndexNotFound
from tracer.index.backends import make_index
from tracer.index.exact import ExactIndex

from fakes import FakeEncoder

DIM = 48


def unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((40, DIM))
    x = unit(centres[rng.integers(0, 40, 20_000)] + 0.7 * rng.standard_normal((20_000, DIM)))
    q = unit(x[rng.choice(len(x), 60, replace=False)] + 0.1 * rng.standard_normal((60, DIM)))
    ids = (rng.permutation(len(x)) * 3 + 2).astype(np.int64)
    return x, q, ids


@pytest.fixture(scope="module")
def saved(data, tmp_path_factory):
    x, _, ids = data
    index = make_index(len(x), DIM, kind="flat", shards=4)
    index.add(x, ids)
    path = tmp_path_factory.mktemp("sharded") / "v"
    index.save(path)
    oracle = ExactIndex(DIM)
    oracle.add(x, ids)
    return path, index, oracle


def same(got, want):
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-6)


def test_actors_answer_like_one_index(ray_cluster, data, saved):
    _, q, ids = data
    path, local, oracle = saved
    with RayShardedIndex.open(path) as served:
        assert served.ntotal == len(ids) and served.kind == "sharded-faiss-flat" and served.dim == DIM
        same(served.search(q, 10), oracle.search(q, 10))
        same(served.search(q[0], 10), local.search(q[0], 10))
        # a filter small enough to send along, and one large enough to go through the object store
        for allowed in (np.sort(ids[:500]), np.sort(ids[:15_000])):
            same(served.search(q, 10, allowed_ids=allowed), oracle.search(q, 10, allowed_ids=allowed))
        with pytest.raises(ValueError):
            served.add(data[0][:1], np.array([1]))
        actors = list(served.shards)
    # closed: the actors are gone (ray.kill is asynchronous: a call sent just after it may still be
    # answered, so ask until the actor is dead), the cluster is not
    with pytest.raises(ray_cluster.exceptions.RayActorError):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ray_cluster.get(actors[0].info.remote())
            time.sleep(0.1)
    assert ray_cluster.is_initialized()


def test_two_phase_shards_on_actors(ray_cluster, data, tmp_path):
    """IVF-PQ shards (approximate, re-ranked) answer through actors as they do in process."""
    x, q, ids = data
    local = make_index(len(x), DIM, kind="ivf-pq", shards=3)
    local.add(x, ids)
    local.save(tmp_path / "v")
    allowed = np.sort(ids[::3])
    with RayShardedIndex.open(tmp_path / "v") as served:
        assert served.two_phase and served.approximate
        for args in ((q, 10), (q, 50), (q[:1], 10, allowed)):
            got, want = served.search(*args), local.search(*args)
            np.testing.assert_array_equal(got[1], want[1])
            np.testing.assert_array_equal(got[0], want[0])


def test_ray_lookup_equals_the_local_lookup(ray_cluster, tmp_path, example_corpus):
    settings = load_settings(tmp_path / "ix").with_(shards=3)
    t = Tracer(settings=settings, encoder=FakeEncoder())
    t.ingest([example_corpus])
    t.build()
    queries = [("1", "we have as many deserters as there were troops before the invasion"),
               ("2", "марафон у місті"), ("3", "central bank rate")]
    want = t.lookup_batch(queries, k=5, confidence=False)
    lookup = ray_lookup(tmp_path / "ix", settings=settings, encoder=FakeEncoder())
    try:
        got = lookup.search(queries, k=5)
    finally:
        lookup.searcher.index.close()
        lookup.store.close()
    assert [r.matches for r in got] == [r.matches for r in want] and all(r.matches for r in want)
    t.close()


def test_an_unsharded_version_is_refused(ray_cluster, tmp_path, data):
    x, _, ids = data
    index = make_index(1000, DIM, kind="flat")
    index.add(x[:1000], ids[:1000])
    index.save(tmp_path / "v")
    with pytest.raises(IndexNotFound, match="not a sharded one"):
        RayShardedIndex.open(tmp_path / "v")

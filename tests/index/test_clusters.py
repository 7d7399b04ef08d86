"""Syndication links (tracer.index.clusters) on small hand-made vectors, with the exact index."""
import numpy as np

from tracer.index.clusters import cluster_ids, link_segments
from tracer.index.exact import ExactIndex
from tracer.index.reference import ReferenceSpace


def _unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _setup(rng, dim=64):
    base = _unit(rng.normal(size=(6, dim)))
    # docs: o (ru original), r (uk relay: the same statements, slightly moved), u (ru, unrelated)
    vecs = np.vstack([base[:3], _unit(base[:3] + 0.15 * rng.normal(size=(3, dim))), base[3:]])
    ids = np.arange(1, 10, dtype=np.int64)
    langs = ["ru"] * 3 + ["uk"] * 3 + ["ru"] * 3
    places = [("o", "sentence", 10)] * 3 + [("r", "sentence", 10)] * 3 + [("u", "sentence", 10)] * 3
    index = ExactIndex(dim)
    index.add(vecs, ids)
    reference = ReferenceSpace("test", {"ru": np.zeros(dim, np.float32), "uk": np.zeros(dim, np.float32)},
                               {lang: _unit(rng.normal(size=(200, dim))) for lang in ("ru", "uk")})
    return index, ids, vecs, langs, places, reference


def test_a_translated_relay_is_linked_to_its_original_and_nothing_else():
    index, ids, vecs, langs, places, reference = _setup(np.random.default_rng(0))
    links, clusters, mode = link_segments(index, ids, vecs, langs, places, reference, None)
    assert mode == "full"
    assert {tuple(x) for x in links.tolist()} == {(1, 4), (2, 5), (3, 6)}
    assert clusters.tolist() == [1, 2, 3, 1, 2, 3, -1, -1, -1]
    assert cluster_ids(ids, links).tolist() == clusters.tolist()


def test_links_do_not_depend_on_how_crowded_the_index_is():
    """The cross-language score uses the reference neighbourhoods only: adding near copies of the
    pair to the index (which would fill the index's own neighbourhoods) changes nothing."""
    rng = np.random.default_rng(1)
    index, ids, vecs, langs, places, reference = _setup(rng)
    before = link_segments(index, ids, vecs, langs, places, reference, None)[0]
    extra = _unit(vecs[3:6] + 0.3 * rng.normal(size=(3, vecs.shape[1])))  # uk sentences near the relay
    index.add(extra, np.arange(10, 13, dtype=np.int64))
    ids2 = np.concatenate([ids, np.arange(10, 13)])
    after = link_segments(index, ids2, np.vstack([vecs, extra]), langs + ["uk"] * 3,
                          places + [("x", "sentence", 10)] * 3, reference, None)[0]
    assert {tuple(x) for x in before.tolist()} <= {tuple(x) for x in after.tolist()}

"""`tracer build` with shards: the version layout, and lookups equal to one index's."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tracer import Tracer
from tracer.config import load_settings
from tracer.index.backends import load_index
from tracer.index.sharded import ShardedIndex, shard_dir

from fakes import FakeEncoder

QUERIES = [("1", "we have as many deserters as there were troops before the invasion"),
           ("2", "the central bank kept its key rate"), ("3", "марафон"), ("4", "зерновий коридор")]


def built(tmp_path, example_corpus, shards: int) -> Tracer:
    settings = load_settings(tmp_path / f"ix{shards}").with_(shards=shards)
    t = Tracer(settings=settings, encoder=FakeEncoder())
    t.ingest([example_corpus])
    t.build()
    return t


@pytest.fixture
def pair(tmp_path, example_corpus):
    one, four = built(tmp_path, example_corpus, 1), built(tmp_path, example_corpus, 4)
    yield one, four
    one.close()
    four.close()


def test_version_holds_one_index_per_shard(pair):
    _, t = pair
    version = t.index.require_current()
    assert version.manifest["shards"] == 4 and version.manifest["index_type"] == "sharded-faiss-flat"
    index = load_index(version.path)
    assert isinstance(index, ShardedIndex) and index.ntotal == version.manifest["count"]
    # every document's segments sit in one shard
    shard_of = {}
    for number in range(4):
        meta = json.loads((shard_dir(version.path, number) / "index.json").read_text())
        assert meta["kind"] == "faiss-flat"
        ids = load_index(shard_dir(version.path, number)).ids
        for row in t.store.segments_by_ids(ids.tolist()):
            assert shard_of.setdefault(row.doc_id, number) == number
    assert len(set(shard_of.values())) > 1


@pytest.mark.parametrize("langs", [None, "ru,uk", "en"])
def test_lookups_equal_one_index(pair, langs):
    one, four = pair
    a = one.lookup_batch(QUERIES, k=5, langs=langs)
    b = four.lookup_batch(QUERIES, k=5, langs=langs)
    assert [r.matches for r in a] == [r.matches for r in b]
    assert any(r.matches for r in a)


def test_syndication_links_equal_one_index(pair):
    one, four = pair
    links = [np.load(t.index.require_current().path / "links.npy") for t in pair]
    np.testing.assert_array_equal(links[0], links[1])

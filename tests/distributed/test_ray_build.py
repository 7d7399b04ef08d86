"""`tracer build --ray`: embedding on a real local Ray cluster gives a local build's vectors and version."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from tracer import Tracer
from tracer.config import load_settings
from tracer.distributed.ray_build import ray_embedder
from tracer.errors import TracerError

from fakes import FakeEncoder
from paths import ROOT

QUERIES = [("1", "we have as many deserters as there were troops before the invasion"),
           ("2", "the central bank kept its key rate")]


def cached_vectors(db) -> dict[tuple[str, str], bytes]:
    with sqlite3.connect(db) as conn:
        return {(e, h): v for e, h, v in conn.execute("SELECT encoder_id, text_hash, vector FROM embeddings")}


def tracer_at(path, example_corpus, **settings) -> Tracer:
    t = Tracer(settings=load_settings(path).with_(**settings), encoder=FakeEncoder())
    t.ingest([example_corpus])
    return t


def test_ray_build_equals_local_build(ray_cluster, tmp_path, example_corpus):
    local = tracer_at(tmp_path / "local", example_corpus)
    remote = tracer_at(tmp_path / "ray", example_corpus, shards=2)
    local.build()
    embed = ray_embedder(remote.settings, remote.encoder.id, make_encoder=FakeEncoder, actors=2, block=64)
    report = remote.build(embed=embed)
    assert report.embedded == report.segments > 100
    assert remote.encoder.calls == []  # nothing was embedded in this process
    assert cached_vectors(local.index.db) == cached_vectors(remote.index.db)
    # the same version: same ids, links and lookups (2 shards give what one index gives)
    a, b = local.index.require_current().path, remote.index.require_current().path
    for name in ("ids.npy", "links.npy", "hubness.npy"):
        np.testing.assert_array_equal(np.load(a / name), np.load(b / name))
    assert [r.matches for r in local.lookup_batch(QUERIES)] == [r.matches for r in remote.lookup_batch(QUERIES)]
    # nothing pending: the next build does not touch Ray at all
    def refuse(missing):
        assert not missing
        return iter(())
    assert remote.build(embed=refuse).embedded == 0
    local.close()
    remote.close()


def test_a_worker_with_another_encoder_is_refused(ray_cluster, tmp_path, example_corpus):
    t = tracer_at(tmp_path / "ix", example_corpus)
    embed = ray_embedder(t.settings, "another-encoder", make_encoder=FakeEncoder, actors=1)
    with pytest.raises(TracerError, match="another-encoder"):
        t.build(embed=embed)
    assert cached_vectors(t.index.db) == {} and t.index.current() is None
    t.close()


def test_a_bad_address_is_one_clear_line(tmp_path, example_corpus):
    """A cluster that cannot be reached: a one-line error, no traceback.
    (Not `auto` with no cluster: `auto` finds any cluster running on this machine.)"""
    env = {**os.environ, "TRACER_ENCODER": "py:fakes:FakeEncoder",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    env.pop("RAY_ADDRESS", None)
    index = tmp_path / "ix"
    run = [sys.executable, "-m", "tracer", "--index", str(index)]
    subprocess.run(run + ["ingest", str(example_corpus)], env=env, cwd=ROOT, check=True, capture_output=True)
    proc = subprocess.run(run + ["build", "--ray", "no-such-address"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert any(line.startswith("tracer: cannot connect to the Ray cluster") for line in proc.stderr.splitlines())


@pytest.mark.e2e
def test_cli_ray_build_has_the_local_vectors_bit_for_bit(tmp_path, example_corpus):
    """The real int8 model on a Ray cluster this command starts: every cached
    vector equals the local build's, byte for byte."""
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "TRACER_INDEX")}
    indexes = {}
    for name, extra in (("local", []), ("ray", ["--ray", "local"])):
        index = indexes[name] = tmp_path / name
        run = [sys.executable, "-m", "tracer", "--quiet", "--index", str(index)]
        subprocess.run(run + ["ingest", str(example_corpus)], env=env, cwd=ROOT, check=True, capture_output=True)
        proc = subprocess.run(run + ["build", *extra], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    local, ray = cached_vectors(indexes["local"] / "tracer.db"), cached_vectors(indexes["ray"] / "tracer.db")
    assert len(local) > 400 and local == ray

"""A sharded index version served by Ray actors: one actor per shard, searched in parallel.

    index = RayShardedIndex.open(version_dir, address="auto")
    scores, ids = index.search(queries, 50)             # like any VectorIndex
    lookup = ray_lookup("indexes/news", address="auto")  # quote lookups on it
    [result] = lookup.search([("1", "go to the bunker")], k=5)

Each actor opens one shard directory (``shards/NNN/``) with the shard's own
backend, so the shards' memory is spread over the cluster's nodes (Ray's
SPREAD scheduling) and an index larger than one machine's memory can be
queried; every node must see the version directory at the same path (a
shared file system, or the same files copied). A search sends the query to
every actor at once and merges their answers exactly as
:class:`tracer.index.sharded.ShardedIndex` does in one process (the merge is
inherited; only how a call reaches the shards differs), so the results are
the same. The rest of a lookup (re-scoring, neighbourhoods, the store) runs
in the calling process, through the usual Searcher.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexNotFound
from ..index.base import read_meta
from ..index.sharded import KIND_PREFIX, ShardedIndex, is_two_phase, shard_dir
from .cluster import connect

# Arguments at least this large go through Ray's object store once per
# search, shared by all shards, instead of being copied into every call.
_PUT_MIN_BYTES = 1 << 16


class ShardServer:
    """A Ray actor holding one shard (any backend)."""

    def __init__(self, path: str, mmap: bool) -> None:
        from ..index.backends import load_index

        self.index = load_index(Path(path), mmap=mmap)

    def info(self) -> dict[str, Any]:
        return {"dim": self.index.dim, "kind": self.index.kind, "ntotal": self.index.ntotal,
                "two_phase": is_two_phase(self.index), "approximate": bool(getattr(self.index, "approximate", False))}

    def call(self, method: str, *args: Any) -> Any:
        return getattr(self.index, method)(*args)


class RayShardedIndex(ShardedIndex):
    """A saved :class:`ShardedIndex` whose shards live in Ray actors (read-only)."""

    def __init__(self, ray: Any, actors: list[Any], infos: list[dict[str, Any]], owns_connection: bool) -> None:
        # no super().__init__: there are no local shard objects to inspect
        dims, kinds = {i["dim"] for i in infos}, {i["kind"] for i in infos}
        if len(dims) != 1 or len(kinds) != 1:
            raise IndexNotFound(f"the shards disagree: dimensions {sorted(dims)}, kinds {sorted(kinds)}")
        self._ray = ray
        self.shards = actors
        self.dim = dims.pop()
        self.shard_kind = kinds.pop()
        self.kind = KIND_PREFIX + self.shard_kind
        self.two_phase = all(i["two_phase"] for i in infos)
        self._approximate = any(i["approximate"] for i in infos)
        self._owns_connection = owns_connection

    @classmethod
    def open(cls, dir: str | Path, *, address: str = "auto", mmap: bool = True,
             cpus_per_shard: float = 0.0) -> "RayShardedIndex":
        """One actor per shard of the sharded index saved in ``dir``.

        ``cpus_per_shard`` is what Ray reserves for each actor (0: the shards
        are placed by memory and spread, whatever the CPUs are doing)."""
        dir = Path(dir).resolve()
        meta = read_meta(dir)
        if not str(meta.get("kind", "")).startswith(KIND_PREFIX):
            raise IndexNotFound(f"{dir} holds a {meta.get('kind')!r} index, not a sharded one (build with shards > 1)")
        ray, owns = connect(address)
        server = ray.remote(ShardServer).options(num_cpus=cpus_per_shard, scheduling_strategy="SPREAD")
        actors = [server.remote(str(shard_dir(dir, i)), mmap) for i in range(int(meta["shards"]))]
        try:
            infos = ray.get([a.info.remote() for a in actors])
        except ray.exceptions.RayError as exc:
            for actor in actors:
                ray.kill(actor)
            raise IndexNotFound(f"a Ray worker could not open a shard of {dir} (every node must see it at this "
                                f"path): {str(exc).strip().splitlines()[-1]}") from None
        return cls(ray, actors, infos, owns)

    @property
    def approximate(self) -> bool:
        return self._approximate

    def _map(self, method: str, *args: Any) -> list[Any]:
        ray = self._ray
        args = tuple(ray.put(a) if isinstance(a, np.ndarray) and a.nbytes >= _PUT_MIN_BYTES else a for a in args)
        return ray.get([actor.call.remote(method, *args) for actor in self.shards])

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        raise ValueError("a Ray-served index is read-only: build shards with `tracer build` (Settings.shards)")

    def save(self, dir: Path) -> None:
        raise ValueError("a Ray-served index is already saved: its shards are the files the actors opened")

    def close(self) -> None:
        """Stop the shard actors (and the Ray connection, if this index made it)."""
        for actor in self.shards:
            self._ray.kill(actor)
        self.shards = []
        if self._owns_connection:
            self._ray.shutdown()

    def __enter__(self) -> "RayShardedIndex":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def ray_lookup(index_dir: str | Path, *, address: str = "auto", settings: Any = None, encoder: Any = None):
    """A :class:`tracer.lookup.lookup.Lookup` on the serving version of
    ``index_dir`` (built with shards), its shards served by Ray actors.

    Close it with ``lookup.searcher.index.close()`` and ``lookup.store.close()``.
    """
    from ..config import load_settings
    from ..encoders.factory import encoder_for
    from ..index.layout import IndexDir
    from ..lookup.lookup import Lookup
    from ..lookup.searcher import Searcher
    from ..store import Store

    settings = settings or load_settings(index_dir)
    where = IndexDir(settings.index_dir)
    version = where.require_current()
    store = Store(where.require_store())
    index = RayShardedIndex.open(version.path, address=address)
    return Lookup(Searcher(version, index, store, settings), encoder or encoder_for(settings), settings)

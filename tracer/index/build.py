"""`tracer build`: embed what is pending, write a new index version, switch to it.

Steps: (1) encode segments whose text has no cached vector for this encoder,
committing the cache in chunks so an interrupted build keeps its work;
(2) centre all vectors on their language's reference mean and add them to a
fresh FAISS index in a temp directory; (3) measure each segment's reference
neighbourhood (``space.py``: reused for segments already measured); (4) verify
and commit the version, which switches ``current`` atomically; (5) prune.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..encoders.base import Encoder
from ..errors import IndexNotFound, TracerError
from .backends import load_index, make_index
from .layout import INDEX_FORMAT, IndexDir, write_arrays
from .reference import ReferenceSpace, from_vectors, shipped_reference
from .sharded import document_shards, router_from
from .clusters import link_segments, links_key
from .space import COPY_COSINE, MIN_OWN_SEGMENTS, OWN_EXTRA, centre, neighbourhoods
from ..text.editorial import embedding_text
from ..types import DOC_KINDS, BuildReport

EMBED_CHUNK = 512  # texts per cache commit


# Texts to embed (text hash, text) -> batches of (text hashes, vectors), in any
# order; the build writes each batch to the cache as it arrives.
Embedder = Callable[[list[tuple[str, str]]], Iterable[tuple[list[str], np.ndarray]]]


def local_embedder(encoder: Encoder, settings: Settings) -> Embedder:
    """Embed in this process, ``EMBED_CHUNK`` texts at a time."""
    def embed(missing: list[tuple[str, str]]) -> Iterator[tuple[list[str], np.ndarray]]:
        for start in range(0, len(missing), EMBED_CHUNK):
            chunk = missing[start:start + EMBED_CHUNK]
            yield [h for h, _ in chunk], encoder.encode_document([embedding_text(t) for _, t in chunk],
                                                                 batch_size=settings.batch_size)
    return embed


def embed_pending(store, encoder: Encoder, settings: Settings, progress,
                  embed: Embedder | None = None) -> tuple[int, int]:
    """Encode texts missing from the cache (with ``embed``, default: here);
    returns (embedded, already cached)."""
    missing = store.missing_embeddings(encoder.id)
    total = len(missing)
    progress("embed", 0, total)
    done = 0
    for hashes, vectors in (embed or local_embedder(encoder, settings))(missing):
        store.put_embeddings(encoder.id, hashes, vectors)
        done += len(hashes)
        progress("embed", done, total)
    if done != total:
        raise TracerError(f"embedding returned {done} vectors for {total} texts")
    return total, store.segment_count() - total


def _all_vectors(store, encoder_id: str, upto: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    ids, hashes, langs = [], [], []
    for sid, text_hash, lang in store.iter_segment_keys(upto=upto):
        ids.append(sid)
        hashes.append(text_hash)
        langs.append(lang)
    ids_arr = np.asarray(ids, dtype=np.int64)
    vectors = store.get_embeddings(encoder_id, hashes) if hashes else np.zeros((0, 0), np.float32)
    return ids_arr, vectors, langs


def _doc_kinds(store, ids: np.ndarray) -> list[str]:
    """The document kind of each segment, in ``ids`` order ("" if unknown)."""
    out = np.full(len(ids), "", dtype=object)
    for kind in DOC_KINDS:
        out[np.isin(ids, store.segment_ids_where(None, (kind,)))] = kind
    return out.tolist()


def _previous_links(index_dir: IndexDir, encoder_id: str, key: str):
    """(ids, links) of the serving version when found in the same space, else None."""
    version = index_dir.current()
    if version is None:
        return None
    try:
        version.check_files()
    except TracerError:  # a damaged version is replaced, not reused
        return None
    manifest = version.manifest
    if (manifest.get("format") != INDEX_FORMAT or manifest.get("encoder_id") != encoder_id
            or manifest.get("reference_key") != key or manifest.get("links_key") != links_key()):
        return None
    arrays = version.read_arrays()
    return np.array(arrays.ids), np.array(arrays.links)


# Above this share of new segments, the neighbourhoods of old segments are
# measured again (new neighbours shift them); below, old rows are reused to keep
# nightly incremental builds cheap.
NEIGHBOURHOOD_REFRESH_SHARE = 0.2


def _previous_neighbourhoods(index_dir: IndexDir, encoder_id: str, key: str):
    """(ids, neighbourhood matrix, columns) of the serving version when it was
    measured against the same reference statistics (then each segment's row
    still holds: it depends on nothing else in the index)."""
    version = index_dir.current()
    if version is None:
        return None
    manifest = version.manifest
    if (manifest.get("format") != INDEX_FORMAT or manifest.get("encoder_id") != encoder_id
            or manifest.get("reference_key") != key or "hubness_langs" not in manifest):
        return None
    arrays = version.read_arrays()
    return np.array(arrays.ids), np.array(arrays.hubness), list(manifest["hubness_langs"])


def _built_with(settings: Settings) -> dict[str, Any]:
    """The settings and rules that shape a version's files (a change means a new build)."""
    return {"margin_k": settings.margin_k, "links": links_key(), "index_type": settings.index_type,
            "shards": settings.shards}


def needs_build(index_dir: IndexDir, store, encoder_id: str, settings: Settings) -> bool:
    """Whether the store holds anything the serving version lacks (or that
    version is damaged, or was built another way)."""
    current = index_dir.current()
    if current is None:
        return True
    try:
        manifest = current.manifest
        current.check_files()
    except TracerError:
        return True
    if (manifest.get("encoder_id") != encoder_id or manifest.get("format") != INDEX_FORMAT
            or manifest.get("built_with") != _built_with(settings)):
        return True
    if int(manifest.get("count", -1)) != store.segment_count():
        return True
    return bool(store.missing_embeddings(encoder_id))


def build_index(index_dir: IndexDir, store, encoder: Encoder, settings: Settings, *, progress,
                verify: bool = True, lock: bool = True, force: bool = True,
                embed: Embedder | None = None) -> BuildReport:
    """Run a full build cycle under the rebuild lock (unless the caller holds it).

    Without ``force``, nothing is written when the serving version already
    holds everything (the report's ``built`` is False). The build works on
    the segments stored when it starts: documents ingested meanwhile wait
    for the next build. ``embed`` embeds the texts missing from the cache
    (default: in this process; tracer.distributed.ray_build gives one that
    runs on a Ray cluster).
    """
    t0 = time.perf_counter()
    versions = index_dir.versions
    versions.recover()
    if store.segment_count() == 0:
        raise IndexNotFound(f"nothing to build: the index at {index_dir.root} holds no documents "
                            "(run `tracer ingest PATH`)")
    with versions.lock() if lock else nullcontext():
        if not force and not needs_build(index_dir, store, encoder.id, settings):
            manifest = index_dir.current().manifest  # type: ignore[union-attr]
            return BuildReport(str(manifest.get("version")), int(manifest.get("count", 0)), 0,
                               int(manifest.get("count", 0)), str(manifest.get("index_type")),
                               time.perf_counter() - t0, built=False)
        upto = store.max_segment_id()  # the snapshot: an ingest running meanwhile adds higher ids
        timings: dict[str, float] = {}
        t = time.perf_counter()
        embedded, cached = embed_pending(store, encoder, settings, progress, embed)
        timings["embed"] = time.perf_counter() - t

        t = time.perf_counter()
        ids, raw, langs = _all_vectors(store, encoder.id, upto)
        ref = reference_for(encoder.id, raw, langs)
        vectors = centre(raw, langs, ref.means)
        del raw
        places = [(doc, kind, words) for _, doc, kind, words in store.iter_segment_places()]
        route = None
        if settings.shards > 1:
            # a document's segments share a shard (places come in ids' order, by segment id)
            route = router_from(ids, document_shards([p[0] for p in places], settings.shards))
        index = make_index(len(ids), vectors.shape[1], kind=settings.index_type, shards=settings.shards,
                           route=route)
        index.add(vectors, ids)
        timings["index"] = time.perf_counter() - t

        t = time.perf_counter()
        key = reference_key(ref, settings.margin_k)
        places = [(doc, kind, words) for sid, doc, kind, words in store.iter_segment_places() if sid <= upto]
        own = own_neighbours(index, ids, vectors, langs, [p[0] for p in places])
        hubness, hub_langs, hub_mode = _neighbourhoods(index_dir, encoder.id, key, ids, vectors, ref,
                                                       settings.margin_k, progress, own)
        timings["hubness"] = time.perf_counter() - t

        t = time.perf_counter()
        links, clusters, link_mode = link_segments(index, ids, vectors, langs, places, ref,
                                                   _previous_links(index_dir, encoder.id, key))
        timings["syndication"] = time.perf_counter() - t

        tmp = versions.begin()
        try:
            index.save(tmp)
            write_arrays(tmp, ids=ids, hubness=hubness, langs=langs, kinds=_doc_kinds(store, ids), reference=ref,
                         links=links, clusters=clusters)
            if verify:
                _verify(tmp, ids, vectors)
            manifest = {
                "format": INDEX_FORMAT,
                "encoder_id": encoder.id,
                "dim": int(vectors.shape[1]),
                "count": int(len(ids)),
                "documents": store.document_count(),
                "index_type": index.kind,
                "shards": settings.shards,
                "margin_k": settings.margin_k,
                "reference": ref.source,
                "reference_key": key,
                "hubness": hub_mode,
                "links_key": links_key(),
                "syndication": {"mode": link_mode, "links": int(len(links)),
                                "clusters": int(len(set(clusters.tolist()) - {-1}))},
                "hubness_langs": hub_langs,
                "built_with": _built_with(settings),
                "embedded": embedded,
                "cached": cached,
                "timings": {k: round(v, 3) for k, v in timings.items()},
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            version = versions.commit(tmp, manifest)
        except BaseException:
            _remove_tree(tmp)
            raise
        versions.prune(keep=settings.keep_versions)
    return BuildReport(version, int(len(ids)), embedded, cached, index.kind, time.perf_counter() - t0)


def _neighbourhoods(index_dir, encoder_id, key, ids, vectors, ref: ReferenceSpace, k, progress, own):
    """Each segment's neighbourhood towards each reference language. The serving
    version's rows are reused for the segments it measured when few segments
    are new (their neighbourhoods barely move); otherwise all are measured."""
    progress("hubness", 0, len(ids))
    previous = _previous_neighbourhoods(index_dir, encoder_id, key)
    if previous is not None and previous[2] == ref.langs and len(ids):
        old_ids, old_hub, columns = previous
        order = np.argsort(old_ids)
        pos = np.clip(np.searchsorted(old_ids, ids, sorter=order), 0, len(old_ids) - 1)
        rows = order[pos]
        known = old_ids[rows] == ids
        if 1.0 - known.mean() <= NEIGHBOURHOOD_REFRESH_SHARE:
            out = np.zeros((len(ids), len(columns)), dtype=np.float32)
            out[known] = old_hub[rows[known]]
            todo = np.flatnonzero(~known)
            if len(todo):
                out[todo] = neighbourhoods(vectors[todo], ref, k, own, positions=todo)[0]
            progress("hubness", len(ids), len(ids))
            return out, columns, "incremental"
    out, columns = neighbourhoods(vectors, ref, k, own)
    progress("hubness", len(ids), len(ids))
    return out, columns, "full"


def own_neighbours(index, ids: np.ndarray, vectors: np.ndarray, langs: list[str], docs: list[str]):
    """The index's own part of a neighbourhood (tracer.index.space.neighbourhoods):
    the top similarities of the segments at some positions among the segments
    of a language the index holds enough of, other documents only (a
    sentence's own windows and quotes are not its neighbours)."""
    langs_arr, docs_arr = np.asarray(langs), np.asarray(docs)
    position = {int(s): p for p, s in enumerate(ids.tolist())}
    pools = {lang: np.sort(ids[langs_arr == lang]) for lang in set(langs)}

    def own(positions: np.ndarray, lang: str, k: int):
        pool = pools.get(lang)
        if pool is None or len(pool) < MIN_OWN_SEGMENTS:
            return None
        out = np.full((len(positions), k), -np.inf, dtype=np.float32)
        for start in range(0, len(positions), 4096):
            block = positions[start:start + 4096]
            scores, found = index.search(vectors[block], k + OWN_EXTRA, allowed_ids=pool)
            for r, (p, sc, fd) in enumerate(zip(block.tolist(), scores.tolist(), found.tolist())):
                keep = [v for v, j in zip(sc, fd) if j >= 0 and v <= COPY_COSINE
                        and docs_arr[position[int(j)]] != docs_arr[p]][:k]
                out[start + r, :len(keep)] = keep
        return out

    return own


def reference_for(encoder_id: str, raw: np.ndarray, langs: list[str]) -> ReferenceSpace:
    """The shipped statistics of this encoder, completed with the index's own
    for languages they lack (all languages, for an encoder tracer ships none for)."""
    shipped = shipped_reference(encoder_id)
    return from_vectors(encoder_id, raw, langs, base=shipped,
                        source="the index's own segments (no reference statistics ship for this encoder)")


def reference_key(ref: ReferenceSpace, k: int) -> str:
    """A fingerprint of the statistics a neighbourhood was measured against."""
    h = hashlib.sha1(f"{ref.encoder_id}|{k}".encode())
    for lang in ref.langs:
        h.update(lang.encode())
        h.update(np.ascontiguousarray(ref.means[lang], np.float32).tobytes())
        h.update(np.ascontiguousarray(ref.samples[lang], np.float32).tobytes())
    return h.hexdigest()[:16]


def _verify(tmp: Path, ids: np.ndarray, vectors: np.ndarray) -> None:
    """Reload what was written and probe it: a vector must find itself."""
    index = load_index(tmp, mmap=False)
    if index.ntotal != len(ids):
        raise TracerError(f"index verification failed: {index.ntotal} vectors written, {len(ids)} expected")
    probe = min(len(ids) - 1, len(ids) // 2)
    scores, found = index.search(vectors[probe:probe + 1], 1)
    if found[0, 0] != ids[probe] and scores[0, 0] < 0.999:
        raise TracerError("index verification failed: a probe query did not find its own segment")


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)

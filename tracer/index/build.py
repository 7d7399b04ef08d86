"""`tracer build`: embed what is pending, write a new index version, switch to it.

Steps: (1) encode segments whose text has no cached vector for this encoder,
committing the cache in chunks so an interrupted build keeps its work;
(2) assemble all vectors from the cache into a fresh FAISS index in a temp
directory; (3) compute each segment's hubness (see ``match.py``); (4) verify
and commit the version, which switches ``current`` atomically; (5) prune.
"""
from __future__ import annotations

import time
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..config import Settings
from ..encoders.base import Encoder
from ..errors import IndexNotFound, TracerError
from .backends import load_index, make_index
from .layout import INDEX_FORMAT, IndexDir, write_arrays
from .space import centre, compute_hubness, language_directions, language_means, remove_directions
from ..text.editorial import embedding_text
from ..types import DOC_KINDS, BuildReport

EMBED_CHUNK = 512  # texts per cache commit
# Above this share of new segments, hubness of old segments is recomputed too
# (new neighbours shift it); below, old values are reused to keep nightly
# incremental builds cheap.
HUBNESS_REFRESH_SHARE = 0.2


def embed_pending(store, encoder: Encoder, settings: Settings, progress) -> tuple[int, int]:
    """Encode texts missing from the cache; returns (embedded, already cached)."""
    missing = store.missing_embeddings(encoder.id)
    total = len(missing)
    progress("embed", 0, total)
    for start in range(0, total, EMBED_CHUNK):
        chunk = missing[start:start + EMBED_CHUNK]
        vectors = encoder.encode_document([embedding_text(t) for _, t in chunk], batch_size=settings.batch_size)
        store.put_embeddings(encoder.id, [h for h, _ in chunk], vectors)
        progress("embed", min(start + EMBED_CHUNK, total), total)
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


def _previous_hubness(index_dir: IndexDir, encoder_id: str, margin_k: int, directions: list[str]):
    """(ids, hubness matrix, columns) of the serving version when reusable."""
    version = index_dir.current()
    if version is None:
        return None
    try:
        version.check_files()
    except TracerError:  # a damaged version is replaced, not reused
        return None
    manifest = version.manifest
    if (manifest.get("format") != INDEX_FORMAT or manifest.get("encoder_id") != encoder_id
            or manifest.get("margin_k") != margin_k or manifest.get("language_directions", []) != directions
            or "hubness_langs" not in manifest):
        return None
    arrays = version.read_arrays()
    if arrays.hubness.ndim != 2:
        return None
    return np.array(arrays.ids), np.array(arrays.hubness), list(manifest["hubness_langs"])


def _built_with(settings: Settings) -> dict[str, int]:
    """The settings that shape a version's files (a change means a new build)."""
    return {"margin_k": settings.margin_k, "language_directions": settings.language_directions}


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
                verify: bool = True, lock: bool = True, force: bool = True) -> BuildReport:
    """Run a full build cycle under the rebuild lock (unless the caller holds it).

    Without ``force``, nothing is written when the serving version already
    holds everything (the report's ``built`` is False). The build works on
    the segments stored when it starts: documents ingested meanwhile wait
    for the next build.
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
        embedded, cached = embed_pending(store, encoder, settings, progress)
        timings["embed"] = time.perf_counter() - t

        t = time.perf_counter()
        ids, raw, langs = _all_vectors(store, encoder.id, upto)
        means = language_means(raw, langs)
        vectors = centre(raw, langs, means)
        del raw
        directions = language_directions(vectors, langs, settings.language_directions)
        if directions:
            vectors = remove_directions(vectors, langs, directions)
        direction_langs = sorted(directions)
        index = make_index(len(ids), vectors.shape[1])
        index.add(vectors, ids)
        timings["index"] = time.perf_counter() - t

        t = time.perf_counter()
        hubness, hub_langs, hub_mode = _hubness(index_dir, encoder.id, ids, vectors, langs, index,
                                                settings.margin_k, direction_langs, progress)
        timings["hubness"] = time.perf_counter() - t

        tmp = versions.begin()
        try:
            index.save(tmp)
            write_arrays(tmp, ids=ids, hubness=hubness, langs=langs, kinds=_doc_kinds(store, ids),
                         lang_means=means, lang_directions=directions)
            if verify:
                _verify(tmp, ids, vectors)
            manifest = {
                "format": INDEX_FORMAT,
                "encoder_id": encoder.id,
                "dim": int(vectors.shape[1]),
                "count": int(len(ids)),
                "documents": store.document_count(),
                "index_type": index.kind,
                "margin_k": settings.margin_k,
                "language_directions": direction_langs,
                "hubness": hub_mode,
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


def _hubness(index_dir, encoder_id, ids, vectors, langs, index, k, directions, progress):
    """Per-language hubness of every segment; reuses the serving version's rows
    when few segments are new (their neighbourhoods barely move)."""
    position_of = {int(sid): pos for pos, sid in enumerate(ids.tolist())}

    def search(queries: np.ndarray, kk: int, allowed_positions):
        allowed = ids[allowed_positions] if allowed_positions is not None else None
        scores, found = index.search(queries, kk, allowed_ids=allowed)
        positions = np.array([position_of.get(int(s), -1) for s in found.ravel()], dtype=np.int64)
        return scores, positions.reshape(found.shape)

    progress("hubness", 0, len(ids))
    previous = _previous_hubness(index_dir, encoder_id, k, directions)
    columns = sorted(set(langs))
    if previous is not None and previous[2] == columns:
        old_ids, old_hub, _ = previous
        old_row = {int(i): r for r, i in enumerate(old_ids.tolist())}
        known = np.array([int(i) in old_row for i in ids.tolist()], dtype=bool)
        if len(ids) and 1.0 - known.mean() <= HUBNESS_REFRESH_SHARE:
            out = np.zeros((len(ids), len(columns)), dtype=np.float32)
            rows_known = np.flatnonzero(known)
            out[rows_known] = old_hub[[old_row[int(i)] for i in ids[rows_known].tolist()]]
            todo = np.flatnonzero(~known)
            if len(todo):
                fresh, _ = compute_hubness(vectors, langs, search, k, rows=todo)
                out[todo] = fresh[todo]
            progress("hubness", len(ids), len(ids))
            return out, columns, "incremental"
    out, columns = compute_hubness(vectors, langs, search, k)
    progress("hubness", len(ids), len(ids))
    return out, columns, "full"


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

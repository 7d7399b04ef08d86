"""Syndication: the same statement carried by several documents.

News is copied: a statement appears in the outlet that first published it,
in relays that copy it word for word or lightly edited, and in translations
in the other languages. At build time every sentence is linked to the
sentences of *other* documents that carry the same statement, and linked
sentences form a cluster (union-find); a trace then treats the members of a
cluster as one statement (never each other's rivals) and orders them by date.

Near-duplicates are found with the index's own vectors rather than with a
MinHash/LSH library (datasketch and the like): shingles see a Russian relay
of a Ukrainian interview as unrelated, while the centred multilingual
vectors put a translation next to its original, and they are already
computed. Two sentences are linked when

* they are in one language and their centred cosine reaches
  ``SAME_LANGUAGE_COSINE`` (a copy, a copy with a word changed), or
* they are in two languages and their CSLS score (tracer.index.space) reaches
  ``CROSS_LANGUAGE_SCORE`` and each is the other's best match in that
  document pair (a translation, not a look-alike).

Both thresholds are chosen on the fit half of scripts/bench_trace_news.py.
Links are kept per version (``links.npy``), so a nightly build only searches
from its new sentences.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .space import neighbourhood

SAME_LANGUAGE_COSINE = 0.80
CROSS_LANGUAGE_SCORE = 0.25
NEIGHBOURS = 8
# Nearest reference sentences averaged for the cross-language score's neighbourhoods: the k the
# thresholds were chosen with (scripts/bench_syndication.py, when the lookup's margin_k was 10).
REFERENCE_K = 10
LINKED_KINDS = frozenset({"sentence", "quote"})
MIN_WORDS = 6
_BLOCK = 1024


def find_links(search, ids: np.ndarray, centred: np.ndarray, langs: Sequence[str], docs: Sequence[str],
               sentence_ids: np.ndarray, reference, rows: np.ndarray) -> np.ndarray:
    """Links (pairs of segment ids, smaller first) from the sentences at positions ``rows``.

    ``search(queries, k, allowed_ids)`` searches the index. The cross-language
    score is CSLS over the *reference* neighbourhoods (``reference``: a
    ReferenceSpace; ``REFERENCE_K`` nearest): the index's own segments, which the lookup
    adds to them from 500 of a language on, would hold the very translation
    being linked (a ru/uk pair read 0.23 against its 0.25 threshold), and the
    threshold was chosen on reference neighbourhoods.
    """
    langs_arr = np.asarray(langs)
    docs_arr = np.asarray(docs)
    position = {int(s): p for p, s in enumerate(ids.tolist())}
    cache: dict[tuple[int, str], float] = {}

    def r(row: int, lang: str) -> float:
        key = (row, lang)
        if key not in cache:
            sample = reference.samples.get(lang)
            cache[key] = float(neighbourhood(centred[row:row + 1], sample, REFERENCE_K)[0]) if sample is not None else 0.0
        return cache[key]

    doc_sentences: dict[str, list[int]] = {}
    for sid in sentence_ids.tolist():
        doc_sentences.setdefault(str(docs_arr[position[int(sid)]]), []).append(int(sid))
    out: list[tuple[int, int]] = []
    for start in range(0, len(rows), _BLOCK):
        block = rows[start:start + _BLOCK]
        scores, found = search(centred[block], NEIGHBOURS + 1, sentence_ids)
        for i, hits, cosines in zip(block.tolist(), found.tolist(), scores.tolist()):
            best_in_doc: dict[str, tuple[float, int]] = {}
            for j_id, cos in zip(hits, cosines):
                j = position.get(int(j_id), -1)
                if j < 0 or j == i or docs_arr[j] == docs_arr[i]:
                    continue
                if langs_arr[j] == langs_arr[i]:
                    if cos >= SAME_LANGUAGE_COSINE:
                        out.append((min(int(ids[i]), int(j_id)), max(int(ids[i]), int(j_id))))
                    continue
                score = cos - r(i, str(langs_arr[j])) / 2 - r(j, str(langs_arr[i])) / 2
                if score >= CROSS_LANGUAGE_SCORE and score > best_in_doc.get(docs_arr[j], (-9.0, 0))[0]:
                    best_in_doc[docs_arr[j]] = (score, j)
            for _, j in best_in_doc.values():
                own = np.array(doc_sentences.get(str(docs_arr[i]), []), dtype=np.int64)
                if len(own) and int(search(centred[j:j + 1], 1, own)[1][0, 0]) == int(ids[i]):
                    out.append((min(int(ids[i]), int(ids[j])), max(int(ids[i]), int(ids[j]))))
    return np.array(sorted(set(out)), dtype=np.int64).reshape(-1, 2)


def cluster_ids(ids: np.ndarray, links: np.ndarray) -> np.ndarray:
    """For each segment (aligned with ``ids``), its cluster: the smallest segment
    id of the linked group, or -1 for a segment linked to nothing."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in links.tolist():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    linked = {int(x) for pair in links.tolist() for x in pair}
    return np.array([find(int(s)) if int(s) in linked else -1 for s in ids.tolist()], dtype=np.int64)


def links_key() -> str:
    """What links were found with: a version's links are reused only under the same rules."""
    return f"same>={SAME_LANGUAGE_COSINE}|cross>={CROSS_LANGUAGE_SCORE}|k={NEIGHBOURS}|words>={MIN_WORDS}|r=reference@{REFERENCE_K}"


def link_segments(index, ids: np.ndarray, centred: np.ndarray, langs: Sequence[str], places: list[tuple[str, str]],
                  reference,
                  previous: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, np.ndarray, str]:
    """(links, cluster id per segment, "full" | "incremental") for a version.

    ``places`` is each segment's (doc_id, kind, words); ``previous`` the serving
    version's (ids, links) when they were found in the same space: its links
    among segments still present are kept and only new sentences are searched.
    """
    docs = [p[0] for p in places]
    # a statement is a sentence, or a quote inside one (relays often wrap the
    # same quote in other words: «...», — said X / «...», — X told reporters),
    # of a statement's length: short lines ("Об этом сообщает РИА Новости.",
    # "Подпишитесь на наш канал") recur in unrelated documents of one outlet
    sentence = np.array([k in LINKED_KINDS and w >= MIN_WORDS for _, k, w in places], dtype=bool)
    sentence_ids = np.sort(ids[sentence])
    rows = np.flatnonzero(sentence)
    kept = np.zeros((0, 2), dtype=np.int64)
    mode = "full"
    if previous is not None:
        old_ids, old_links = previous
        present = np.isin(old_links, ids).all(axis=1) if len(old_links) else np.zeros(0, bool)
        kept = old_links[present]
        rows = rows[~np.isin(ids[rows], old_ids)]
        mode = "incremental"

    def search(queries, k, allowed):
        return index.search(queries, k, allowed_ids=allowed)

    new = find_links(search, ids, centred, langs, docs, sentence_ids, reference, rows) if len(rows) \
        else np.zeros((0, 2), dtype=np.int64)
    links = np.unique(np.vstack([kept, new]), axis=0) if len(kept) + len(new) else np.zeros((0, 2), dtype=np.int64)
    return links, cluster_ids(ids, links), mode

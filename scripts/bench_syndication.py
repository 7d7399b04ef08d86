#!/usr/bin/env python
"""Syndication links (tracer/index/clusters.py) on the documents of the trace benchmark.

The fit and held-out indexes of scripts/bench_trace_news.py ("base": the
originals and their relays: copies from other outlets, lightly edited, some
in the other Cyrillic language) are searched sentence by sentence, and every
candidate link is scored as the build scores it. A document pair is
*positive* when both carry the same original (an original and its relay, or
two relays of one original). For each pair of thresholds (same-language
cosine, cross-language score) it prints the share of positive pairs linked
(recall) and the share of links that join a positive pair (precision),
on fit (where the thresholds are chosen: the highest recall with precision
>= 0.95) and on held-out (reported).

    python scripts/bench_syndication.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_trace_news import CACHE, _fingerprint, condition_index, index_sets, seed_store  # noqa: E402
from bench_trace_news_data import build  # noqa: E402

SAME = (0.80, 0.84, 0.88, 0.92)
CROSS = (0.20, 0.25, 0.30, 0.35, 0.40)
PRECISION_FLOOR = 0.95


def candidates(index_dir: Path):
    """Every sentence's nearest sentences of other documents, scored like the build."""
    from tracer import Tracer

    with Tracer(index_dir) as t:
        version = t.index.current()
        arrays = version.read_arrays()
        from tracer.index.clusters import LINKED_KINDS, MIN_WORDS

        places = {sid: (doc, kind if kind not in LINKED_KINDS or words >= MIN_WORDS else "short")
                  for sid, doc, kind, words in t.store.iter_segment_places()}
        keys = {sid: (h, lang) for sid, h, lang in t.store.iter_segment_keys()}
        ids = np.array([i for i in arrays.ids.tolist() if places[i][1] in LINKED_KINDS], dtype=np.int64)
        raw = t.store.get_embeddings(t.encoder.id, [keys[int(i)][0] for i in ids])
    from tracer.index.space import centre

    langs = [keys[int(i)][1] for i in ids]
    docs = np.array([places[int(i)][0] for i in ids])
    v = centre(raw, langs, arrays.reference.means)
    from tracer.index.clusters import REFERENCE_K
    from tracer.index.space import neighbourhood

    # the build's cross-language neighbourhoods: the reference sample's (tracer.index.clusters)
    ref_r = {lang: neighbourhood(v, sample, REFERENCE_K) for lang, sample in arrays.reference.samples.items()}
    langs_arr = np.array(langs)
    out = []  # (doc a, doc b, same language, value)
    for start in range(0, len(ids), 512):
        sims = v[start:start + 512] @ v.T
        for r, row in enumerate(sims):
            i = start + r
            for j in np.argsort(-row)[:9]:
                if j == i or docs[j] == docs[i]:
                    continue
                same = langs_arr[i] == langs_arr[j]
                value = float(row[j]) if same else float(row[j] - ref_r[langs_arr[j]][i] / 2 - ref_r[langs_arr[i]][j] / 2)
                out.append((docs[i], docs[j], bool(same), value))
    return out


def evaluate(cands, origin_of: dict[str, str], positives: set[frozenset]):
    rows = []
    for s in SAME:
        for c in CROSS:
            links = [(a, b) for a, b, same, v in cands if v >= (s if same else c)]
            good = [p for p in links if origin_of[p[0]] == origin_of[p[1]]]
            linked = {frozenset(p) for p in good}
            rows.append((s, c, len(linked & positives) / max(len(positives), 1), len(good) / max(len(links), 1),
                         len(links)))
    return rows


def main() -> None:
    docs, _ = build()
    origin_of = {d.id: d.origin for d in docs}
    from tracer import Tracer

    encoder_id = Tracer(CACHE / "_probe").encoder.id
    seed = seed_store(docs, CACHE / _fingerprint(docs, encoder_id))
    chosen = None
    for split in ("fit", "heldout"):
        keep = index_sets(docs, split, 0, 0)["base"]
        index = condition_index(seed, keep, seed.parent / f"{split}-base")
        by_origin: dict[str, list[str]] = {}
        for d in keep:
            by_origin.setdefault(d.origin, []).append(d.id)
        positives = {frozenset((a, b)) for ms in by_origin.values() for a in ms for b in ms if a < b}
        rows = evaluate(candidates(index), origin_of, positives)
        print(f"\n{split}: {len(positives)} positive document pairs")
        print("| same-language cosine | cross-language score | pairs linked | link precision | links |")
        print("|---|---|---|---|---|")
        for s, c, rec, prec, n in rows:
            print(f"| {s:.2f} | {c:.2f} | {rec:.3f} | {prec:.3f} | {n} |")
        if split == "fit":
            ok = [r for r in rows if r[3] >= PRECISION_FLOOR]
            chosen = max(ok, key=lambda r: (r[2], r[3])) if ok else None
            print(f"\nchosen on fit: same-language {chosen[0]}, cross-language {chosen[1]}" if chosen else
                  "\nno pair of thresholds reaches the precision floor on fit")
        elif chosen:
            row = next(r for r in rows if r[:2] == chosen[:2])
            print(f"\nheld-out at the chosen thresholds: pairs linked {row[2]:.3f}, link precision {row[3]:.3f}")


if __name__ == "__main__":
    main()

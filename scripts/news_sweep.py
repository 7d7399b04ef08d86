#!/usr/bin/env python
"""Choose the lookup's query-time weights on the FIT half of the news benchmark.

Runs a grid of settings that change only how candidates are scored
(``hubness_weight``, ``number_weight``, ``name_weight``,
``same_language_penalty``, ``second_view_weight``) over the fit split's rows of
scripts/bench_news.py, on the indexes that script built (run it first), and
prints the mean P@1 over the rows for each setting, best first. The held-out
split is never touched here: bench_news.py reports it with the chosen values.

    python scripts/bench_news.py --quick --splits fit     # builds the fit indexes
    python scripts/news_sweep.py --n 300
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import news_shapes as ns  # noqa: E402
from bench_news import CACHE, memo_lexical  # noqa: E402

# (archive, query shape, query language, --lang): the rows the weights are chosen on
ROWS = [("mixed", "full", "en", None), ("mixed+en", "full", "en", None), ("mixed", "middle", "en", None),
        ("mixed", "clause", "en", None), ("mixed", "mt", "en", None), ("uk", "full", "ru", None),
        ("ru", "full", "uk", None), ("mixed", "verbatim", "en", None)]
GRID = {
    "hubness_weight": [0.5],
    "number_weight": [0.02, 0.05],
    "name_weight": [0.02, 0.05],
    "same_language_penalty": [0.03, 0.06, 0.1],
    "second_view_weight": [0.0, 1.2],
}


def latest_index(name: str) -> Path:
    found = sorted(CACHE.glob(f"{name}-fit-*"), key=lambda p: p.stat().st_mtime)
    if not found:
        sys.exit(f"no fit index for {name} under {CACHE}: run scripts/bench_news.py --splits fit first")
    return found[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300, help="fit queries per row")
    args = ap.parse_args()
    from tracer import Tracer
    from tracer.config import load_settings

    memo_lexical()
    corpus = ns.Corpus(ns.data_dir(None))
    rows = []
    for archive, shape, qlang, langs in ROWS:
        arc = corpus.archive("fit", archive)
        qs = ns.queries(arc, corpus, shape, qlang)
        qs = ns.sample(qs, args.n, by_sentence=shape == "mt")[: args.n]
        rows.append((f"{archive}/{shape}/{qlang}", latest_index(archive), qs, langs))
    names = list(GRID)
    results = []
    for values in itertools.product(*GRID.values()):
        changes = dict(zip(names, values))
        p1s = []
        for label, path, qs, langs in rows:
            with Tracer(settings=load_settings(path).with_(**changes)) as t:
                out = t.lookup_batch([(q.qid, q.text) for q in qs], k=1, langs=langs, confidence=False)
            hits = [bool(r.matches) and ns.is_hit(r.matches[0].start, r.matches[0].end, r.matches[0].doc_id, q.gold)
                    for q, r in zip(qs, out)]
            p1s.append(sum(hits) / len(hits))
        results.append((sum(p1s) / len(p1s), changes, p1s))
        print(f"{sum(p1s) / len(p1s):.4f} {changes} " + " ".join(f"{p:.3f}" for p in p1s), flush=True)
    print("\nbest first (mean fit P@1 over the rows: " + ", ".join(r[0] for r in rows) + ")")
    for mean, changes, p1s in sorted(results, key=lambda r: -r[0])[:10]:
        print(f"{mean:.4f} {changes} " + " ".join(f"{p:.3f}" for p in p1s))


if __name__ == "__main__":
    main()

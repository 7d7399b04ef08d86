#!/usr/bin/env python
"""Quote lookup on real news (WMT23) through tracer's own pipeline, one row per deployment shape.

Archives of real documents (scripts/news_shapes.py) are ingested and built
with the public API (``Tracer.ingest_documents``, ``build``), and queries are
looked up with ``Tracer.lookup_batch`` (k=5, confidence on: what `tracer
lookup --batch` does), one call per row. A hit: the top match lies in the
gold document and overlaps the gold sentence. Every row is measured on the
fit and the heldout split (scripts/wmt23.py); targets are judged on heldout.

Shapes: 1 originals only (ru, uk, ru+uk), English quotes; 2 the same with
English articles indexed (no filter, --lang ru,uk, --kind original); 3 query
shapes (clause, middle 60%, two sentences, machine translations); 4 ru->uk,
uk->ru, verbatim; 5 confidence (reliability, ECE, monotone in rank, verbatim).

Built indexes are cached under ~/.cache/tracer/bench/news/<key> (key: the
documents, the encoder id, the settings and tracer's source), and vectors in
a shared embedding cache there, so reruns only look up. Machine translations
are looked up for MT_SENTENCES source sentences (every system each).
The figure and name extraction of the re-scoring is memoised in this process
(pure functions; identical results, ~2.5x faster; ``--no-memo`` to check).

    python scripts/bench_news.py                  # heldout in full, fit 1,000 a row (--fit-n 0: all); ~20 min
    python scripts/bench_news.py --quick          # 300 queries a row (150 on fit); ~2.5 min once built
    python scripts/bench_news.py --shapes 1,3 --splits heldout
    python scripts/bench_news.py --dump /tmp/news && python scripts/bench_news.py --analyse /tmp/news
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import news_shapes as ns
import numpy as np
from news_analysis import analyse, dump, print_alignment, print_confidence, print_misses
from news_confidence import fit_confidence

from tracer.lookup.confidence import features as confidence_features

CACHE = Path(os.environ.get("TRACER_BENCH_CACHE", Path.home() / ".cache" / "tracer" / "bench" / "news"))
KEEP_INDEXES = 16
K = 5
QUICK_N = 300
# Source sentences whose machine translations are looked up (all systems each).
MT_SENTENCES = 600
FIT_N = 1000
TARGETS = {"full": 0.99, "fragment": 0.95, "mt": 0.99}
# Rows whose lookups a --dump needs (shape-1 archive, full sentences and middle 60%).
DUMP_KEYS = {("mixed", "full", "en", None, None), ("mixed", "middle", "en", None, None)}


@dataclass(frozen=True)
class Row:
    shape: str
    name: str
    archive: str  # news_shapes.Corpus.archive variant
    qshape: str
    qlang: str = "en"
    langs: str | None = None
    kinds: str | None = None
    target: str | None = "full"

    @property
    def key(self) -> tuple:
        return (self.archive, self.qshape, self.qlang, self.langs, self.kinds)


ROWS = [
    Row("1", "ru archive, English quotes", "ru", "full"),
    Row("1", "uk archive, English quotes", "uk", "full"),
    Row("1", "ru+uk archive, English quotes", "mixed", "full"),
    Row("1", "ru+uk archive, English quotes, --lang ru,uk", "mixed", "full", langs="ru,uk"),
    *[Row("2", f"ru+uk archive + English articles, {q}, {f}", "mixed+en", qs, langs=lg, kinds=kd,
          target="full" if qs == "full" else "fragment")
      for qs, q in (("full", "full sentence"), ("middle", "middle 60%"))
      for f, lg, kd in (("no filter", None, None), ("--lang ru,uk", "ru,uk", None), ("--kind original", None, "original"))],
    Row("3", "full sentence", "mixed", "full"),
    Row("3", "clause (longest, >= 5 words)", "mixed", "clause", target="fragment"),
    Row("3", "middle 60% of the words", "mixed", "middle", target="fragment"),
    Row("3", "two consecutive sentences merged", "mixed", "merged", target="fragment"),
    Row("3", "machine translations (all systems)", "mixed", "mt", target="mt"),
    Row("4", "ru -> uk (three-way, uk archive)", "uk", "full", qlang="ru"),
    Row("4", "uk -> ru (three-way, ru archive)", "ru", "full", qlang="uk"),
    Row("4", "ru -> uk, --lang uk", "uk", "full", qlang="ru", langs="uk"),
    Row("4", "uk -> ru, --lang ru", "ru", "full", qlang="uk", langs="ru"),
    Row("4", "same-language verbatim (ru+uk archive)", "mixed", "verbatim"),
]


@dataclass
class Result:
    """Compact outcome of one row on one split (no Match objects kept)."""

    hits: list[bool] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    conf: list[float] = field(default_factory=list)  # top-1 confidence (0 without matches)
    mono: list[bool] = field(default_factory=list)
    tops: list[dict] = field(default_factory=list)
    gold_rank: list[int | None] = field(default_factory=list)
    aligned: list[float] = field(default_factory=list)  # best span Jaccard of a gold with a tracer segment
    queries: list = field(default_factory=list)
    feats: list[list[dict]] = field(default_factory=list)  # per query, the confidence features of each match
    labels: list[list[bool]] = field(default_factory=list)  # per query, whether each match is a hit
    seconds: float = 0.0

    def p1(self, group: str | None = None) -> tuple[float, int]:
        hs = [h for h, g in zip(self.hits, self.groups) if group is None or g == group]
        return (sum(hs) / len(hs) if hs else float("nan")), len(hs)


# ---------------------------------------------------------------- indexes

def memo_lexical() -> bool:
    """Memoise the figure and name extraction the re-scoring runs on every
    candidate of every query (pure functions of (text, lang); two thirds of a
    lookup's time here, where the same segments come up again and again).
    Results are identical; ``--no-memo`` leaves tracer untouched."""
    try:
        from tracer.lookup import rescore
        from tracer.text import names
    except ImportError:
        return False
    for module, name in ((rescore, "extract_names"), (rescore, "extract_numbers"), (names, "name_similarity")):
        fn = getattr(module, name, None)
        if fn is None or hasattr(fn, "cache_info"):
            continue
        setattr(module, name, functools.lru_cache(maxsize=200_000)(fn))
    return True


def source_fingerprint() -> str:
    import tracer

    h = hashlib.sha1()
    for path in sorted(Path(tracer.__file__).parent.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class Indexes:
    """Builds (or reuses) one tracer index per archive, all sharing one encoder."""

    def __init__(self, cache: Path) -> None:
        from tracer import Tracer
        from tracer.config import load_settings
        from tracer.store import Store

        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)
        self.Tracer = Tracer
        probe = Tracer(cache / "_probe")
        self.encoder = probe.encoder
        settings = load_settings(cache / "_probe")
        self.fingerprint = json.dumps({k: str(v) for k, v in vars(settings).items() if k != "index_dir"},
                                      sort_keys=True) + self.encoder.id + source_fingerprint()
        self.shared = Store(cache / "embeddings")
        self.build_seconds: dict[str, float] = {}

    def open(self, arc: ns.Archive):
        key = hashlib.sha1((arc.key() + self.fingerprint).encode()).hexdigest()[:16]
        path = self.cache / f"{arc.name}-{key}"
        marker = path / "bench_news.json"
        if marker.exists():
            marker.touch()
            print(f"  index {arc.name}: cached ({path})", flush=True)
            return self.Tracer(path, encoder=self.encoder)
        shutil.rmtree(path, ignore_errors=True)
        t0 = time.perf_counter()
        t = self.Tracer(path, encoder=self.encoder)
        t.ingest_documents(arc.documents())
        missing = [h for h, _ in t.store.missing_embeddings(self.encoder.id)]
        found = self._shared_vectors(missing)
        if found:
            t.store.put_embeddings(self.encoder.id, list(found), np.stack(list(found.values())))
        report = t.build()
        new = [h for h in missing if h not in found]
        if new:
            self.shared.put_embeddings(self.encoder.id, new, t.store.get_embeddings(self.encoder.id, new))
        secs = time.perf_counter() - t0
        self.build_seconds[arc.name] = secs
        marker.write_text(json.dumps({"archive": arc.name, "segments": report.segments, "seconds": secs}))
        print(f"  index {arc.name}: {len(arc.placed)} documents, {report.segments} segments, built in {secs:.1f} s "
              f"({report.embedded} texts embedded, {len(found)} from the shared cache)", flush=True)
        self._prune()
        return t

    def _shared_vectors(self, hashes: list[str]) -> dict[str, np.ndarray]:
        out = {}
        for start in range(0, len(hashes), 900):
            chunk = hashes[start:start + 900]
            rows = self.shared.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE encoder_id = ? AND text_hash IN "
                f"({', '.join('?' * len(chunk))})", (self.encoder.id, *chunk))
            out.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return out

    def _prune(self) -> None:
        dirs = sorted((p for p in self.cache.glob("*-*") if (p / "bench_news.json").exists()),
                      key=lambda p: (p / "bench_news.json").stat().st_mtime, reverse=True)
        for old in dirs[KEEP_INDEXES:]:
            shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- running rows

def segment_spans(t) -> dict[str, list[tuple[int, int]]]:
    """Every indexed segment's span (sentences, quotes, passages), by document."""
    out: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in t.store.conn.execute('SELECT doc_id, "start", "end" FROM segments'):
        out.setdefault(doc_id, []).append((start, end))
    return out


def alignment(q: ns.Query, spans: dict[str, list[tuple[int, int]]]) -> float:
    """How well tracer's segmentation fits the gold: the best overlap / union
    of a gold span with one indexed segment (1: a segment is exactly it)."""
    best = 0.0
    for g in q.gold:
        for gs, ge in g.spans:
            for s, e in spans.get(g.doc_id, ()):
                inter = min(e, ge) - max(s, gs)
                if inter > 0:
                    best = max(best, inter / (max(e, ge) - min(s, gs)))
    return best


def run_row(t, row: Row, qs: list[ns.Query], spans: dict | None = None) -> Result:
    """One ``lookup_batch`` call for the whole row."""
    res = Result(queries=qs)
    res.aligned = [alignment(q, spans) for q in qs] if spans is not None else []
    if not qs:
        return res
    t0 = time.perf_counter()
    out = t.lookup_batch([(q.qid, q.text) for q in qs], k=K, langs=row.langs, kinds=row.kinds)
    res.seconds = time.perf_counter() - t0
    for q, r in zip(qs, out):
        ms = r.matches
        hit = bool(ms) and ns.is_hit(ms[0].start, ms[0].end, ms[0].doc_id, q.gold)
        confs = [m.confidence if m.confidence is not None else 0.0 for m in ms]
        res.hits.append(hit)
        res.groups.append(q.group)
        res.conf.append(confs[0] if confs else 0.0)
        res.mono.append(all(a >= b - 1e-9 for a, b in zip(confs, confs[1:])))
        res.gold_rank.append(next((m.rank for m in ms if ns.is_hit(m.start, m.end, m.doc_id, q.gold)), None))
        res.feats.append([confidence_features(m, ms, r.query, r.query_lang) for m in ms])
        res.labels.append([ns.is_hit(m.start, m.end, m.doc_id, q.gold) for m in ms])
        m = ms[0] if ms else None
        res.tops.append({} if m is None else {
            "doc_id": m.doc_id, "start": m.start, "end": m.end, "segment_id": m.segment_id, "lang": m.lang,
            "segment_kind": m.segment_kind, "text": m.text[:300], "score": m.score, "cosine": m.cosine,
            "confidence": m.confidence, "query_lang": r.query_lang})
    return res


def run(args, corpus: ns.Corpus, rows: list[Row], splits: list[str]) -> dict[tuple, dict[str, Result]]:
    indexes = Indexes(Path(args.cache))
    results: dict[tuple, dict[str, Result]] = {}
    for split in splits:
        n = (QUICK_N if split == "heldout" else QUICK_N // 2) if args.quick else \
            (args.fit_n or None) if split == "fit" else None
        for variant in dict.fromkeys(r.archive for r in rows):
            arc = corpus.archive(split, variant)
            t = indexes.open(arc)
            spans = segment_spans(t)
            for row in rows:
                if row.archive != variant or split in results.get(row.key, {}):
                    continue
                qs = ns.queries(arc, corpus, row.qshape, row.qlang)
                if row.qshape == "mt":  # sampled by sentence: every system renders the same ones
                    qs = ns.sample(qs, (n or MT_SENTENCES * len({q.group for q in qs})), by_sentence=True)
                else:  # the analysis of a --dump compares rules on all queries of its rows
                    qs = ns.sample(qs, None if args.dump and row.key in DUMP_KEYS and not args.quick else n)
                r = run_row(t, row, qs, spans)
                results.setdefault(row.key, {})[split] = r
                p, cnt = r.p1()
                print(f"  [{split}] {row.name} ({variant}): P@1 {p:.3f} n={cnt} in {r.seconds:.1f} s", flush=True)
            if args.dump and variant == "mixed":
                dump(Path(args.dump) / split, t, arc, corpus, results, n)
            t.close()
    return results


# ---------------------------------------------------------------- printing

def verdict(value: float, target: float, below: bool = False) -> str:
    ok = value <= target if below else value >= target
    return "MET" if ok else "NOT MET"


def print_tables(rows: list[Row], results, splits: list[str]) -> None:
    shown: set[tuple] = set()
    for shape in dict.fromkeys(r.shape for r in rows):
        print(f"\n### Shape {shape}\n")
        print("| row | n heldout | P@1 heldout | n fit | P@1 fit | target | heldout |")
        print("|---|---|---|---|---|---|---|")
        for row in (r for r in rows if r.shape == shape):
            res = results.get(row.key, {})
            subs = [None] + sorted({g for r in res.values() for g in r.groups})
            if row.qshape == "verbatim" or row.qshape == "full" and row.key in shown:
                subs = [None]
            shown.add(row.key)
            for sub in subs:
                cells = []
                for split in ("heldout", "fit"):
                    p, cnt = res[split].p1(sub) if split in res else (float("nan"), 0)
                    cells.append((p, cnt))
                name = row.name if sub is None else f"  · {sub}"
                target = TARGETS.get(row.target) if sub is None or row.qshape == "mt" else None
                judged = verdict(cells[0][0], target) if target and "heldout" in res else ""
                print(f"| {name} | {cells[0][1]} | {cells[0][0]:.3f} | {cells[1][1]} | {cells[1][0]:.3f} | "
                      f"{f'≥ {target:.2f}' if target else ''} | {judged} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"sample {QUICK_N} queries per row")
    ap.add_argument("--shapes", default="1,2,3,4,5", help="shapes to run (5 needs the others' lookups)")
    ap.add_argument("--splits", default="heldout,fit")
    ap.add_argument("--fit-n", type=int, default=FIT_N,
                    help="queries per row on the fit split (reference only; 0: all)")
    ap.add_argument("--data", default=None, help="the WMT23 folder (default: ../shared/data/wmt23)")
    ap.add_argument("--cache", default=str(CACHE), help="where built indexes are kept")
    ap.add_argument("--misses", type=int, default=20, help="heldout misses of the main row to print")
    ap.add_argument("--no-memo", action="store_true", help="do not memoise figure/name extraction")
    ap.add_argument("--json", default=None, help="write per-row figures to this file")
    ap.add_argument("--dump", default=None, help="also write vectors and labels of the shape-1 index here")
    ap.add_argument("--analyse", default=None, help="only analyse a --dump folder (numpy, no model)")
    ap.add_argument("--fit-confidence", action="store_true",
                    help="fit the lookup confidence on the fit split, write it to tracer/lookup/confidence.py, "
                         "then measure the heldout split with it")
    args = ap.parse_args()
    if args.analyse:

        analyse(Path(args.analyse))
        return
    shapes = {s.strip() for s in args.shapes.split(",")}
    splits = [s.strip() for s in args.splits.split(",")]
    if not set(splits) <= {"fit", "heldout"} or not shapes <= set("12345"):
        sys.exit("--splits takes fit,heldout and --shapes digits 1-5")
    rows = [r for r in ROWS if r.shape in shapes]
    if args.dump:
        rows += [r for r in ROWS if r.key in DUMP_KEYS and r not in rows]
    t0 = time.perf_counter()
    if not args.no_memo:
        memo_lexical()
    corpus = ns.Corpus(ns.data_dir(args.data))
    if args.fit_confidence:
        results = run(args, corpus, rows, ["fit"])
        fit_confidence(results)  # writes the model and uses it from here on
        for key, per in run(args, corpus, rows, ["heldout"]).items():
            results.setdefault(key, {}).update(per)
        splits = ["heldout", "fit"]
    else:
        results = run(args, corpus, rows, splits)
    print(f"\n## bench_news{' --quick' if args.quick else ''}: WMT23, k={K}, P@1 = top match in the gold document "
          "and overlapping the gold sentence")
    print_tables([r for r in rows if r.shape != "5"], results, splits)
    if "5" in shapes:
        for split in splits:
            print_confidence([r for r in rows if r.shape != "5"], results, split)
    print_alignment([r for r in rows if r.shape != "5"], results)
    print_misses(results, args.misses)
    total = time.perf_counter() - t0
    looked = sum(len(r.hits) for v in results.values() for r in v.values())
    secs = sum(r.seconds for v in results.values() for r in v.values())
    print(f"\nRuntime: {total:.0f} s in all; {looked} lookups in {secs:.0f} s ({looked / max(secs, 1e-9):.0f}/s)")
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"row": r.name, "shape": r.shape, "archive": r.archive, "split": s, "p1": res.p1()[0], "n": res.p1()[1],
              "groups": {g: res.p1(g) for g in sorted(set(res.groups))}}
             for r in rows for s, res in results.get(r.key, {}).items()], indent=1))


if __name__ == "__main__":
    main()

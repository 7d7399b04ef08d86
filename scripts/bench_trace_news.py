#!/usr/bin/env python
"""Benchmark of `Tracer.trace()` on real text: WMT23 originals, syndicated copies, English news articles.

Data: scripts/bench_trace_news_data.py (real documents from WMT23 through
scripts/wmt23.py and its by-document split; relays and articles built there,
seeded). An article quotes documents of one split only.

Index conditions (one index each per split, built through the public API,
cached under ~/.cache/tracer/bench/trace-news/<hash>):

* ``base``      — the split's indexed originals and their relays;
* ``unrelated`` — base + N originals of the other split and the English translations of N
  other of its originals (nothing an article quotes; English sentences in the quotes' own
  language, the closest of which is never the origin);
* ``no-relays`` — base without the relays.

Every article is traced with ``Tracer(index).trace(text, article_date=...)``
and scored from ``TraceResult.to_dict()`` alone. Metrics: extraction recall
(a planted claim is found when one extracted claim covers half its span),
origin P@1 of sourced claims (the chain's origin, or the top match when there
is no chain, is the cluster's earliest member: *strict*; any member: *any*),
``unsourced`` precision/recall, chain correctness, and invariance (the share
of claims whose verdict changes against ``base``). Targets of issue 14 are
checked on heldout ``base``.

    python scripts/bench_trace_news.py --quick          # 25 heldout articles (< 5 min)
    python scripts/bench_trace_news.py                  # heldout (all conditions) + fit (reference)
    python scripts/bench_trace_news.py --dump rows.jsonl --out metrics.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_trace_news_data import Article, Doc, build, stats  # noqa: E402

CONDITIONS = ("base", "unrelated", "no-relays")
CACHE = Path("~/.cache/tracer/bench/trace-news").expanduser()
# tracer code that decides what an index holds: a change here invalidates the cache.
INDEX_CODE = ("tracer/index", "tracer/text", "tracer/encoders", "tracer/ingest", "tracer/store", "tracer/config.py")
TARGETS = (("origin_p1_strict", 0.97), ("origin_p1_any", 0.97), ("unsourced_precision", 0.9),
           ("unsourced_recall", 0.9))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _div(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None



def index_sets(docs: list[Doc], split: str, unrelated: int, seed: int) -> dict[str, list[Doc]]:
    """The documents of each condition's index for articles of ``split``."""
    base = [d for d in docs if d.split == split and d.indexed]
    other = sorted((d for d in docs if d.split != split and d.role == "original" and not d.id.startswith("en-ru-uk")),
                   key=lambda d: d.id)
    extra = random.Random(seed).sample(other, min(unrelated, len(other)))
    chosen = {d.id for d in extra}
    english = sorted((d for d in docs if d.split != split and d.role == "coverage" and d.origin not in chosen),
                     key=lambda d: d.id)
    extra += random.Random(seed + 1).sample(english, min(unrelated, len(english)))
    return {"base": base, "unrelated": base + extra, "no-relays": [d for d in base if d.role == "original"]}


def _fingerprint(docs: list[Doc], encoder_id: str) -> str:
    h = hashlib.sha256(encoder_id.encode())
    for d in sorted(docs, key=lambda d: d.id):
        h.update(json.dumps([d.id, d.lang, d.text, d.date, d.source], ensure_ascii=False).encode())
    for name in INDEX_CODE:
        for f in sorted((ROOT / name).rglob("*.py")) if (ROOT / name).is_dir() else [ROOT / name]:
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def seed_store(docs: list[Doc], root: Path):
    """Every document of the benchmark, embedded once; the condition indexes copy it."""
    from tracer import Tracer
    from tracer.types import Document

    seed = root / "seed"
    if (seed / "ok").exists():
        return seed
    t0 = time.perf_counter()
    with Tracer(seed) as t:
        t.ingest_documents(Document(id=d.id, text=d.text, lang=d.lang, kind="original", source=d.source,
                                    date=d.date) for d in docs)
        rep = t.build()
    (seed / "ok").write_text("")
    log(f"seed index: {len(docs)} documents, {rep.segments} segments, {rep.embedded} embedded "
        f"in {time.perf_counter() - t0:.0f} s")
    return seed


def condition_index(seed: Path, keep: list[Doc], where: Path) -> Path:
    """A copy of the seed store holding only ``keep``, built (the vectors are cached: no encoding)."""
    from tracer import Tracer

    if (where / "ok").exists():
        return where
    where.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(seed / "tracer.db"), sqlite3.connect(where / "tracer.db")
    src.backup(dst)
    src.close()
    dst.close()
    ids = {d.id for d in keep}
    t0 = time.perf_counter()
    with Tracer(where) as t:
        gone = [r[0] for r in t.store.conn.execute("SELECT id FROM documents") if r[0] not in ids]
        for doc_id in gone:
            t.store.delete_document(doc_id)
        rep = t.build()
    if rep.embedded:
        raise SystemExit(f"{where}: {rep.embedded} segments were not in the seed's cache")
    (where / "ok").write_text("")
    log(f"index {where.name}: {len(ids)} documents, {rep.segments} segments in {time.perf_counter() - t0:.0f} s")
    return where



def trace_all(index: Path, articles: list[Article], label: str, calibration=None) -> dict[str, dict]:
    """``to_dict()`` of every article's trace, through the public API only."""
    from tracer import Tracer

    out = {}
    t0 = time.perf_counter()
    options = {"calibration": calibration} if calibration is not None else {}
    with Tracer(index) as t:
        for n, a in enumerate(articles):
            out[a.id] = t.trace(a.text, article_date=a.date, **options).to_dict()
            if (n + 1) % 25 == 0:
                log(f"  {label}: traced {n + 1}/{len(articles)} in {time.perf_counter() - t0:.0f} s")
    log(f"  {label}: {len(articles)} articles in {time.perf_counter() - t0:.0f} s")
    return out


def match(a: Article, claims: list[dict]) -> tuple[list[int], set[int]]:
    """Per planted claim the extracted claim covering most of it (-1: none covers half), and the claims used."""
    idx, used = [], set()
    for p in a.planted:
        best, best_ov = -1, 0
        for i, c in enumerate(claims):
            ov = min(p.end, c["end"]) - max(p.start, c["start"])
            if ov > best_ov:
                best, best_ov = i, ov
        ok = best >= 0 and best_ov >= 0.5 * (p.end - p.start)
        idx.append(best if ok else -1)
        used |= {best} if ok else set()
    return idx, used


def predicted(c: dict) -> str | None:
    """The claim's answer: its chain's origin, or its top match when there is no chain."""
    if c["origin"]:
        return c["origin"]["doc_id"]
    return c["matches"][0]["doc_id"] if c["matches"] else None


def rows_for(a: Article, result: dict, present: set[str], dated: dict[str, str | None], cond: str) -> list[dict]:
    """One row per planted claim (and per extracted claim covering none), truth beside the trace's answer."""
    claims = result["claims"]
    idx, used = match(a, claims)
    rows = []
    for k, (p, i) in enumerate(zip(a.planted, idx)):
        cluster = [m for m in p.cluster if m in present]
        dated_members = sorted((dated[m], m) for m in cluster if dated[m])
        truth = {"planted": k, "span": [p.start, p.end], "statement": a.text[p.start:p.end], "kind": p.truth,
                 "origin": p.origin if cluster else None, "cluster": cluster,
                 "earliest": dated_members[0][1] if dated_members else None, "source_doc": p.source_doc,
                 "segment": p.segment, "domain": p.domain, "rendering": p.rendering, "fragment": p.fragment,
                 "style": p.style}
        rows.append(_row(a, cond, truth, claims[i] if i >= 0 else None))
    for i, c in enumerate(claims):
        if i not in used:
            rows.append(_row(a, cond, None, c))
    return rows


def _row(a: Article, cond: str, truth: dict | None, c: dict | None) -> dict:
    row = {"article": a.id, "split": a.split, "condition": cond, "truth": truth, "claim": None}
    if c is None:
        return row
    chain = [h["doc_id"] for h in c["chain"][1:]]
    row["claim"] = {k: c[k] for k in ("claim_id", "kind", "text", "start", "end", "speaker", "verdict", "confidence",
                                      "features", "notes")}
    row["claim"]["matches"] = [{k: m[k] for k in ("doc_id", "lang", "date", "score", "cosine", "signals", "text")}
                               for m in c["matches"]]
    row["claim"]["chain"] = [{k: h[k] for k in ("doc_id", "role", "date", "confidence")} for h in c["chain"][1:]]
    row["claim"]["predicted"] = predicted(c)
    if truth is not None:
        cl = set(truth["cluster"])
        row["label"] = {"truly_unsourced": not cl, "pred_in_cluster": row["claim"]["predicted"] in cl,
                        "pred_earliest": bool(cl) and row["claim"]["predicted"] == truth["earliest"],
                        "top1_in_cluster": bool(c["matches"]) and c["matches"][0]["doc_id"] in cl,
                        "chain_members": [d for d in chain if d in cl], "chain_outsiders": [d for d in chain
                                                                                            if d not in cl]}
    return row



def metrics(rows: list[dict]) -> dict:
    planted = [r for r in rows if r["truth"] is not None]
    found = [r for r in planted if r["claim"]]
    claims = [r for r in rows if r["claim"]]
    sourced = [r for r in found if r["truth"]["cluster"]]
    truly = [r for r in found if not r["truth"]["cluster"]]
    called = [r for r in found if r["claim"]["verdict"] == "unsourced"]
    traced = [r for r in sourced if r["claim"]["verdict"] != "unsourced"]
    with_relays = [r for r in traced if len(r["truth"]["cluster"]) > 1]
    chained = [r for r in traced if r["claim"]["chain"]]
    undated_first = [r for r in chained if r["claim"]["chain"][-1]["date"] is None
                     and any(h["date"] for h in r["claim"]["chain"])]
    return {
        "extraction_recall": _div(len(found), len(planted)),
        "extraction_precision": _div(len(found), len(claims)),
        "origin_p1_strict": _div(sum(r["label"]["pred_earliest"] for r in sourced), len(sourced)),
        "origin_p1_any": _div(sum(r["label"]["pred_in_cluster"] for r in sourced), len(sourced)),
        "top1_any": _div(sum(r["label"]["top1_in_cluster"] for r in sourced), len(sourced)),
        "traced_right": _div(sum(r["label"]["pred_in_cluster"] for r in traced), len(sourced)),
        "unsourced_precision": _div(sum(not r["truth"]["cluster"] for r in called), len(called)),
        "unsourced_recall": _div(sum(r["claim"]["verdict"] == "unsourced" for r in truly), len(truly)),
        **{f"unsourced_recall_{kind}": _div(sum(r["claim"]["verdict"] == "unsourced" for r in truly
                                                if r["truth"]["kind"] == kind), sum(r["truth"]["kind"] == kind
                                                                                    for r in truly))
           for kind in ("removed", "invented", "withheld")},
        "sourced_called_unsourced": _div(sum(r["claim"]["verdict"] == "unsourced" for r in sourced), len(sourced)),
        "chain_origin_earliest": _div(sum(r["claim"]["chain"][-1]["doc_id"] == r["truth"]["earliest"]
                                          for r in chained), len(chained)),
        "chain_relays_listed": _div(sum(set(r["truth"]["cluster"]) <= set(r["label"]["chain_members"])
                                        for r in with_relays), len(with_relays)),
        "chain_with_outsider": _div(sum(bool(r["label"]["chain_outsiders"]) for r in chained), len(chained)),
        "chain_undated_origin": _div(len(undated_first), len(chained)),
        "n_planted": len(planted), "n_extracted": len(found), "n_claims": len(claims), "n_sourced": len(sourced),
        "n_unsourced": len(truly), "n_called_unsourced": len(called), "n_traced_with_relays": len(with_relays),
    }


def invariance(base: list[dict], other: list[dict]) -> dict:
    """Share of claims (planted, extracted in both runs) whose verdict / unsourced call changes."""
    def key(r: dict) -> tuple:
        return r["article"], r["truth"]["planted"]

    b = {key(r): r for r in base if r["truth"] is not None and r["claim"]}
    pairs = [(b[key(r)], r) for r in other if r["truth"] is not None and r["claim"] and key(r) in b]
    groups = {"all": pairs, "no relays in cluster": [p for p in pairs if len(p[0]["truth"]["cluster"]) <= 1],
              "relays in cluster": [p for p in pairs if len(p[0]["truth"]["cluster"]) > 1]}
    out = {}
    for name, ps in groups.items():
        out[f"verdict_changed ({name})"] = _div(sum(x["claim"]["verdict"] != y["claim"]["verdict"] for x, y in ps),
                                                len(ps))
        flips = sum((x["claim"]["verdict"] == "unsourced") != (y["claim"]["verdict"] == "unsourced") for x, y in ps)
        out[f"unsourced_flipped ({name})"] = _div(flips, len(ps))
    return out


def breakdown(rows: list[dict]) -> dict[str, dict[str, str]]:
    """P@1 (any member) and the share called unsourced per kind of sourced claim; unsourced recall per kind."""
    out: dict[str, dict[str, str]] = {}
    for field in ("rendering", "fragment", "style", "relays", "origin", "domain"):
        acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in rows:
            if r["truth"] is None or not r["claim"] or not r["truth"]["cluster"]:
                continue
            t = r["truth"]
            v = {"rendering": "ref" if t["rendering"] == "ref" else "mt", "relays": f"{len(t['cluster']) - 1} relays",
                 "origin": t["origin"].split(":")[0] + ("" if "en-ru-uk" not in t["origin"] else
                                                        ":" + t["origin"][-2:])}.get(field, t.get(field))
            acc[v][0] += 1
            acc[v][1] += r["label"]["pred_in_cluster"]
            acc[v][2] += r["claim"]["verdict"] == "unsourced"
        out[field] = {k: f"n={n} p1_any={h / n:.3f} called_unsourced={u / n:.3f}"
                      for k, (n, h, u) in sorted(acc.items())}
    return out


def cause(r: dict) -> str | None:
    """Why a planted claim came out wrong (None when it is right), from its row alone."""
    t, c = r["truth"], r["claim"]
    if not c:
        return f"extraction miss ({t['style']})"
    cl, lab = set(t["cluster"]), r["label"]
    if not cl:
        return f"unsourced claim traced ({t['kind']})" if c["verdict"] != "unsourced" else None
    if c["verdict"] == "unsourced":
        if not lab["top1_in_cluster"]:
            return "called unsourced: true passage not ranked first" + (" (voice)" if t["domain"] == "voice" else "")
        top = c["matches"][0]
        rivals = [m for m in c["matches"][1:] if m["doc_id"] in cl - {top["doc_id"]} and m["lang"] == top["lang"]]
        if rivals and c["features"].get("lead", 1.0) < 0.02:
            return "called unsourced: a relay of the cluster counted as rival (gap ~0)"
        return ("called unsourced: weak evidence, " + ("fragment" if t["fragment"] != "full" else "MT rendering"
                                                       if t["rendering"] != "ref" else "full reference sentence"))
    if lab["pred_earliest"]:
        return None
    chain = c["chain"]
    if not lab["top1_in_cluster"]:
        return "traced to the wrong document (ranking)"
    if chain and chain[-1]["doc_id"] not in cl:
        return "chain: an unrelated document (earlier or undated) made the origin"
    if chain and chain[-1]["date"] is None:
        return "chain: an undated relay made the origin"
    return "chain: a relay made the origin"


def table(results: dict[str, dict]) -> str:
    cols = list(results)
    keys = list(dict.fromkeys(k for c in cols for k in results[c]))
    lines = ["| metric | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join("—" if results[c].get(k) is None else str(results[c][k]) for c in cols)
                     + " |")
    return "\n".join(lines)



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a sample of 25 heldout articles, all conditions")
    ap.add_argument("--splits", default="heldout,fit", help="splits to run (default heldout,fit)")
    ap.add_argument("--articles", type=int, help="at most this many articles per split (a seeded sample)")
    ap.add_argument("--fit-base-only", action="store_true", help="on fit, trace under the base condition only")
    ap.add_argument("--unrelated", type=int, default=100, help="other-split originals added in 'unrelated'")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where built indexes are kept")
    ap.add_argument("--dump", type=Path, help="write per-claim rows (truth, verdict, features) as JSONL here")
    ap.add_argument("--out", type=Path, help="write the metrics as JSON here")
    ap.add_argument("--fit", action="store_true", help="fit the verdict model on the fit split's 'unrelated' index, "
                    "write it to tracer/trace/verdict.py, then measure with it")
    args = ap.parse_args()
    t_start = time.perf_counter()
    splits = ["heldout"] if args.quick else [s.strip() for s in args.splits.split(",") if s.strip()]
    if not splits or any(s not in ("fit", "heldout") for s in splits):
        raise SystemExit("--splits takes fit and/or heldout")
    n_art = 25 if args.quick and args.articles is None else args.articles
    if n_art is not None and n_art < 1:
        raise SystemExit("--articles must be at least 1")

    docs, articles = build()
    for split, s in stats(docs, articles).items():
        print(f"data {split}: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    from tracer import Tracer

    root = args.cache / _fingerprint(docs, Tracer(args.cache / "probe").encoder.id)
    for old in args.cache.glob("*/seed"):  # indexes of earlier data or code: never read again
        if old.parent != root:
            shutil.rmtree(old.parent)
            log(f"removed the stale cache {old.parent}")
    seed = seed_store(docs, root)
    dated = {d.id: d.date for d in docs}
    calibration = None
    if args.fit:
        import trace_fit

        # 'unrelated': the model must have seen English candidates (same language as the quote) to weigh them
        fit_index = condition_index(seed, index_sets(docs, "fit", args.unrelated, seed=7)["unrelated"],
                                    root / "fit-unrelated")
        runs = trace_fit.gather(fit_index, [a for a in articles if a.split == "fit"])
        calibration = trace_fit.fit(runs, Tracer(args.cache / "probe").encoder.id)
        trace_fit.write_calibration(calibration)
    results, invariances, all_rows = {}, {}, []
    for split in splits:
        arts = [a for a in articles if a.split == split]
        if n_art is not None and n_art < len(arts):
            arts = sorted(random.Random(len(arts)).sample(arts, n_art), key=lambda a: a.id)
        sets = index_sets(docs, split, args.unrelated, seed=7)
        conds = ("base",) if split == "fit" and args.fit_base_only else CONDITIONS
        by_cond = {}
        for cond in conds:
            index = condition_index(seed, sets[cond], root / f"{split}-{cond}")
            traces = trace_all(index, arts, f"{split}/{cond}", calibration)
            present = {d.id for d in sets[cond]}
            by_cond[cond] = [r for a in arts for r in rows_for(a, traces[a.id], present, dated, cond)]
            results[f"{split}/{cond}"] = metrics(by_cond[cond])
            all_rows += by_cond[cond]
        for cond in conds[1:]:
            invariances[f"{split}: {cond} vs base"] = invariance(by_cond["base"], by_cond[cond])
        if split == "heldout" or len(splits) == 1:
            print(f"\n{split} base, sourced claims by kind:")
            for field, vals in breakdown(by_cond["base"]).items():
                for k, v in vals.items():
                    print(f"  {field:9s} {k:22s} {v}")
            errors = Counter(x for r in by_cond["base"] if r["truth"] is not None and (x := cause(r)))
            print(f"{split} base, wrong claims by cause ({sum(errors.values())} of "
                  f"{sum(r['truth'] is not None for r in by_cond['base'])} planted):")
            for k, n in errors.most_common():
                print(f"  {n:4d}  {k}")
    print("\n" + table(results))
    print("\ninvariance (share of planted claims whose verdict changes against base):")
    print(table(invariances))
    if "heldout/base" in results:
        print("\ntargets (issue 14) on heldout/base:")
        for key, target in TARGETS:
            v = results["heldout/base"][key]
            print(f"  {key:20s} {v} >= {target}: {'MET' if v is not None and v >= target else 'NOT MET'}")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for r in all_rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        log(f"wrote {len(all_rows)} rows to {args.dump}")
    if args.out:
        args.out.write_text(json.dumps({"metrics": results, "invariance": invariances}, indent=2), encoding="utf-8")
    print(f"\nruntime {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()

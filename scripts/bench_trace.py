#!/usr/bin/env python
"""Benchmark (and calibration) of `tracer trace` on articles this script builds.

Data (all built here, seeded; nothing downloaded):

* **Tatoeba** (../shared/data/tatoeba, ru–en and uk–en pairs): exact and near
  duplicate pairs are dropped (their origin is ambiguous by construction),
  the rest grouped six to a document. Two thirds of the documents are
  Russian/Ukrainian originals quoted by an English article; one third are
  English originals quoted by a Russian/Ukrainian article. Per document one
  sentence is never indexed: the article still "quotes" it — an invented
  quote next to real ones, the hard case for document coherence. Some
  articles add a claim from a second document.
* **Stories** (scripts/bench_trace_stories.yaml, written for tracer): 20 news
  stories, each an original statement (uk, ru or en), a relay of it in a
  second language a day later, and an article in the third language two days
  later, with close translations, looser paraphrases (English articles) and
  on-topic invented claims. Stories also carry narrative figure sentences
  that the article retells without attribution, embellished and often with a
  figure rounded (still sourced), and invented narrative figures (unsourced).
  English originals are also quoted word for word by an English article, as
  are a sixth of the English Tatoeba documents: a source in the article's own
  language must stay traceable.

Claims are wrapped in attributions in the article's language (quote styles,
split quotes, reported speech, according to / по словам / за словами,
unnamed sources); fillers without claims sit between them.

Conditions: ``full`` (every indexed origin present), ``removed`` (the
article's main source documents excluded from the index, so their claims'
true origin is gone; for stories also ``no-relay``). Metrics: extraction
recall/precision, origin P@1 (document level) of sourced claims, overall and
among the claims tracer calls traced/paraphrase, precision/recall of
``unsourced``, traced-vs-paraphrase accuracy, chain accuracy.

Documents and stories are split 50/50 into *fit* and *eval* (seeded, by
document/story). ``--fit`` fits the calibration on *fit* only and, with
``--write``, stores it in tracer/trace/verdict.py; metrics are always reported on
*eval* (and on *fit* for reference).

    python scripts/bench_trace.py                 # both rows: real text (held-out) and the written stories
    python scripts/bench_trace.py --stories-only  # the written stories only

The verdict model is fitted on real text (scripts/bench_trace_news.py --fit),
never on these written stories: they are an extra row.
"""
from __future__ import annotations

import argparse
import os
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracer.trace.claims import extract_claims  # noqa: E402
from tracer.trace.run import DEFAULT_KINDS  # noqa: E402
from tracer.trace.verdict import CALIBRATION, Calibration  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_trace_data import SEED, Article, Doc, build  # noqa: E402

# --------------------------------------------------------------- the index

def build_index(docs: list[Doc], index_dir: Path, articles: list[Article] = ()):
    from tracer import Tracer
    from tracer.config import load_settings

    t = Tracer(settings=load_settings(index_dir))
    jsonl = index_dir.parent / f"{index_dir.name}-docs.jsonl"
    index_dir.mkdir(parents=True, exist_ok=True)
    # The articles are indexed too, as kind=article, the way a newsroom keeps
    # what it checks: they are never candidates (trace searches originals),
    # but they are neighbours of their originals, which raises the originals'
    # hubness and lowers their margin, as in real use.
    lines = [{"id": d.id, "text": d.text, "lang": d.lang, "kind": "original", "date": d.date, "source": d.source}
             for d in docs]
    lines += [{"id": a.id, "text": a.text, "lang": a.lang, "kind": "article", "date": a.date, "source": "bench-article"}
              for a in articles]
    jsonl.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    t.ingest([jsonl])
    rep = t.build()
    print(f"index: {len(docs)} documents, {rep.segments} segments, {rep.embedded} embedded "
          f"in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return t


# ---------------------------------------------------------------- running

@dataclass
class Row:
    """One planted claim under one condition."""

    article: str
    family: str
    split: str
    lang: str
    condition: str
    wording: str
    style: str
    true_docs: set[str]
    origin: str | None
    relay: str | None
    extracted: bool
    kind: str = ""
    cands: list = field(default_factory=list)  # candidates of the extracted claim
    claim_index: int = -1


def run_lookups(t, articles: list[Article]):
    """Gather candidates for every article under every condition (the slow part)."""
    from tracer.lookup.filters import SearchFilter
    from tracer.trace.article import load_article
    from tracer.trace.candidates import gather_candidates

    runs = []
    total = len(articles)
    t0 = time.perf_counter()
    for n, art in enumerate(articles):
        info = load_article(art.text, lang=art.lang, date=art.date)
        info = replace(info, id=art.id, excluded_docs=(art.id,))
        claims = extract_claims(info.text, info.lang)
        conditions = [("full", {art.id}), ("removed", set(art.main_docs) | {art.id})]
        if art.relay:
            conditions.insert(1, ("no-relay", {art.relay, art.id}))
        lookup = t.lookups()  # remembers query vectors: one encoding per claim for all conditions
        for cond, excl in conditions:
            where = SearchFilter(kinds=DEFAULT_KINDS, exclude_docs=tuple(sorted(excl)))
            cands = gather_candidates(lookup, claims, info.text, where=where) if claims else []
            runs.append((art, info, claims, cond, excl, cands))
        if (n + 1) % 50 == 0:
            print(f"  looked up {n + 1}/{total} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return runs


def match_planted(art: Article, claims) -> tuple[list[int], int]:
    """Index of the extracted claim covering each planted statement (-1 if none),
    and the number of extracted claims covering no planted statement."""
    idx, used = [], set()
    for p in art.planted:
        best, best_ov = -1, 0
        for i, c in enumerate(claims):
            ov = min(p.end, c.end) - max(p.start, c.start)
            if ov > best_ov:
                best, best_ov = i, ov
        ok = best >= 0 and best_ov >= 0.5 * (p.end - p.start)
        idx.append(best if ok else -1)
        if ok:
            used.add(best)
    return idx, len(claims) - len(used)


def score_run(t, art, info, claims, cond, excl, cands, cal: Calibration, chains: bool = False):
    from tracer.lookup.filters import SearchFilter
    from tracer.trace.run import score_claims

    if not claims:
        return None
    return score_claims(t.lookups(), info, claims, cands, k=5, cal=cal, chains=chains,
                        where=SearchFilter(kinds=DEFAULT_KINDS, exclude_docs=tuple(sorted(excl))))


def evaluate(t, runs, cal: Calibration, split: str, chains: bool = False) -> dict:
    """Metrics over the runs of one split, under calibration ``cal``."""
    m = dict(planted=0, extracted=0, spurious=0, claims=0, sourced=0, p1=0, called=0, called_p1=0,
             unsourced_true=0, unsourced_pred=0, unsourced_tp=0, wording_n=0, wording_ok=0,
             chain_n=0, chain_ok=0)
    by_lang: dict[str, list[int]] = {}
    # unsourced TP, predicted, true and P@1 hits/n, for short (< 6 words) and longer statements
    by_len = {b: [0, 0, 0, 0, 0] for b in ("short", "long")}
    # per wording (the narrative figure rewrites and drifted figures among
    # them): claims, called unsourced, true origin ranked first, chains checked, chains right
    by_wording: dict[str, list[int]] = {}
    for art, info, claims, cond, excl, cands in runs:
        if art.split != split:
            continue
        idx, spurious = match_planted(art, claims)
        if cond == "full":
            m["planted"] += len(art.planted)
            m["extracted"] += sum(1 for i in idx if i >= 0)
            m["spurious"] += spurious
            m["claims"] += len(claims)
        res = score_run(t, art, info, claims, cond, excl, cands, cal, chains=chains and art.family == "story")
        if res is None:
            continue
        for p, i in zip(art.planted, idx):
            if i < 0:
                continue
            ct = res.claims[i]
            present = p.true_docs - excl
            top = ct.matches[0].doc_id if ct.matches else None
            pred_uns = ct.verdict == "unsourced"
            w = by_wording.setdefault(p.wording if present or not p.true_docs else f"{p.wording} (removed)", [0, 0, 0, 0, 0])
            w[0] += 1
            w[1] += pred_uns
            w[2] += bool(present) and top in present
            bucket = by_len["short" if len(art.text[p.start:p.end].split()) < 6 else "long"]
            bucket[1] += pred_uns
            if present:
                bucket[3] += top in present
                bucket[4] += 1
            else:
                bucket[2] += 1
                bucket[0] += pred_uns
            if present:
                m["sourced"] += 1
                hit = top in present
                m["p1"] += hit
                lang_stats = by_lang.setdefault(art.lang, [0, 0, 0, 0])
                lang_stats[0] += 1
                lang_stats[1] += hit
                if not pred_uns:
                    m["called"] += 1
                    m["called_p1"] += hit
                    if p.wording in ("close", "loose") and art.family == "story":
                        m["wording_n"] += 1
                        m["wording_ok"] += (ct.verdict == "traced") == (p.wording == "close")
                    if chains and art.family == "story" and cond == "full" and hit:
                        m["chain_n"] += 1
                        right = [h.doc_id for h in ct.chain[1:]] == [art.relay, p.origin]
                        m["chain_ok"] += right
                        if not right and os.environ.get("TRACER_BENCH_DEBUG") and m["chain_n"] < 6:
                            print("chain", [(h.doc_id, h.role, h.date) for h in ct.chain[1:]],
                                  "expected", [art.relay, p.origin], file=sys.stderr)
                        w[3] += 1
                        w[4] += right
            else:
                m["unsourced_true"] += 1
                m["unsourced_tp"] += pred_uns
            m["unsourced_pred"] += pred_uns
    out = {
        "extraction_recall": _div(m["extracted"], m["planted"]),
        "extraction_precision": _div(m["claims"] - m["spurious"], m["claims"]),
        "origin_p1_all_sourced": _div(m["p1"], m["sourced"]),
        "origin_p1_traced": _div(m["called_p1"], m["called"]),
        "unsourced_precision": _div(m["unsourced_tp"], m["unsourced_pred"]),
        "unsourced_recall": _div(m["unsourced_tp"], m["unsourced_true"]),
        "traced_vs_paraphrase_acc": _div(m["wording_ok"], m["wording_n"]),
        "chain_article_relay_origin": _div(m["chain_ok"], m["chain_n"]) if chains else None,
        "n_planted": m["planted"], "n_sourced": m["sourced"], "n_unsourced": m["unsourced_true"],
        "n_called": m["called"], "n_wording": m["wording_n"], "n_chain": m["chain_n"],
    }
    out["p1_by_article_lang"] = {k: _div(v[1], v[0]) for k, v in sorted(by_lang.items())}
    out["by_length"] = {k: {"unsourced_precision": _div(v[0], v[1]), "unsourced_recall": _div(v[0], v[2]),
                            "origin_p1": _div(v[3], v[4]), "n": v[2] + v[4]} for k, v in by_len.items()}
    out["by_wording"] = {k: {"n": v[0], "called_unsourced": _div(v[1], v[0]), "origin_p1": _div(v[2], v[0])}
                         | ({"chain": _div(v[4], v[3]), "n_chain": v[3]} if v[3] else {})
                         for k, v in sorted(by_wording.items())}
    return out


def _div(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


# -------------------------------------------------------------------- main

def table(results: dict[str, dict]) -> str:
    keys = ["extraction_recall", "extraction_precision", "origin_p1_all_sourced", "origin_p1_traced",
            "unsourced_precision", "unsourced_recall", "traced_vs_paraphrase_acc", "chain_article_relay_origin",
            "n_planted", "n_sourced", "n_unsourced", "n_called"]
    cols = list(results)
    lines = ["| metric | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join("—" if results[c].get(k) is None else str(results[c][k])
                                              for c in cols) + " |")
    return "\n".join(lines)


def real_text_row() -> dict | None:
    """The real-text row: scripts/bench_trace_news.py's held-out base metrics (its cached indexes)."""
    import subprocess

    out = Path("/tmp/tracer-bench-trace/news-metrics.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_trace_news.py"), "--splits", "heldout",
                           "--out", str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"bench_trace_news.py failed: {proc.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    return json.loads(out.read_text())["metrics"].get("heldout/base")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, default=Path("/tmp/tracer-bench-trace/index"),
                    help="where to build the written-stories index (reused when the data is unchanged)")
    ap.add_argument("--stories-only", action="store_true", help="skip the real-text row")
    ap.add_argument("--out", type=Path, help="write the metrics as JSON here")
    args = ap.parse_args()

    rng = random.Random(SEED)
    docs, articles, dropped, kept = build(rng)
    digest = hashlib.sha256(json.dumps([(d.id, d.text, d.date) for d in docs]
                                       + [(a.id, a.text) for a in articles]).encode()).hexdigest()[:12]
    print(f"data: {kept} Tatoeba pairs kept ({dropped} duplicates dropped), {len(docs)} documents, "
          f"{len(articles)} articles, {sum(len(a.planted) for a in articles)} planted claims", file=sys.stderr)
    index_dir = args.index.parent / f"{args.index.name}-{digest}"
    from tracer.index.layout import IndexDir

    if IndexDir(index_dir).has_store():
        from tracer import Tracer
        from tracer.config import load_settings

        t = Tracer(settings=load_settings(index_dir))
        t.build()  # a new tracer or encoder: re-index (the embedding cache keeps what it can)
    else:
        t = build_index(docs, index_dir, articles)
    t0 = time.perf_counter()
    runs = run_lookups(t, articles)
    print(f"lookups done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    stories = {"eval": evaluate(t, runs, CALIBRATION, "eval", chains=True),
               "fit": evaluate(t, runs, CALIBRATION, "fit", chains=True)}
    real = None if args.stories_only else real_text_row()
    print("\n| metric | real text, held-out (bench_trace_news) | written stories + Tatoeba, eval half |")
    print("|---|---|---|")
    pairs = [("origin P@1 (any member of the syndication cluster)", "origin_p1_any", "origin_p1_all_sourced"),
             ("origin P@1 (the earliest dated member)", "origin_p1_strict", None),
             ("origin P@1 of claims called traced/paraphrase", None, "origin_p1_traced"),
             ("unsourced precision", "unsourced_precision", "unsourced_precision"),
             ("unsourced recall", "unsourced_recall", "unsourced_recall"),
             ("claim extraction recall", "extraction_recall", "extraction_recall"),
             ("claim extraction precision", "extraction_precision", "extraction_precision"),
             ("chain: origin is the earliest dated member", "chain_origin_earliest", None),
             ("chain: article -> relay -> origin (stories)", None, "chain_article_relay_origin")]
    for label, rk, sk in pairs:
        rv = (real or {}).get(rk) if rk else None
        sv = stories["eval"].get(sk) if sk else None
        print(f"| {label} | {'—' if rv is None else rv} | {'—' if sv is None else sv} |")
    print(table(stories))
    if args.out:
        args.out.write_text(json.dumps({"real": real, "stories": stories}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

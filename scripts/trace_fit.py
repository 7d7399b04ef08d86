"""Fitting the trace's verdict model (tracer/trace/verdict.py) on the FIT half of the real-text benchmark.

The articles of scripts/bench_trace_news_data.py (fit split, "unrelated" index:
originals, their syndicated relays, other originals and English coverage of other stories) are looked up once
(``gather_candidates``); every number of the calibration is then chosen on
those lookups:

1. the coherence bonus of the ranking, by fit P@1 of the top candidate;
2. the standalone model: logistic regression of "the top candidate carries
   the claim" on the claim's own evidence;
3. the in-context model: logistic regression on the standalone logit, the
   coherence of the top document, adjacency and "taken" (the passage is
   already another claim's better match);
4. ``unsourced_below``: the confidence threshold that maximises the smaller
   of the precision and recall of ``unsourced``;
5. ``traced_above``: the cosine below which a claim's wording is looser than
   that of 95% of the professional translations found on fit (there is no
   real-text label of "paraphrase": machine-translated renderings turned out
   exactly as close as professional ones, balanced accuracy 0.51).

The held-out half is never looked at here.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STANDALONE = ("score", "lead", "cosine", "numbers", "figures", "names", "short", "same_lang", "coverage")
# The in-context model: the standalone logit, then these.
CONTEXT = ("coherence", "adjacent", "taken", "aligned_q", "aligned_s")
COHERENCE_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
# A claim is "traced" (close wording) when its cosine reaches that of all but this share of the fit
# half's correctly found professional translations; below, a "paraphrase" (looser wording).
PARAPHRASE_SHARE = 0.05


def gather(index: Path, articles) -> list[tuple]:
    """(article, info, claims, candidates, truth per claim) of every article, looked up once."""
    from tracer import Tracer
    from tracer.lookup.filters import SearchFilter
    from tracer.trace.article import load_article, self_ids
    from tracer.trace.candidates import gather_candidates
    from tracer.trace.claims import extract_claims

    out = []
    with Tracer(index) as t:
        lookup = t.lookups()
        for a in articles:
            info = load_article(a.text, date=a.date)
            claims = extract_claims(info.text, info.lang)
            where = SearchFilter(kinds=("original",)).excluding(sorted(self_ids(lookup.store, info)))
            cands = gather_candidates(lookup, claims, info.text, where=where) if claims else []
            out.append((a, replace(info, excluded_docs=tuple(where.exclude_docs)), claims, cands, _truth(a, claims)))
    return out


def _truth(article, claims) -> list[dict | None]:
    """Per extracted claim: the planted claim it covers (cluster, rendering), or None."""
    out: list[dict | None] = [None] * len(claims)
    for p in article.planted:
        best, best_ov = -1, 0
        for i, c in enumerate(claims):
            ov = min(p.end, c.end) - max(p.start, c.start)
            if ov > best_ov:
                best, best_ov = i, ov
        if best >= 0 and best_ov >= 0.5 * (p.end - p.start):
            out[best] = {"cluster": set(p.cluster), "rendering": p.rendering, "fragment": p.fragment}
    return out


def _score(runs, cal, lookup=None):
    from tracer.trace.run import score_claims

    for a, info, claims, cands, truth in runs:
        if claims:
            yield a, truth, score_claims(lookup, info, claims, cands, cal=cal, chains=False)


def _examples(runs, cal):
    X, y, meta = [], [], []
    for _, truth, res in _score(runs, cal):
        for ct, tr in zip(res.claims, truth):
            if tr is None or not ct.matches:
                continue
            f = dict(ct.features)
            X.append(f)
            y.append(int(ct.matches[0].doc_id in tr["cluster"]))
            meta.append((tr, ct))
    return X, np.array(y), meta


def fit(runs, encoder_id: str):
    """A Calibration fitted on ``runs`` (see the module docstring)."""
    from sklearn.linear_model import LogisticRegression

    from tracer.trace.verdict import CALIBRATION, confidence, standalone_logit

    base = replace(CALIBRATION, weights={"score": 20.0, "lead": 10.0}, bias=-4.0,
                   context_weights={"standalone": 1.0}, context_bias=0.0)
    p1 = {}
    for w in COHERENCE_GRID:
        _, y, _ = _examples(runs, replace(base, coherence_weight=w))
        p1[w] = float(y.mean())
    coh_w = max(COHERENCE_GRID, key=lambda w: (p1[w], -w))
    cal = replace(base, coherence_weight=coh_w)
    X, y, _ = _examples(runs, cal)
    A = np.array([[f.get(n, 0.0) for n in STANDALONE] for f in X])
    lr = LogisticRegression(C=1.0, max_iter=10000).fit(A, y)
    cal = replace(cal, weights={n: round(float(c), 4) for n, c in zip(STANDALONE, lr.coef_[0])},
                  bias=round(float(lr.intercept_[0]), 4))
    X, y, meta = _examples(runs, cal)  # votes and coherence now from the fitted standalone model
    B = np.array([[standalone_logit(f, cal), *(f.get(n, 0.0) for n in CONTEXT)] for f in X])
    lr2 = LogisticRegression(C=1.0, max_iter=10000).fit(B, y)
    cal = replace(cal, context_weights={k: round(float(c), 4) for k, c in
                                        zip(("standalone", *CONTEXT), lr2.coef_[0])},
                  context_bias=round(float(lr2.intercept_[0]), 4))
    X, y, meta = _examples(runs, cal)
    conf = np.array([confidence(f, cal) for f in X])
    truly = np.array([not tr["cluster"] for tr, _ in meta])
    best_thr, best = 0.5, -1.0
    for thr in np.arange(0.05, 0.95, 0.01):
        called = conf < thr
        prec = (called & truly).sum() / max(called.sum(), 1)
        rec = (called & truly).sum() / max(truly.sum(), 1)
        if min(prec, rec) > best:
            best, best_thr = min(prec, rec), float(thr)
    cosines = sorted(ct.matches[0].cosine for tr, ct in meta
                     if tr["cluster"] and tr["rendering"] == "ref" and tr["fragment"] == "full"
                     and ct.matches[0].doc_id in tr["cluster"])
    best_t = float(cosines[int(PARAPHRASE_SHARE * len(cosines))]) if cosines else 0.5
    provenance = (f"scripts/bench_trace_news.py --fit on {dt.date.today()}: fit half, 'unrelated' index "
                  f"({len(runs)} articles, {len(y)} claims, {int(y.sum())} with the right top candidate); "
                  f"coherence_weight by fit P@1 {json.dumps({str(k): round(v, 4) for k, v in p1.items()})}; "
                  f"logistic regressions C=1; unsourced_below maximises min(P, R) of unsourced on fit "
                  f"({best:.3f}); traced_above: the cosine of the {PARAPHRASE_SHARE:.0%} loosest of "
                  f"{len(cosines)} professional translations found on fit")
    return replace(cal, unsourced_below=round(best_thr, 2), traced_feature="cosine", traced_above=round(best_t, 2),
                   encoder_id=encoder_id, provenance=provenance, metrics={})


def write_calibration(cal) -> Path:
    """Replace the CALIBRATION block of tracer/trace/verdict.py with ``cal``."""
    path = ROOT / "tracer" / "trace" / "verdict.py"
    src = path.read_text(encoding="utf-8")
    start = src.index("CALIBRATION = Calibration(")
    end = src.index("\n)\n", start) + 3
    fields_ = ["weights", "bias", "context_weights", "context_bias", "vote_conf", "unsourced_below",
               "traced_feature", "traced_above", "coherence_weight", "adjacency_weight", "encoder_id"]
    words, lines, line = cal.provenance.split(" "), [], ""
    for w in words:
        if len(line) + len(w) > 100:
            lines.append(line)
            line = ""
        line += w + " "
    lines.append(line)
    block = ("CALIBRATION = Calibration(\n"
             + "".join(f"    {f}={dict(v) if isinstance(v := getattr(cal, f), dict) else v!r},\n" for f in fields_)
             + "    provenance=(\n" + "".join(f"        {json.dumps(x, ensure_ascii=False)}\n" for x in lines)
             + "    ),\n" + f"    metrics={dict(cal.metrics)!r},\n" + ")\n")
    path.write_text(src[:start] + block + src[end:], encoding="utf-8")
    print(f"wrote the calibration to {path.relative_to(ROOT)}", file=sys.stderr)
    return path

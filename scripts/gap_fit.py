#!/usr/bin/env python
"""Fit the gap model (tracer/diff/gap_model.py) on the FIT half of the diff benchmark.

Every omission and addition of two or more words that the diff finds across
languages is an example (its features are in the issue's ``evidence``):

* negatives: the runs found on faithful professional translations;
* positives: on the same pairs with a clause dropped (``omission``) or a
  clause of another document inserted (``addition``), the runs at the change
  (an addition overlapping the inserted text, an omission the faithful pair's
  diff does not have).

A logistic regression over the features gives the weights; ``major_at`` is
the lowest probability at which the share of faithful pairs with a major gap
stays within ``--budget``, so recall is the most the budget allows. Two-fold
cross-validation by document inside the fit half shows whether the weights
carry over to documents they were not fitted on. The held-out half is never
read here; ``scripts/bench_diff.py`` reports it.

    python scripts/gap_fit.py            # prints the fitted GapModel to paste
"""
from __future__ import annotations

import argparse
import math
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_diff import _overlap, _same_issue, run_diff  # noqa: E402
from bench_diff_data import build, data_dir  # noqa: E402

from tracer.diff.gap_model import FEATURES  # noqa: E402

GAP_KINDS = ("omission", "addition")


def collect(cases) -> list[dict]:
    """One row per cross-language gap issue of 2+ words: features, label, case key."""
    baseline, rows = {}, []
    ordered = [c for c in cases if c.set == "faithful"] + [c for c in cases if c.set == "planted"]
    for c in ordered:
        issues = run_diff(c.quote, c.source, c.qlang, c.slang)
        key = (c.direction, c.quote if c.set == "faithful" else c.base, c.source)
        if c.set == "faithful":
            baseline[key] = issues
        for i in issues:
            if i["kind"] not in GAP_KINDS or "evidence" not in i:
                continue
            if c.set == "faithful":
                label = 0
            elif i["kind"] != c.kind:
                continue
            elif c.kind == "addition":
                if not _overlap(tuple(i["quote_span"]), c.region):
                    continue
                label = 1
            else:
                # New to the pair: no example run of the faithful diff there (its one-word notes may be
                # where the dropped clause was).
                if any(_same_issue(i, j) for j in baseline.get(key, []) if j["kind"] == "omission" and "evidence" in j):
                    continue
                label = 1
            rows.append({"x": [i["evidence"][n] for n in FEATURES], "y": label, "set": c.set, "kind": c.kind,
                         "case": id(c), "doc": c.doc_id})
    return rows


def length_offsets(cases) -> dict[tuple[str, str], float]:
    """Mean log1p content-word ratio (translation over original) of the faithful pairs, by
    (translation's language, original's language): gap_model.LENGTH_OFFSETS. Words are counted as
    the diff counts them for the feature (tracer.diff.gaps: aligned words that are content words)."""
    from tracer.diff.checks import _is_content
    from tracer.text.words import words_of

    def n(text: str) -> int:
        return sum(1 for w in words_of(text) if _is_content(w))

    ratios: dict[tuple[str, str], list[float]] = {}
    for c in cases:
        if c.set == "faithful" and c.qlang != c.slang:
            ratios.setdefault((c.qlang, c.slang), []).append(math.log1p(n(c.quote)) - math.log1p(n(c.source)))
    return {k: round(float(np.mean(v)), 3) for k, v in sorted(ratios.items())}


def case_counts(cases) -> dict[str, int]:
    return {"faithful": sum(c.set == "faithful" for c in cases),
            **{k: sum(c.set == "planted" and c.kind == k for c in cases) for k in GAP_KINDS}}


def operating_point(rows, p, thr, counts) -> dict[str, float]:
    """Faithful pairs with a major gap, and planted cases whose change is major, at ``thr``."""
    fp = {r["case"] for r, q in zip(rows, p) if r["set"] == "faithful" and q >= thr}
    hit = {k: {r["case"] for r, q in zip(rows, p) if r["set"] == "planted" and r["kind"] == k and q >= thr}
           for k in GAP_KINDS}
    return {"faithful": len(fp) / counts["faithful"],
            **{k: len(hit[k]) / max(counts[k], 1) for k in GAP_KINDS}}


def _rule(rows) -> np.ndarray:
    """gaps._severity, the word count the model replaces, on each run (its size, clause flag and text
    length read back from the features)."""
    from tracer.diff.gaps import Run, _severity

    ix = {n: k for k, n in enumerate(FEATURES)}
    words = lambda r, name: round(float(np.expm1(r["x"][ix[name]])))  # noqa: E731 (features are log1p)
    return np.array([float(_severity(Run(0, 0, words(r, "content"), clause=r["x"][ix["clause"]] > 0),
                                     words(r, "length")) == "major") for r in rows])


def choose(rows, p, counts, budget) -> float:
    for thr in np.arange(0.05, 0.96, 0.01):
        if operating_point(rows, p, thr, counts)["faithful"] <= budget:
            return round(float(thr), 2)
    return 0.95


def fit(rows, C: float):
    from sklearn.linear_model import LogisticRegression

    X = np.array([r["x"] for r in rows])
    y = np.array([r["y"] for r in rows])
    return LogisticRegression(C=C, max_iter=10000).fit(X, y)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=0.025,
                    help="share of faithful fit pairs a major gap may flag: half of the 5%% target (default 0.025)")
    ap.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--data", help="the WMT23 folder (default: ../shared/data/wmt23)")
    args = ap.parse_args(argv)

    cases = build("fit", per_direction=300, multi_share=0.25, per_kind=40, mt=0, data=data_dir(args.data))
    cases = [c for c in cases if c.set == "faithful" or (c.set == "planted" and c.kind in GAP_KINDS)]
    print(f"length offsets of faithful pairs (gap_model.LENGTH_OFFSETS): {length_offsets(cases)}")
    rows = collect(cases)
    counts = case_counts(cases)
    print(f"fit half: {counts}; gap issues of 2+ words: {len(rows)} "
          f"({sum(r['y'] for r in rows)} at a planted change)")

    # Two folds by document: fitted on one, measured on the other.
    fold = {r["doc"]: zlib.crc32(r["doc"].encode()) % 2 for r in rows}
    for k in (0, 1):
        train = [r for r in rows if fold[r["doc"]] != k]
        test = [r for r in rows if fold[r["doc"]] == k]
        test_cases = [c for c in cases if zlib.crc32(c.doc_id.encode()) % 2 == k]
        m = fit(train, args.C)
        thr = choose(train, m.predict_proba(np.array([r["x"] for r in train]))[:, 1],
                     case_counts([c for c in cases if zlib.crc32(c.doc_id.encode()) % 2 != k]), args.budget)
        pt = operating_point(test, m.predict_proba(np.array([r["x"] for r in test]))[:, 1], thr,
                             case_counts(test_cases))
        rp = operating_point(test, _rule(test), 0.5, case_counts(test_cases))
        print(f"fold {k}: threshold {thr:.2f} -> unseen documents: faithful with a major gap {pt['faithful']:.3f}, "
              f"omission {pt['omission']:.3f}, addition {pt['addition']:.3f} (word-count rule: {rp['faithful']:.3f}, "
              f"{rp['omission']:.3f}, {rp['addition']:.3f})")

    m = fit(rows, args.C)
    p = m.predict_proba(np.array([r["x"] for r in rows]))[:, 1]
    thr = choose(rows, p, counts, args.budget)
    print("\nfit half, whole (threshold: faithful gap share <= budget):")
    print("| major at | faithful with a major gap | omission recall | addition recall |")
    print("|---|---|---|---|")
    pt = operating_point(rows, _rule(rows), 0.5, counts)
    print(f"| the word-count rule | {pt['faithful']:.3f} | {pt['omission']:.3f} | {pt['addition']:.3f} |")
    for t in sorted({0.05, 0.3, 0.4, 0.5, 0.6, 0.7, thr}):
        pt = operating_point(rows, p, t, counts)
        mark = " (chosen)" if t == thr else ""
        print(f"| {t:.2f}{mark} | {pt['faithful']:.3f} | {pt['omission']:.3f} | {pt['addition']:.3f} |")
    weights = {n: round(float(w), 4) for n, w in zip(FEATURES, m.coef_[0])}
    print("\nGAP_MODEL = GapModel(")
    print(f"    weights={weights!r},")
    print(f"    bias={round(float(m.intercept_[0]), 4)},")
    print(f"    major_at={thr},")
    print(f"    provenance=\"scripts/gap_fit.py: fit half of the WMT23 diff benchmark, {len(rows)} gap runs, "
          f"logistic regression C={args.C}, major_at keeps faithful pairs with a major gap <= {args.budget:.1%}\",")
    print(")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

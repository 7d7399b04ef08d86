#!/usr/bin/env python
"""Does diffing inner quotations pair by pair change the report's diff on real text?

``tracer.report.compare.diff_claim_text`` diffs a claim against its original
and, when both hold the same number of quotations inside them, each pair of
inner quotations on its own (its findings added, replacing the long diff's
findings about the same words). This runs scripts/bench_diff.py's cases
(scripts/bench_diff_data.py: WMT23, one split, MT outputs included) that hold
such pairs, with and without, judged exactly as bench_diff.py judges them.

    python scripts/bench_inner_quotes.py                 # held-out split
    python scripts/bench_inner_quotes.py --split fit
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_diff import flags, found  # noqa: E402
from bench_diff_data import build, data_dir  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("fit", "heldout"), default="heldout")
    ap.add_argument("--data", help="the WMT23 folder (default: ../shared/data/wmt23)")
    args = ap.parse_args(argv)

    from tracer.diff import diff_texts
    from tracer.report.compare import diff_claim_text, embedded_pairs

    cases = build(args.split, per_direction=300, multi_share=0.25, per_kind=40, mt=200, data=data_dir(args.data))
    chosen = [c for c in cases if embedded_pairs(c.quote, c.source)]
    print(f"bench_inner_quotes ({args.split}): {len(chosen)} of {len(cases)} cases hold paired inner quotations")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in chosen:
        opts = dict(quote_lang=c.qlang, source_lang=c.slang, use_mt=False)
        for k, pairwise in enumerate((False, True)):
            def issues(quote: str) -> list[dict]:
                if pairwise:
                    return diff_claim_text(diff_texts, quote, c.source, **opts)["issues"]
                return diff_texts(quote, c.source, **opts).to_dict()["issues"]

            got = issues(c.quote)
            hit = bool(flags(got)) if c.set in ("faithful", "mt") else found(c.kind, c.region, got, issues(c.base))
            row = counts[c.kind]
            row[0] += k == 0
            row[1 + k] += hit
    print(f"{'set':<20}{'n':>5}{'long diff only':>16}{'with inner pairs':>18}")
    for kind in sorted(counts, key=lambda k: (k not in ("faithful", "mt"), k)):
        n, off, on = counts[kind]
        label = f"{kind} flagged" if kind in ("faithful", "mt") else f"{kind} found"
        print(f"{label:<20}{n:>5}{off:>16}{on:>18}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

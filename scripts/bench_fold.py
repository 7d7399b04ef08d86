#!/usr/bin/env python
"""Does folding English typographic apostrophes (’ → ') change the diff on real text?

``tracer.diff.typography`` folds them before the word alignment. This runs
scripts/bench_diff.py's cases (scripts/bench_diff_data.py: WMT23, one split)
that hold a typographic apostrophe in English text, with the fold and without,
and counts faithful pairs flagged and planted changes found, judged exactly as
bench_diff.py judges them.

    python scripts/bench_fold.py                 # held-out split
    python scripts/bench_fold.py --split fit
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

APOSTROPHES = "’‘ʼ‛′"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("fit", "heldout"), default="heldout")
    ap.add_argument("--data", help="the WMT23 folder (default: ../shared/data/wmt23)")
    args = ap.parse_args(argv)

    from tracer.diff import diff_texts, typography

    cases = build(args.split, per_direction=300, multi_share=0.25, per_kind=40, mt=0, data=data_dir(args.data))
    chosen = [c for c in cases if "en" in (c.qlang, c.slang) and any(ch in c.quote + c.source for ch in APOSTROPHES)]
    print(f"bench_fold ({args.split}): {len(chosen)} of {len(cases)} cases hold a typographic apostrophe in English")

    def issues(quote: str, source: str, c) -> list[dict]:
        r = diff_texts(quote, source, quote_lang=c.qlang, source_lang=c.slang, use_mt=False)
        return [i.to_dict() for i in r.issues]

    counts: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0])
    folded = typography.FOLDED_LANGS
    for fold in (False, True):
        typography.FOLDED_LANGS = folded if fold else ()
        bases: dict[tuple[str, str], list[dict]] = {}
        for c in chosen:
            got = issues(c.quote, c.source, c)
            if c.set == "faithful":
                hit = bool(flags(got))
            else:
                if (c.base, c.source) not in bases:
                    bases[(c.base, c.source)] = issues(c.base, c.source, c)
                hit = found(c.kind, c.region, got, bases[(c.base, c.source)])
            row = counts[(c.kind, fold)]
            row[0] += 1
            row[1] += hit
    typography.FOLDED_LANGS = folded
    print(f"{'set':<20}{'n':>5}{'without fold':>14}{'with fold':>11}")
    for kind in sorted({k for k, _ in counts}, key=lambda k: (k != "faithful", k)):
        n, off = counts[(kind, False)]
        _, on = counts[(kind, True)]
        label = "faithful flagged" if kind == "faithful" else f"{kind} found"
        print(f"{label:<20}{n:>5}{off:>14}{on:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

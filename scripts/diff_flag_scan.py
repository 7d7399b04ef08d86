#!/usr/bin/env python
"""Critical/major diff flags on every professional translation of one split's segments.

bench_diff.py samples 300 faithful pairs per direction; this scans all single
segments of the split (WMT23 ru/uk originals against their English
reference, the three-way set's Russian and Ukrainian against the English
original) to find the false flags a rule should answer, and to check that a
rule adds none. Tuning reads ``--split fit`` only.

    python scripts/diff_flag_scan.py --kind negation          # fit: rates, then every negation flag
    python scripts/diff_flag_scan.py --dump /tmp/scan.jsonl   # every flagged pair, to compare two versions
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from wmt23 import by_split, load_documents, load_threeway  # noqa: E402

SERIOUS = ("critical", "major")


def pairs(split: str):
    """(direction, quote, original) for every segment of ``split`` of 4+ words, translation quoted."""
    for d in by_split(load_documents(), split) + by_split(load_threeway(), split):
        for lang, segs in d.translations.items():
            for src, tr in zip(d.segments, segs):
                if src.strip() and tr.strip() and len(src.split()) >= 4:
                    yield f"{lang}<-{d.lang}", tr, src


def main(argv: list[str] | None = None) -> int:
    from tracer.diff import diff_texts

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("fit", "heldout"), default="fit")
    ap.add_argument("--kind", help="print every flag of this kind")
    ap.add_argument("--dump", help="write every pair with its critical/major flags (JSON lines)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    total, flagged, by_kind, shown = Counter(), Counter(), Counter(), []
    out = open(args.dump, "w", encoding="utf-8") if args.dump else None
    for direction, quote, original in pairs(args.split):
        ql, sl = direction.split("<-")
        issues = [i for i in diff_texts(quote, original, quote_lang=ql, source_lang=sl, use_mt=False).issues
                  if i.severity in SERIOUS]
        total[direction] += 1
        flagged[direction] += bool(issues)
        for k in {i.kind for i in issues}:
            by_kind[(direction, k)] += 1
        shown += [(direction, quote, original, i) for i in issues if i.kind == args.kind]
        if out:
            out.write(json.dumps({"dir": direction, "q": quote, "s": original,
                                  "issues": [i.to_dict() for i in issues]}, ensure_ascii=False) + "\n")
    if out:
        out.close()
    print(f"split {args.split}: {sum(total.values())} segments ({time.perf_counter() - t0:.0f} s)")
    kinds = sorted({k for _, k in by_kind})
    print("| direction | pairs | flagged | " + " | ".join(kinds) + " |")
    print("|---|---|---|" + "---|" * len(kinds))
    for d in sorted(total):
        cells = [f"{by_kind[(d, k)] / total[d]:.3f}" for k in kinds]
        print(f"| {d} | {total[d]} | {flagged[d] / total[d]:.3f} | " + " | ".join(cells) + " |")
    for direction, quote, original, i in shown:
        print(f"\n{direction} {i.kind} {i.severity}: {i.message}\n  Q: {quote}\n  S: {original}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

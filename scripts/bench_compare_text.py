#!/usr/bin/env python
"""Which stretch of a long original should a quote that matched a word window be diffed against?

``tracer report`` diffs a claim against part of its best match; for a word
window (8 or 14 words cut from a long sentence) the choices are the window
itself, the window widened to the clauses it touches (to the nearest
, ; : dash or quote mark on each side), or the whole sentence. Real text
decides: WMT23 ru→en and uk→en documents (scripts/wmt23.py, one split),
long original segments whose professional English translation has as many
clauses as the original (split at , ; : and spaced dashes), so clause k of
one renders clause k of the other. The quote is the English without its
first or its last clause (a partial quote, as news quotes); the true
counterpart is the original without the same clause. The lookup is
simulated with the real model: the window of the original closest to the
quote (e5 query/passage cosine), kept only when it beats the whole segment
(when the lookup would return the window). Every pair is faithful, so any
flag is a false one; the true counterpart's row is the floor.

    python scripts/bench_compare_text.py                 # held-out split
    python scripts/bench_compare_text.py --split fit
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_diff import flags  # noqa: E402
from wmt23 import by_split, load_documents  # noqa: E402

CLAUSE = re.compile(r"\s*(?:[,;:]|\s[—–-])\s+")
# Clause boundaries inside an original sentence, for widening a window.
BOUNDARY = re.compile(r"[,;:()\[\]«»“”„\"]|\s[—–-]\s")
MIN_WORDS = 17  # a 14-word window needs a longer segment (tracer.text.segment.windows)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text`` (between , ; : and spaced dashes)."""
    out, start = [], 0
    for m in CLAUSE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if b > a]


def clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to the clause boundaries around it (a boundary inside stays inside)."""
    left = 0
    for m in BOUNDARY.finditer(sentence, 0, start):
        left = m.end()
    m = BOUNDARY.search(sentence, end)
    right = m.start() if m else len(sentence)
    left, right = min(left, start), max(right, end)
    while left < right and sentence[left].isspace():
        left += 1
    while right > left and sentence[right - 1].isspace():
        right -= 1
    return left, right


def cases(split: str, limit: int):
    """(doc_id, quote, original sentence, true counterpart, source lang) of ``split``."""
    rows = []
    for d in by_split(load_documents(), split):
        for i, (src, ref) in enumerate(zip(d.segments, d.translations["en"])):
            src, ref = src.strip(), ref.strip()
            if len(src.split()) < MIN_WORDS:
                continue
            cs, ce = clauses(src), clauses(ref)
            if len(cs) < 2 or len(cs) != len(ce):
                continue
            key = hashlib.sha256(f"{d.doc_id}:{i}".encode()).hexdigest()
            drop_first = int(key[:2], 16) % 2 == 0
            if drop_first:
                quote, truth = ref[ce[1][0]:], src[cs[1][0]:]
            else:
                quote, truth = ref[:ce[-2][1]], src[:cs[-2][1]]
            if len(quote.split()) >= 4:
                rows.append((key, d.doc_id, quote, src, truth, d.lang))
    rows.sort()
    return [r[1:] for r in rows[:limit]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("fit", "heldout"), default="heldout")
    ap.add_argument("--n", type=int, default=200, help="cases (the first by a stable hash)")
    args = ap.parse_args(argv)

    import numpy as np

    from tracer.config import Settings
    from tracer.diff import diff_texts
    from tracer.encoders.factory import encoder_for
    from tracer.text.segment import windows

    enc = encoder_for(Settings())
    policies = ("true counterpart", "window", "window widened to its clauses", "whole sentence")
    counts = {p: [0, 0, 0] for p in policies}  # cases, flagged, all issues
    used = 0
    for doc_id, quote, sentence, truth, lang in cases(args.split, args.n):
        spans = windows(sentence, 0, len(sentence))
        if not spans:
            continue
        q = enc.encode_query([quote])[0]
        docs = enc.encode_document([sentence] + [sentence[a:b] for a, b in spans])
        sims = docs @ q
        best = int(np.argmax(sims[1:]))
        if sims[1 + best] <= sims[0]:
            continue  # the lookup would return the sentence, not a window
        used += 1
        a, b = spans[best]
        texts = {"true counterpart": truth, "window": sentence[a:b],
                 "window widened to its clauses": sentence[slice(*clause_span(sentence, a, b))],
                 "whole sentence": sentence}
        for p, original in texts.items():
            r = diff_texts(quote, original, quote_lang="en", source_lang=lang, use_mt=False)
            issues = [i.to_dict() for i in r.issues]
            counts[p][0] += 1
            counts[p][1] += bool(flags(issues))
            counts[p][2] += len(issues)
    print(f"bench_compare_text ({args.split}): {used} partial quotes whose best match is a word window")
    print(f"{'compared against':<32}{'flagged':>9}{'rate':>7}{'issues/pair':>13}")
    for p in policies:
        n, flagged, total = counts[p]
        print(f"{p:<32}{flagged:>9}{flagged / max(n, 1):>7.2f}{total / max(n, 1):>13.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

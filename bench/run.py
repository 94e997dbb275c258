"""Load run: gunicorn on 127.0.0.1, wrk against each page beside a bare view.

    python bench/run.py [--duration 10] [--concurrency 8] [--workers 3]

Expects the databases bench/generate.py builds (retefamiglie_bench_1k and
retefamiglie_bench_100k). For each, it starts gunicorn (sync workers,
DJANGO_SETTINGS_MODULE=bench.settings) on a free port, warms every URL up, then
runs wrk for a fixed time per URL and writes the figures into bench/RESULTS.md
(the notes below the marker line there are kept). Only 127.0.0.1 is contacted.
"""

import argparse
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
NOTES_MARKER = (
    "<!-- Notes below this line are kept when bench/run.py rewrites the file. -->"
)
PG = "postgres://postgres@127.0.0.1:5432/"
SEARCH = "/servizi/?q=doposcuola&eta=7&gratis=1"
# Targets the brief sets for the search page.
TARGET_RATIO = 0.25
TARGET_GROWTH = 2.0

WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\":%d,\"duration_us\":%d,\"errors\":%d,\"non2xx\":%d," ..
    "\"p50_us\":%d,\"p95_us\":%d,\"p99_us\":%d,\"bytes\":%d}\n",
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.bytes))
end
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per URL")
    parser.add_argument(
        "--max-duration", type=int, default=60, help="seconds, for slow URLs"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, int]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def psql(database: str, sql: str) -> str:
    import psycopg

    with psycopg.connect(PG + database) as conn:
        row = conn.execute(sql).fetchone()
        return "" if row is None else str(row[0])


class Server:
    """gunicorn serving the project with bench settings on one database."""

    def __init__(self, database: str, workers: int, *, page_cache: bool):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_DATABASE_URL": PG + database,
            "PYTHONPATH": str(ROOT),
            # 0 turns core.pagecache off: every request renders the page.
            "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", "120")
            if page_cache
            else "0",
        }
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                if fetch(self.base + "/bench/bare")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; see {self.log.name}")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def wrk(url: str, *, duration: int, concurrency: int, script: str) -> dict:
    threads = min(2, concurrency)
    output = subprocess.run(  # noqa: S603
        [  # noqa: S607 - wrk from PATH, as apt installs it
            "wrk",
            f"-t{threads}",
            f"-c{concurrency}",
            f"-d{duration}s",
            "--timeout",
            "60s",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def drain(server: Server, workers: int) -> None:
    """Wait until every worker answers the bare view at once.

    wrk stops on time, not when the server is idle: requests it abandoned keep
    a sync worker (and PostgreSQL) busy, and would slow the next URL down.
    """
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        start = time.monotonic()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda _: fetch(server.base + "/bench/bare"), range(workers)))
        if time.monotonic() - start < 0.5:
            return
        time.sleep(1)


def serial(server: Server, path: str, *, duration: int, min_requests: int) -> dict:
    """Latency one request at a time: at least ``min_requests``, else ``duration``."""
    times: list[float] = []
    start = time.monotonic()
    while time.monotonic() - start < duration or len(times) < min_requests:
        begin = time.perf_counter()
        status, _size = fetch(server.base + path)
        times.append(time.perf_counter() - begin)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
    times.sort()

    def percentile(p: float) -> float:
        return times[min(len(times) - 1, round(p * (len(times) - 1)))] * 1e6

    return {
        "path": path,
        "requests": len(times),
        "rps": len(times) / sum(times),
        "p50_us": statistics.median(times) * 1e6,
        "p95_us": percentile(0.95),
    }


def measure(server: Server, paths: dict[str, str], args, script: str) -> dict:
    results = {}
    for label, path in paths.items():
        url = server.base + path
        begin = time.perf_counter()
        status, size = fetch(url)
        first = time.perf_counter() - begin
        if status != 200:
            print(f"  {label}: HTTP {status}, not measured", flush=True)
            results[label] = {"status": status}
            continue
        # A page that takes seconds is warm after one request; warming it up
        # with wrk would only leave abandoned requests behind.
        if first < 1:
            wrk(url, duration=args.warmup, concurrency=args.concurrency, script=script)
            drain(server, args.workers)
        # A page slower than a second gets a longer run (up to --max-duration),
        # so that some of its requests complete under load.
        duration = args.duration
        if first >= 1:
            duration = min(
                args.max_duration,
                max(args.duration, math.ceil(first * args.concurrency)),
            )
        data = wrk(url, duration=duration, concurrency=args.concurrency, script=script)
        drain(server, args.workers)
        data["first_s"] = round(first, 2)
        data.update(status=status, size=size, path=path)
        results[label] = data
        print(
            f"  {label:<14} {data['rps']:8.1f} req/s"
            f"  p50 {data['p50_us'] / 1000:8.1f} ms"
            f"  p95 {data['p95_us'] / 1000:8.1f} ms  errors {data['errors']}"
            f"  non-2xx {data['non2xx']}",
            flush=True,
        )
    return results


def serial_search(server: Server, args) -> dict:
    data = serial(server, SEARCH, duration=args.duration, min_requests=3)
    print(
        f"  search, 1 at a time: {data['requests']} requests, p50 "
        f"{data['p50_us'] / 1000:.1f} ms, p95 {data['p95_us'] / 1000:.1f} ms",
        flush=True,
    )
    return data


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = int(
        next(line for line in meminfo if line.startswith("MemTotal")).split()[1]
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "postgres": psql("postgres", "SHOW server_version"),
        "python": platform.python_version(),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def ms(value_us: float) -> str:
    return f"{value_us / 1000:.1f}"


def table(results: dict, bare: dict) -> list[str]:
    lines = [
        "| page | URL | req/s | × bare | p50 ms | p95 ms | done in s | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, data in results.items():
        if "rps" not in data:
            lines.append(
                f"| {label} | | not measured (HTTP {data['status']}) | | | | | |"
            )
            continue
        if not data["requests"]:
            lines.append(
                f"| {label} | `{data['path']}` | 0 | 0 % | none completed | | "
                f"0 in {data['duration_us'] / 1e6:.0f} | |"
            )
            continue
        lines.append(
            f"| {label} | `{data['path']}` | {data['rps']:.1f} | "
            f"{data['rps'] / bare['rps']:.1%} | {ms(data['p50_us'])} | "
            f"{ms(data['p95_us'])} | {data['requests']} in "
            f"{data['duration_us'] / 1e6:.0f} | {data['errors'] + data['non2xx']} |"
        )
    return lines


MODES = {
    "cached": "page cache on (as deployed): after the first request of a URL, "
    "anonymous visitors get it from Redis",
    "uncached": "page cache off (`PAGE_CACHE_SECONDS=0`): every request renders "
    "the page, as for a search nobody made in the last two minutes",
}


def _targets(mode: dict, args) -> list[str]:
    big, small, serial = mode["100k"], mode["1k"], mode["serial"]
    bare, search = big["bare"], big["search"]
    ratio = search["rps"] / bare["rps"]
    growth50 = serial["100k"]["p50_us"] / serial["1k"]["p50_us"]
    growth95 = serial["100k"]["p95_us"] / serial["1k"]["p95_us"]
    load50 = big["search"]["p50_us"] / small["search"]["p50_us"]
    return [
        f"- Search at 100,000 services reaches ≥ {TARGET_RATIO:.0%} of the bare "
        f"view's throughput: **{'holds' if ratio >= TARGET_RATIO else 'FAILS'}** "
        f"({search['rps']:.1f} vs {bare['rps']:.1f} req/s = {ratio:.1%}).",
        f"- Search latency at 100,000 ≤ {TARGET_GROWTH:g}× that at 1,000: "
        f"**{'holds' if max(growth50, growth95) <= TARGET_GROWTH else 'FAILS'}** "
        f"(one at a time: p50 {ms(serial['100k']['p50_us'])} vs "
        f"{ms(serial['1k']['p50_us'])} ms = {growth50:.1f}×, p95 "
        f"{ms(serial['100k']['p95_us'])} vs {ms(serial['1k']['p95_us'])} ms = "
        f"{growth95:.1f}×; under load, {args.concurrency} connections: p50 "
        f"{load50:.1f}×).",
    ]


def write_results(info: dict, args, modes: dict) -> None:
    notes = ""
    if RESULTS.exists() and NOTES_MARKER in RESULTS.read_text():
        notes = RESULTS.read_text().split(NOTES_MARKER, 1)[1]
    lines = [
        "# Load benchmark results",
        "",
        "Written by `bench/run.py` (`make bench`); see bench/README.md.",
        "",
        f"- Date: {info['date']}; git commit {info['commit']}",
        f"- Machine: {info['cores']} cores, {info['cpu']}, {info['memory_gb']} GB RAM; "
        f"shared with other work (load average at start: {info['load']})",
        f"- PostgreSQL {info['postgres']}, Python {info['python']}, gunicorn "
        f"{args.workers} sync workers, wrk {args.concurrency} connections, "
        f"{args.duration} s per URL after {args.warmup} s of warm-up (a URL "
        f"taking ≥ 1 s runs up to {args.max_duration} s, without warm-up)",
        "- Each data set is served twice: "
        + "; ".join(f"**{name}**, {text}" for name, text in MODES.items())
        + ".",
    ]
    for name, mode in modes.items():
        title = name.capitalize()
        lines += [
            "",
            f"## {title}: 100,000 services, 10,000 events",
            "",
            *table(mode["100k"], mode["100k"]["bare"]),
            "",
            f"## {title}: 1,000 services, 1,000 events",
            "",
            *table(mode["1k"], mode["1k"]["bare"]),
            "",
            f"## {title}: search latency, one request at a time (`{SEARCH}`)",
            "",
            "| database | requests | p50 ms | p95 ms |",
            "|---|---:|---:|---:|",
            *(
                f"| {db} services | {d['requests']} | {ms(d['p50_us'])} | "
                f"{ms(d['p95_us'])} |"
                for db, d in mode["serial"].items()
            ),
        ]
    lines += ["", "## Targets", ""]
    for name, mode in modes.items():
        lines += [f"{name.capitalize()}:", "", *_targets(mode, args), ""]
    lines.append(NOTES_MARKER)
    RESULTS.write_text("\n".join(lines) + (notes or "\n"))
    (ROOT / "bench" / "results.json").write_text(
        json.dumps({"machine": info, **modes}, indent=2)
    )


def run_mode(args, script: str, slug: str, *, page_cache: bool) -> dict:
    name = "cached" if page_cache else "uncached"
    if page_cache:
        clear_page_cache()
    serial = {}
    print(f"[run] {name}: retefamiglie_bench_100k", flush=True)
    with Server("retefamiglie_bench_100k", args.workers, page_cache=page_cache) as s:
        big = measure(
            s,
            {
                "bare": "/bench/bare",
                "home": "/",
                "search": SEARCH,
                "events": "/eventi/",
                "service": f"/servizi/{slug}/",
                "hsds services": "/api/hsds/services",
                # Never in the page cache: a read of snapshots (ADR 0018).
                "dashboard": "/monitoraggio/",
            },
            args,
            script,
        )
        serial["100k"] = serial_search(s, args)
    print(f"[run] {name}: retefamiglie_bench_1k", flush=True)
    with Server("retefamiglie_bench_1k", args.workers, page_cache=page_cache) as s:
        small = measure(s, {"bare": "/bench/bare", "search": SEARCH}, args, script)
        serial["1k"] = serial_search(s, args)
    return {"100k": big, "1k": small, "serial": serial}


def clear_page_cache() -> None:
    """Start from an empty cache: the Redis database of bench.settings only."""
    import redis

    redis.Redis.from_url(
        os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    ).flushdb()


def main() -> None:
    args = parse_args()
    info = machine()
    print(f"[run] {info['cores']} cores, load {info['load']}, commit {info['commit']}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(WRK_SCRIPT)
        script = handle.name
    slug = psql(
        "retefamiglie_bench_100k",
        "SELECT slug FROM directory_service WHERE status = 'published' "
        "ORDER BY id OFFSET 50000 LIMIT 1",
    )
    modes = {
        "cached": run_mode(args, script, slug, page_cache=True),
        "uncached": run_mode(args, script, slug, page_cache=False),
    }
    os.unlink(script)
    write_results(info, args, modes)
    print(f"[run] wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

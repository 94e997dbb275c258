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
# 50,000 listings in the 100k database (ADR 17).
EXCHANGE_SEARCH = "/scambio/?q=passeggino&eta=0-1"
# Targets of issue 13 (bench/README.md).
TARGET_RATIO = 0.10
TARGET_GROWTH = 1.5
TARGET_SERIAL_MS = {"search": 25.0, "home": 15.0, "events": 15.0, "service": 15.0}
TARGET_FAMILY = 1.10
TARGET_STAFF_MS = 30.0
TARGET_WEIGHT_KB = 150
TARGET_REQUESTS = 15
TARGET_PERFORMANCE = 95
TARGET_ACCESSIBILITY = 100
PUBLIC = ("home", "search", "events", "service", "hsds services")
FAMILY = ("home", "search", "events", "service")

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
    parser.add_argument(
        "--serial-duration",
        type=float,
        default=5,
        help="seconds per page, one request at a time",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="LABEL",
        help="measure only pages whose label starts so (repeatable; bare always)",
    )
    parser.add_argument(
        "--modes", default="cached,uncached", help="comma-separated: cached,uncached"
    )
    parser.add_argument(
        "--no-lighthouse", action="store_true", help="skip page weights and scores"
    )
    parser.add_argument(
        "--database-100k",
        default="retefamiglie_bench_100k",
        help="the large database (bench/generate.py)",
    )
    parser.add_argument(
        "--database-1k",
        default="retefamiglie_bench_1k",
        help='the small database; "" measures the large one only',
    )
    return parser.parse_args()


def selected(args, label: str) -> bool:
    return (
        label == "bare" or not args.only or any(label.startswith(o) for o in args.only)
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, cookie: str = "") -> tuple[int, int]:
    request = urllib.request.Request(url)  # noqa: S310 - 127.0.0.1 only
    # As a browser asks: the pages are compressed (ADR 28), and that costs time.
    request.add_header("Accept-Encoding", "gzip")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
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


def wrk(
    url: str, *, duration: int, concurrency: int, script: str, cookie: str = ""
) -> dict:
    threads = min(2, concurrency)
    headers = ["-H", "Accept-Encoding: gzip"]
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603
        [  # noqa: S607 - wrk from PATH, as apt installs it
            "wrk",
            f"-t{threads}",
            f"-c{concurrency}",
            f"-d{duration}s",
            "--timeout",
            "60s",
            *headers,
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


def serial(
    server: Server, path: str, *, duration: float, min_requests: int, cookie: str = ""
) -> dict:
    """Latency one request at a time: at least ``min_requests``, else ``duration``."""
    fetch(server.base + path, cookie)  # warm
    times: list[float] = []
    start = time.monotonic()
    while time.monotonic() - start < duration or len(times) < min_requests:
        begin = time.perf_counter()
        status, _size = fetch(server.base + path, cookie)
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


def measure(
    server: Server,
    paths: dict[str, str],
    args,
    script: str,
    cookies: dict[str, str] | None = None,
) -> dict:
    results = {}
    for label, path in paths.items():
        if not selected(args, label):
            continue
        cookie = (cookies or {}).get(label, "")
        url = server.base + path
        begin = time.perf_counter()
        status, size = fetch(url, cookie)
        first = time.perf_counter() - begin
        if status != 200:
            print(f"  {label}: HTTP {status}, not measured", flush=True)
            results[label] = {"status": status}
            continue
        # A page that takes seconds is warm after one request; warming it up
        # with wrk would only leave abandoned requests behind.
        if first < 1:
            wrk(
                url,
                duration=args.warmup,
                concurrency=args.concurrency,
                script=script,
                cookie=cookie,
            )
            drain(server, args.workers)
        # A page slower than a second gets a longer run (up to --max-duration),
        # so that some of its requests complete under load.
        duration = args.duration
        if first >= 1:
            duration = min(
                args.max_duration,
                max(args.duration, math.ceil(first * args.concurrency)),
            )
        data = wrk(
            url,
            duration=duration,
            concurrency=args.concurrency,
            script=script,
            cookie=cookie,
        )
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
    "the page, as for a search nobody made in the last two minutes and for "
    "everyone logged in",
}


def pages(slug: str) -> dict[str, str]:
    return {
        "bare": "/bench/bare",
        "home": "/",
        "search": SEARCH,
        "events": "/eventi/",
        "service": f"/servizi/{slug}/",
        "hsds services": "/api/hsds/services",
        "exchange search": EXCHANGE_SEARCH,
        # 10,000 proposals and 2,000 meetings in the 100k database (ADR 26).
        "proposals": "/partecipa/proposte/",
        "meetings": "/partecipa/incontri/",
        # Never in the page cache: a read of snapshots (ADR 0018).
        "dashboard": "/monitoraggio/",
    }


STAFF_PAGES = {
    "help inbox (staff)": "/gestione/richieste/",
    # 25 services and 25 events a page, newest first (ADR 28).
    "catalogue management (staff)": "/gestione/catalogo/",
}


def people(database: str) -> dict[str, str]:
    """Session cookies of the bench family and coordinator (bench/accounts.py)."""
    output = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "accounts.py")],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_DATABASE_URL": PG + database,
            "PYTHONWARNINGS": "ignore",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return {name: f"sessionid={value}" for name, value in data.items()}


def serial_all(server: Server, paths: dict[str, str], args, cookies) -> dict:
    results = {}
    for label, path in paths.items():
        if label == "bare" or not selected(args, label):
            continue
        data = serial(
            server,
            path,
            duration=args.serial_duration,
            min_requests=3,
            cookie=cookies.get(label, ""),
        )
        results[label] = data
        print(
            f"  1 at a time {label:<30} {data['requests']:5d} requests, p50 "
            f"{data['p50_us'] / 1000:7.1f} ms, p95 {data['p95_us'] / 1000:7.1f} ms",
            flush=True,
        )
    return results


def run_mode(args, script: str, slug: str, slug_1k: str, *, page_cache: bool) -> dict:
    name = "cached" if page_cache else "uncached"
    clear_page_cache()
    result: dict = {}
    sizes = [("100k", args.database_100k, slug)]
    if args.database_1k:
        sizes.append(("1k", args.database_1k, slug_1k))
    for size, database, slug_of in sizes:
        cookies = people(database)
        paths = pages(slug_of)
        load_paths = dict(paths)
        family = {f"{label} (family)": paths[label] for label in FAMILY}
        family_cookies = dict.fromkeys(family, cookies["family"])
        if not page_cache:
            load_paths |= family
        if size == "1k":
            load_paths = {
                k: v for k, v in load_paths.items() if k in ("bare", "search")
            }
        print(f"[run] {name}: {database}", flush=True)
        with Server(database, args.workers, page_cache=page_cache) as s:
            result[size] = measure(s, load_paths, args, script, family_cookies)
            serial_paths = dict(paths)
            serial_cookies = dict(family_cookies)
            if not page_cache:
                serial_paths |= family
                staff = STAFF_PAGES if size == "100k" else {}
                serial_paths |= staff
                serial_cookies |= dict.fromkeys(staff, cookies["staff"])
            result[f"serial {size}"] = serial_all(s, serial_paths, args, serial_cookies)
    return result


def clear_page_cache() -> None:
    """Start from an empty cache: the Redis database of bench.settings only."""
    import redis

    redis.Redis.from_url(
        os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    ).flushdb()


def lighthouse(slug: str) -> dict:
    """Page weight, requests and Lighthouse 12 scores of a first visit at 360 px.

    Runs the npm package's CLI with Debian's Chromium (CHROME_PATH), mobile
    emulation at 360 by 640 px, simulated throttling (Lighthouse's defaults), on
    gunicorn serving the 100k database as deployed (page cache on).
    """
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    results: dict = {}
    paths = {
        "home": "/",
        "search": "/servizi/",
        "service": f"/servizi/{slug}/",
        "events": "/eventi/",
        "help": "/aiuto/",
    }
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    with Server("retefamiglie_bench_100k", 3, page_cache=True) as server:
        for label, path in paths.items():
            fetch(server.base + path)
            data = None
            for _attempt in range(2):  # Chromium may fail to start on a busy machine
                data = _lighthouse_run(binary, server.base + path, env)
                if data is not None:
                    break
            if data is None:
                print(f"  lighthouse {label}: failed twice, not measured", flush=True)
                continue
            audits = data["audits"]
            items = audits["network-requests"]["details"]["items"]
            results[label] = {
                "path": path,
                "performance": round(data["categories"]["performance"]["score"] * 100),
                "accessibility": round(
                    data["categories"]["accessibility"]["score"] * 100
                ),
                "bytes": audits["total-byte-weight"]["numericValue"],
                "requests": len(items),
                "by_type": _weights_by_type(items),
                "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            }
            print(
                f"  lighthouse {label:<8} performance {results[label]['performance']}"
                f"  accessibility {results[label]['accessibility']}  "
                f"{results[label]['bytes'] / 1024:.0f} KB in "
                f"{results[label]['requests']} requests",
                flush=True,
            )
    return results


def _lighthouse_run(binary: Path, url: str, env: dict) -> dict | None:
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "report.json"
        done = subprocess.run(  # noqa: S603
            [
                str(binary),
                url,
                "--quiet",
                "--only-categories=performance,accessibility",
                "--form-factor=mobile",
                "--screenEmulation.mobile",
                "--screenEmulation.width=360",
                "--screenEmulation.height=640",
                "--screenEmulation.deviceScaleFactor=2",
                "--output=json",
                f"--output-path={report}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0 or not report.exists():
            print(f"  lighthouse {url}: exit {done.returncode}: {done.stderr[-300:]}")
            return None
        return json.loads(report.read_text())


def _weights_by_type(items: list[dict]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in items:
        kind = item.get("resourceType") or "Other"
        weights[kind] = weights.get(kind, 0) + item.get("transferSize", 0)
    return weights


def _verdict(ok: bool) -> str:
    return "**holds**" if ok else "**FAILS**"


def _targets(modes: dict, weights: dict) -> list[str]:  # noqa: C901
    lines: list[str] = []
    un = modes.get("uncached")
    if un:
        big, bare = un["100k"], un["100k"]["bare"]
        for label in PUBLIC:
            if label not in big or "rps" not in big[label]:
                continue
            ratio = big[label]["rps"] / bare["rps"]
            lines.append(
                f"- Under load, {label} at 100k ≥ {TARGET_RATIO:.0%} of the bare view: "
                f"{_verdict(ratio >= TARGET_RATIO)} ({big[label]['rps']:.1f} vs "
                f"{bare['rps']:.1f} req/s = {ratio:.1%})."
            )
        s100, s1 = un["serial 100k"], un.get("serial 1k", {})
        for label, limit in TARGET_SERIAL_MS.items():
            if label in s100:
                p50 = s100[label]["p50_us"] / 1000
                lines.append(
                    f"- One at a time, {label} at 100k p50 ≤ {limit:g} ms: "
                    f"{_verdict(p50 <= limit)} ({p50:.1f} ms)."
                )
        for label in s100:
            if label in s1:
                growth = s100[label]["p50_us"] / s1[label]["p50_us"]
                lines.append(
                    f"- {label}: p50 at 100k ≤ {TARGET_GROWTH:g}× at 1k: "
                    f"{_verdict(growth <= TARGET_GROWTH)} ("
                    f"{ms(s100[label]['p50_us'])} vs {ms(s1[label]['p50_us'])} ms "
                    f"= {growth:.2f}×)."
                )
        for label in FAMILY:
            fam = f"{label} (family)"
            if fam in s100 and label in s100:
                ratio = s100[fam]["p50_us"] / s100[label]["p50_us"]
                lines.append(
                    f"- {fam} within {TARGET_FAMILY - 1:.0%} of anonymous, one at a "
                    f"time at 100k: {_verdict(ratio <= TARGET_FAMILY)} "
                    f"({ms(s100[fam]['p50_us'])} vs {ms(s100[label]['p50_us'])} ms"
                    f" = {ratio:.2f}×)."
                )
            if fam in big and label in big and "rps" in big[fam]:
                ratio = big[fam]["rps"] / big[label]["rps"]
                lines.append(
                    f"- {fam} under load within {TARGET_FAMILY - 1:.0%} of anonymous: "
                    f"{_verdict(ratio >= 1 / TARGET_FAMILY)} ({big[fam]['rps']:.1f} "
                    f"vs {big[label]['rps']:.1f} req/s = {ratio:.0%})."
                )
        for label in STAFF_PAGES:
            staff = s100.get(label) or s1.get(label)
            if staff:
                p50 = staff["p50_us"] / 1000
                size = "100k" if label in s100 else "1k (not measured at 100k)"
                lines.append(
                    f"- {label} at {size}, one at a time ≤ {TARGET_STAFF_MS:g} ms: "
                    f"{_verdict(p50 <= TARGET_STAFF_MS)} ({p50:.1f} ms)."
                )
    for label, data in weights.items():
        kb = data["bytes"] / 1024
        ok = (
            kb <= TARGET_WEIGHT_KB
            and data["requests"] <= TARGET_REQUESTS
            and data["performance"] >= TARGET_PERFORMANCE
            and data["accessibility"] >= TARGET_ACCESSIBILITY
        )
        lines.append(
            f"- First visit of {label} (`{data['path']}`) ≤ {TARGET_WEIGHT_KB} KB, "
            f"≤ {TARGET_REQUESTS} requests, performance ≥ {TARGET_PERFORMANCE}, "
            f"accessibility {TARGET_ACCESSIBILITY}: {_verdict(ok)} ({kb:.0f} KB, "
            f"{data['requests']} requests, {data['performance']}, "
            f"{data['accessibility']})."
        )
    return lines


def _serial_table(rows: dict) -> list[str]:
    return [
        "| page | requests | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
        *(
            f"| {label} | {d['requests']} | {ms(d['p50_us'])} | {ms(d['p95_us'])} |"
            for label, d in rows.items()
        ),
    ]


def write_results(info: dict, args, modes: dict, weights: dict) -> None:
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
        f"**shared** with other work while measuring (load average at start: "
        f"{info['load']}): compare figures of one run only",
        f"- PostgreSQL {info['postgres']}, Python {info['python']}, gunicorn "
        f"{args.workers} sync workers, wrk {args.concurrency} connections, "
        f"{args.duration} s per URL after {args.warmup} s of warm-up (a URL "
        f"taking ≥ 1 s runs up to {args.max_duration} s, without warm-up); one at "
        f"a time: {args.serial_duration:g} s (at least 3 requests) per page",
        "- Modes: "
        + "; ".join(
            f"**{name}**, {text}" for name, text in MODES.items() if name in modes
        )
        + ".",
    ]
    for name, mode in modes.items():
        title = name.capitalize()
        lines += [
            "",
            f"## {title}: 100,000 services, 10,000 events, under load",
            "",
            *table(mode["100k"], mode["100k"]["bare"]),
        ]
        if "1k" in mode:
            lines += [
                "",
                f"## {title}: 1,000 services, 1,000 events, under load",
                "",
                *table(mode["1k"], mode["1k"]["bare"]),
            ]
        lines += [
            "",
            f"## {title}: one request at a time, 100,000 services",
            "",
            *_serial_table(mode["serial 100k"]),
        ]
        if "serial 1k" in mode:
            lines += [
                "",
                f"## {title}: one request at a time, 1,000 services",
                "",
                *_serial_table(mode["serial 1k"]),
            ]
    if weights:
        lines += [
            "",
            "## First visit at 360 px (Lighthouse 12, mobile, simulated throttling)",
            "",
            "| page | URL | KB transferred | requests | HTML KB | CSS KB | JS KB | "
            "fonts KB | performance | accessibility | LCP ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, d in weights.items():
            kinds = d["by_type"]
            lines.append(
                f"| {label} | `{d['path']}` | {d['bytes'] / 1024:.1f} | "
                f"{d['requests']} | {kinds.get('Document', 0) / 1024:.1f} | "
                f"{kinds.get('Stylesheet', 0) / 1024:.1f} | "
                f"{kinds.get('Script', 0) / 1024:.1f} | "
                f"{kinds.get('Font', 0) / 1024:.1f} | {d['performance']} | "
                f"{d['accessibility']} | {d['lcp_ms']:.0f} |"
            )
    lines += ["", "## Targets (issue 13)", "", *_targets(modes, weights), ""]
    lines.append(NOTES_MARKER)
    RESULTS.write_text("\n".join(lines) + (notes or "\n"))
    (ROOT / "bench" / "results.json").write_text(
        json.dumps({"machine": info, **modes, "lighthouse": weights}, indent=2)
    )


def main() -> None:
    args = parse_args()
    info = machine()
    print(f"[run] {info['cores']} cores, load {info['load']}, commit {info['commit']}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(WRK_SCRIPT)
        script = handle.name
    query = (
        "SELECT slug FROM directory_service WHERE status = 'published' "
        "ORDER BY id OFFSET {} LIMIT 1"
    )
    slug = psql(args.database_100k, query.format(50000))
    slug_1k = psql(args.database_1k, query.format(500)) if args.database_1k else ""
    modes = {}
    for name in args.modes.split(","):
        modes[name] = run_mode(
            args, script, slug, slug_1k, page_cache=name.strip() == "cached"
        )
    os.unlink(script)
    weights = {} if args.no_lighthouse else lighthouse(slug)
    write_results(info, args, modes, weights)
    print(f"[run] wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Where a request's time goes, page by page: SQL, view and ORM, templates, middleware.

    python bench/profile.py [--database retefamiglie_bench_100k] [--requests 20]
                            [--page search ...] [--pyinstrument DIR]

Serves each page through Django's handler in this process (the test client: the
full middleware stack, no HTTP server), page cache off, on a bench database
(bench/generate.py), and splits the time of each request into:

- **SQL**: time inside the database driver (every query, wherever it runs);
- **middleware**: Python before and after the view (sessions, CSRF, auth, CSP,
  locale…), SQL excluded;
- **view + ORM**: Python of the view, forms, selectors and query building,
  SQL and template rendering excluded;
- **template**: Python of template rendering (SQL of querysets evaluated by the
  template excluded).

It prints a table (median of ``--requests`` requests after 3 warm-up ones) and,
with ``--markdown``, the same as Markdown for bench/RESULTS.md. With
``--pyinstrument DIR`` it also writes one pyinstrument text profile per page.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="retefamiglie_bench_100k")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--page", action="append", help="label; repeatable")
    parser.add_argument("--pyinstrument", metavar="DIR")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument(
        "--queries",
        action="store_true",
        help="print each query of the last request with its time, and EXPLAIN "
        "ANALYZE the slowest",
    )
    return parser.parse_args()


class Clock:
    """Accumulates SQL, template and inner-handler time of one request."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.sql = 0.0
        self.sql_in_response = 0.0
        self.sql_in_template = 0.0
        self.queries = 0
        self.log: list[tuple[float, str, object]] = []
        self.template = 0.0
        self.response = 0.0
        self.in_response = False
        self.template_depth = 0

    def execute(self, execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - begin
            self.sql += spent
            self.log.append((spent, sql, params))
            self.queries += 1
            if self.in_response:
                self.sql_in_response += spent
            if self.template_depth:
                self.sql_in_template += spent


def instrument(clock: Clock) -> None:
    from django.core.handlers.base import BaseHandler
    from django.template.backends.django import Template

    get_response = BaseHandler._get_response  # type: ignore[attr-defined]

    def timed_get_response(self, request):
        clock.in_response = True
        begin = time.perf_counter()
        try:
            return get_response(self, request)
        finally:
            clock.response += time.perf_counter() - begin
            clock.in_response = False

    BaseHandler._get_response = timed_get_response  # type: ignore[attr-defined]

    render = Template.render

    def timed_render(self, *args, **kwargs):
        clock.template_depth += 1
        begin = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            clock.template_depth -= 1
            if not clock.template_depth:
                clock.template += time.perf_counter() - begin

    Template.render = timed_render  # type: ignore[method-assign]


def pages(database: str) -> dict[str, dict]:
    """Label → {path, user}: the pages of bench/run.py, anonymous and logged in."""
    from bench.accounts import bench_family, bench_staff
    from retefamiglie.directory.models import Publishable, Service

    slug = (
        Service.objects.filter(status=Publishable.Status.PUBLISHED)
        .order_by("id")
        .values_list("slug", flat=True)[50000 if "100k" in database else 500]
    )
    family, staff = bench_family(), bench_staff()
    public = {
        "home": "/",
        "search": "/servizi/?q=doposcuola&eta=7&gratis=1",
        "events": "/eventi/",
        "service": f"/servizi/{slug}/",
        "hsds services": "/api/hsds/services",
        # The exchange (--listings of bench/generate.py, ADR 17).
        "exchange": "/scambio/",
        "exchange search": "/scambio/?q=passeggino&eta=0-1",
    }
    result: dict[str, dict] = {
        label: {"path": path, "user": None} for label, path in public.items()
    }
    result |= {
        f"{label} (family)": {"path": path, "user": family}
        for label, path in public.items()
        if label not in ("hsds services", "exchange search")
    }
    result["help inbox (staff)"] = {"path": "/gestione/richieste/", "user": staff}
    result["services management (staff)"] = {
        "path": "/gestione/catalogo/",
        "user": staff,
    }
    return result


def explain(log: list[tuple[float, str, object]]) -> None:
    from django.db import connection

    for spent, sql, _params in log:
        print(f"    {spent * 1000:6.1f} ms  {sql[:160]}")
    spent, sql, params = max(log, key=lambda entry: entry[0])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)  # type: ignore[arg-type]
        for (line,) in cursor.fetchall():
            print("      " + line)


@contextmanager
def profiler(directory: str | None, label: str):
    if not directory:
        yield
        return
    from pyinstrument import Profiler

    profile = Profiler(interval=0.0005)
    profile.start()
    try:
        yield
    finally:
        profile.stop()
        name = label.replace(" ", "-").replace("(", "").replace(")", "")
        Path(directory, f"{name}.txt").write_text(
            profile.output_text(unicode=True, color=False, show_all=False)
        )


def main() -> None:  # noqa: C901 - one loop over pages, kept readable
    args = parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_DATABASE_URL"] = PG + args.database
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    clock = Clock()
    instrument(clock)
    if args.pyinstrument:
        Path(args.pyinstrument).mkdir(parents=True, exist_ok=True)
    rows = []
    with connection.execute_wrapper(clock.execute):
        for label, page in pages(args.database).items():
            if args.page and not any(label.startswith(p) for p in args.page):
                continue
            client = Client(HTTP_HOST="127.0.0.1")
            if page["user"] is not None:
                client.force_login(page["user"])
            for _ in range(3):
                response = client.get(page["path"])
                if response.status_code != 200:
                    raise SystemExit(f"{label}: HTTP {response.status_code}")
            samples = []
            with profiler(args.pyinstrument, label):
                for _ in range(args.requests):
                    clock.reset()
                    begin = time.perf_counter()
                    client.get(page["path"])
                    total = time.perf_counter() - begin
                    sql_outside = clock.sql - clock.sql_in_response
                    samples.append(
                        {
                            "total": total,
                            "sql": clock.sql,
                            "middleware": total - clock.response - sql_outside,
                            "view": clock.response
                            - clock.template
                            - (clock.sql_in_response - clock.sql_in_template),
                            "template": clock.template - clock.sql_in_template,
                            "queries": clock.queries,
                        }
                    )
            row = {"label": label, "path": page["path"]}
            for key in ("total", "sql", "view", "template", "middleware"):
                row[key] = statistics.median(s[key] for s in samples) * 1000
            row["queries"] = statistics.median(s["queries"] for s in samples)
            row["bytes"] = len(response.content)
            rows.append(row)
            if args.queries:
                explain(clock.log)
            print(
                f"{label:<30} total {row['total']:6.1f} ms  SQL {row['sql']:6.1f}"
                f" ({row['queries']:.0f} q)  view+ORM {row['view']:5.1f}"
                f"  template {row['template']:5.1f}  middleware "
                f"{row['middleware']:4.1f}  {row['bytes'] / 1024:.0f} KB",
                flush=True,
            )
    if args.markdown:
        print()
        print(
            "| page | total ms | SQL ms | queries | view + ORM ms | template ms"
            " | middleware ms | HTML KB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            print(
                f"| {row['label']} | {row['total']:.1f} | {row['sql']:.1f} | "
                f"{row['queries']:.0f} | {row['view']:.1f} | {row['template']:.1f} | "
                f"{row['middleware']:.1f} | {row['bytes'] / 1024:.0f} |"
            )


if __name__ == "__main__":
    main()

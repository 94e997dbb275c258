"""What a stored, indexed search document would do to the search page's queries.

    python bench/search_fix.py [--database retefamiglie_bench_100k] [--runs 3]

The app computes each service's tsvector (name, summary, category names,
description, through unaccent) for every row that passes the other filters, on
every request, twice (the page and the paginator's count). No index can serve
that expression: it holds a subquery and unaccent() is not IMMUTABLE. This
script measures, in the bench database only:

1. the app's own SQL (taken from the ORM) for the page and the count;
2. the same, with JIT off;
3. the same search against a stored ``bench_document`` tsvector column with a
   GIN index, plus a pg_trgm GIN index on an IMMUTABLE unaccent(name), the
   shape a migration would give the app.

The column, function and indexes are dropped again at the end, so the bench
database stays as bench/generate.py built it. Results go to bench/search_fix.json
and are printed; bench/run.py copies them into RESULTS.md.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Always the bench settings, whatever the Makefile exports.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

Q, AGE = "doposcuola", 7
SETUP = [
    """CREATE OR REPLACE FUNCTION bench_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    "ALTER TABLE directory_service ADD COLUMN IF NOT EXISTS bench_document tsvector",
    """UPDATE directory_service s SET bench_document =
         setweight(to_tsvector('italian', coalesce(bench_unaccent(s.name), '')), 'A')
      || setweight(to_tsvector('italian', coalesce(bench_unaccent(s.summary), '')), 'B')
      || setweight(to_tsvector('italian', coalesce(bench_unaccent((
            SELECT string_agg(concat_ws(' ', c.name, c.name_en), ' ')
            FROM directory_category c
            JOIN directory_service_categories sc ON sc.category_id = c.id
            WHERE sc.service_id = s.id)), '')), 'B')
      || setweight(
           to_tsvector('italian', coalesce(bench_unaccent(s.description), '')), 'C'
         )""",
    "CREATE INDEX IF NOT EXISTS bench_service_document "
    "ON directory_service USING gin (bench_document)",
    "CREATE INDEX IF NOT EXISTS bench_service_name_trgm "
    "ON directory_service USING gin (bench_unaccent(name) gin_trgm_ops)",
    "ANALYZE directory_service",
]
TEARDOWN = [
    "DROP INDEX IF EXISTS bench_service_name_trgm",
    "DROP INDEX IF EXISTS bench_service_document",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS bench_document",
    "DROP FUNCTION IF EXISTS bench_unaccent(text)",
]
WHERE = """
    FROM directory_service, websearch_to_tsquery('italian', %(q)s) AS query
    WHERE status = 'published' AND is_free
      AND (age_min IS NULL OR age_min <= %(age)s)
      AND (age_max IS NULL OR age_max >= %(age)s)
      AND (bench_document @@ query OR %(q)s <%% bench_unaccent(name))
"""
INDEXED_PAGE = (
    "SELECT id, name, coalesce(ts_rank(bench_document, query), 0)"
    " + word_similarity(%(q)s, bench_unaccent(name)) AS score"
    + WHERE
    + " ORDER BY score DESC, name, id LIMIT 20"
)
INDEXED_COUNT = "SELECT count(*)" + WHERE


def timed(cursor, sql, params, runs) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        times.append((time.perf_counter() - start) * 1000)
    result = {"median_ms": round(statistics.median(times), 1), "rows": len(rows)}
    if len(rows) == 1:
        result["value"] = rows[0][0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="retefamiglie_bench_100k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["BENCH_DATABASE_URL"] = (
        f"postgres://postgres@127.0.0.1:5432/{args.database}"
    )
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from retefamiglie.directory import selectors

    queryset = selectors.search_services(q=Q, age=AGE, free=True)
    # The SQL the page runs: the paginator's count, then the first page.
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
        list(queryset[:20])
    count_sql, page_sql = (query["sql"] for query in captured.captured_queries[-2:])
    result: dict = {"database": args.database, "query": f"q={Q} age={AGE} free"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directory_service")
        result["services"] = cursor.fetchone()[0]
        for label, jit in (("app query", "on"), ("app query, jit off", "off")):
            cursor.execute(f"SET jit = {jit}")
            result[label] = {
                "page": timed(cursor, page_sql, None, args.runs),
                "count": timed(cursor, count_sql, None, args.runs),
            }
            print(label, result[label], flush=True)
        cursor.execute("RESET jit")
        try:
            start = time.perf_counter()
            for statement in SETUP:
                cursor.execute(statement)
            result["index build s"] = round(time.perf_counter() - start, 1)
            cursor.execute("SET pg_trgm.word_similarity_threshold = 0.5")
            params = {"q": Q, "age": AGE}
            result["stored tsvector + GIN"] = {
                "page": timed(cursor, INDEXED_PAGE, params, args.runs),
                "count": timed(cursor, INDEXED_COUNT, params, args.runs),
            }
            print("stored tsvector + GIN", result["stored tsvector + GIN"])
        finally:
            for statement in TEARDOWN:
                cursor.execute(statement)
    (ROOT / "bench" / "search_fix.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

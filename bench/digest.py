"""How long 10,000 families' weekly digest takes, with the database task worker.

    python bench/digest.py [--recipients 10000] [--items 3] [--workers 1]

Builds (or reuses) the database BENCH_DIGEST_DATABASE (default
rf_notifications_bench) with that many active people, each with ``--items``
notices waiting for the weekly digest, then measures on PostgreSQL:

1. ``digests_send(weekly)``: one transaction per person makes the digest and
   enqueues its delivery task;
2. ``manage.py db_worker --batch`` (``--workers`` of them at once) until every
   digest is delivered (to the dummy mail backend).

It checks that every person got exactly one digest, runs the digests again
(nothing more must be sent) and writes bench/DIGEST.md. Never part of make test.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = os.environ.get("BENCH_DIGEST_DATABASE", "rf_notifications_bench")
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
os.environ["BENCH_DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.digest_settings"
# Thursday 3 December 2026, 8:00 in Lucca: the weekly digest is due.
RUN_AT = datetime(2026, 12, 3, 8, 0, tzinfo=ZoneInfo("Europe/Rome"))


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def fill(recipients: int, items: int) -> None:
    from django.contrib.auth import get_user_model
    from django_tasks_db.models import DBTaskResult

    from retefamiglie.notifications.models import Delivery, Digest, Notification

    User = get_user_model()  # noqa: N806
    DBTaskResult.objects.all().delete()
    Digest.objects.all().delete()
    Notification.objects.all().delete()
    User.objects.filter(email__endswith="@bench.example").delete()
    users = User.objects.bulk_create(
        [
            User(email=f"family{n}@bench.example", password="!", is_active=True)  # noqa: S106
            for n in range(recipients)
        ],
        batch_size=2000,
    )
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind="directory.new_for_children",
                title=f"Una nuova attività per i tuoi figli: Laboratorio {i}",
                body="È stato appena pubblicato.",
                url=f"http://127.0.0.1:8000/eventi/laboratorio-{i}/",
                language="it",
            )
            for user in users
            for i in range(items)
        ],
        batch_size=5000,
    )
    Delivery.objects.bulk_create(
        [
            Delivery(
                notification=notification,
                channel=Delivery.Channel.EMAIL,
                status=Delivery.Status.BATCHED,
                frequency="weekly",
                key=f"n{notification.pk}:email",
            )
            for notification in notifications
        ],
        batch_size=5000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import time_machine

    from retefamiglie.notifications.digests import digests_send
    from retefamiglie.notifications.models import Delivery, Digest

    started = time.perf_counter()
    fill(args.recipients, args.items)
    filled = time.perf_counter() - started

    with time_machine.travel(RUN_AT, tick=True):
        started = time.perf_counter()
        made = digests_send(frequency="weekly")
        making = time.perf_counter() - started

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.digest_settings"}
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--no-startup-delay",
    ]
    started = time.perf_counter()
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
        for _n in range(args.workers)
    ]
    for worker in workers:
        worker.wait()
    delivering = time.perf_counter() - started

    sent = Delivery.objects.filter(digest__isnull=False, status="sent").count()
    per_person = Digest.objects.values("recipient").distinct().count()
    with time_machine.travel(RUN_AT.replace(hour=9), tick=True):
        again = digests_send(frequency="weekly")
    ok = made == sent == per_person == args.recipients and again == 0
    rows = [
        (
            "people, notices waiting",
            f"{args.recipients:,}, {args.recipients * args.items:,}",
        ),
        ("fill (bulk_create)", f"{filled:.1f} s"),
        ("make digests + enqueue", f"{making:.1f} s ({made:,} digests)"),
        (
            f"deliver ({args.workers} db_worker)",
            f"{delivering:.1f} s ({sent / max(delivering, 0.001):.0f} digests/s)",
        ),
        ("total digest run", f"{making + delivering:.1f} s"),
        ("second run sends", str(again)),
        ("every person exactly one digest", "yes" if ok else "NO"),
    ]
    table = "\n".join(f"| {label} | {value} |" for label, value in rows)
    report = (
        "# Weekly digest benchmark (bench/digest.py)\n\n"
        "PostgreSQL, django-tasks-db worker, dummy mail backend; "
        f"{time.strftime('%Y-%m-%d')}.\n\n"
        "| step | result |\n|---|---|\n" + table + "\n"
    )
    (ROOT / "bench" / "DIGEST.md").write_text(report)
    print(report)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

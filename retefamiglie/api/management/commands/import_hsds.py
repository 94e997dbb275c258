"""``manage.py import_hsds PATH``: load Open Referral HSDS 3.0 data."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from retefamiglie.api.hsds_input import HsdsInput, load_hsds
from retefamiglie.api.importer import ImportReport, import_records


class DryRunRollbackError(Exception):
    """Raised to undo a dry run once its report is made."""


class Command(BaseCommand):
    help = (
        "Import services, organisations, places, schedules and categories from an "
        "HSDS 3.0 JSON file (a service, organization, service_at_location or "
        "taxonomy term; a list or API page of them; a data package) or a data "
        "package folder (CSV files, with or without datapackage.json). Records "
        "are matched by id, so running it again creates nothing new. The report "
        "lists what the catalogue does not keep. Exit status: 0 all imported, "
        "1 some records refused (see the report), 2 the input cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="JSON file or data package folder")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report, then roll everything back.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = load_hsds(options["path"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        report = self._import(data, dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        total = len(data.records)
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} of {total} records refused.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"{total} records imported."))

    def _import(self, data: HsdsInput, *, dry_run: bool) -> ImportReport:
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\rImporting {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        def run() -> ImportReport:
            return import_records(
                data.records, left_out=data.left_out, progress=progress
            )

        if not dry_run:
            return run()
        report = ImportReport()
        try:
            with transaction.atomic():
                report = run()
                raise DryRunRollbackError
        except DryRunRollbackError:
            pass
        return report

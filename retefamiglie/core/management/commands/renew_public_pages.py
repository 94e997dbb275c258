"""Make every page in the shared page cache obsolete (after a deploy)."""

from django.core.management.base import BaseCommand

from retefamiglie.core import pagecache


class Command(BaseCommand):
    help = (
        "Renew the public pages kept in the shared cache: run it after deploying new "
        "code, whose templates the stored pages do not reflect yet."
    )

    def handle(self, *args, **options) -> None:
        pagecache.bump()
        if options["verbosity"]:
            self.stdout.write("Public pages renewed.")

from django.core.management.base import BaseCommand

from retefamiglie.monitoring.tasks import compute_snapshots


class Command(BaseCommand):
    help = (
        "Enqueue the computation of the dashboard's snapshots (indicators of the "
        "recent months, quarters and years). Run it from cron, e.g. every hour, "
        "and once after each deploy."
    )

    def handle(self, *args, **options) -> None:
        result = compute_snapshots.enqueue()
        self.stdout.write(f"{compute_snapshots.name}: {result.status}")

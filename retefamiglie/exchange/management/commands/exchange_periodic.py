from django.core.management.base import BaseCommand

from retefamiglie.exchange.tasks import expire_listings, remind_loans


class Command(BaseCommand):
    help = (
        "Enqueue the periodic exchange tasks: expiry of listings after 30 days and "
        "reminders of loans due back or overdue. Run it from cron, e.g. every hour."
    )

    def handle(self, *args, **options) -> None:
        for periodic_task in (expire_listings, remind_loans):
            result = periodic_task.enqueue()
            self.stdout.write(f"{periodic_task.name}: {result.status}")

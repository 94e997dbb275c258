from django.core.management.base import BaseCommand

from retefamiglie.helprequests.tasks import (
    anonymise_closed_requests,
    remind_unanswered_referrals,
)


class Command(BaseCommand):
    help = (
        "Enqueue the periodic help-request tasks: reminders of unanswered referrals "
        "and anonymisation of requests closed longer than the retention period. "
        "Run it from cron, e.g. every hour."
    )

    def handle(self, *args, **options) -> None:
        for periodic_task in (remind_unanswered_referrals, anonymise_closed_requests):
            result = periodic_task.enqueue()
            self.stdout.write(f"{periodic_task.name}: {result.status}")

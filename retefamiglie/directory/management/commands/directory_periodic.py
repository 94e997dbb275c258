from django.core.management.base import BaseCommand

from retefamiglie.directory.tasks import (
    refresh_open_ended_events,
    send_booking_reminders,
)


class Command(BaseCommand):
    help = (
        "Enqueue the periodic event tasks: reminders of tomorrow's bookings and "
        "the dates of events that repeat without end. Run it from cron, every hour."
    )

    def handle(self, *args, **options) -> None:
        for periodic_task in (send_booking_reminders, refresh_open_ended_events):
            result = periodic_task.enqueue()
            self.stdout.write(f"{periodic_task.name}: {result.status}")

from django.core.management.base import BaseCommand

from retefamiglie.participation.tasks import (
    announce_started_phases,
    send_registration_reminders,
)


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks of the participatory process: reminders of "
        "tomorrow's meetings, and news of phases that have begun to the "
        "processes' followers. Run it from cron, every hour."
    )

    def handle(self, *args, **options) -> None:
        for periodic in (send_registration_reminders, announce_started_phases):
            result = periodic.enqueue()
            self.stdout.write(f"{periodic.name}: {result.status}")

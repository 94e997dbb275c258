from django.core.management.base import BaseCommand

from retefamiglie.participation.tasks import send_registration_reminders


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks of the participatory process: reminders of "
        "tomorrow's meetings. Run it from cron, every hour."
    )

    def handle(self, *args, **options) -> None:
        result = send_registration_reminders.enqueue()
        self.stdout.write(f"{send_registration_reminders.name}: {result.status}")

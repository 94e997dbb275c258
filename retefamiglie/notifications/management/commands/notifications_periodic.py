from django.core.management.base import BaseCommand

from retefamiglie.notifications.digests import digests_send
from retefamiglie.notifications.kinds import Frequency
from retefamiglie.notifications.services import deliveries_send_due


class Command(BaseCommand):
    help = (
        "Retry the notices whose time has come and send the daily and weekly "
        "digests that are due. Run it every few minutes (cron, systemd timer)."
    )

    def handle(self, *args, **options) -> None:
        retried = deliveries_send_due()
        daily = digests_send(frequency=Frequency.DAILY)
        weekly = digests_send(frequency=Frequency.WEEKLY)
        self.stdout.write(
            f"{retried} notices enqueued, {daily} daily and {weekly} weekly digests."
        )

"""Load or refresh the Lucca demo data (marked as demo). Safe to run again.

Each app seeds its own part through ``seed_demo(write)`` on its AppConfig, in the
order of INSTALLED_APPS, so later apps can build on earlier ones.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load or refresh the Lucca demo data (marked as demo)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for config in apps.get_app_configs():
            seed = getattr(config, "seed_demo", None)
            if callable(seed):
                seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Lucca demo data loaded."))

"""docs/deploy.md schedules every periodic command of the apps."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands


def test_every_periodic_command_has_a_cron_line():
    """A ``*_periodic`` command nobody schedules never runs in production: its
    expiries and reminders silently stop (exchange_periodic was missing)."""
    deploy = (Path(settings.BASE_DIR) / "docs" / "deploy.md").read_text()
    scheduled = set(re.findall(r"^[^#\n].* manage\.py (\w+_periodic)\b", deploy, re.M))
    periodic = {name for name in get_commands() if name.endswith("_periodic")}
    assert periodic, "no periodic command found"
    assert periodic <= scheduled, sorted(periodic - scheduled)

"""Periodic work of the dashboard, enqueued by cron (monitoring_periodic)."""

from django.tasks import task

from . import services


@task
def compute_snapshots() -> int:
    """Compute the indicators of the recent periods into snapshots."""
    return services.snapshots_compute()

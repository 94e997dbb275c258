"""Periodic work on help requests, enqueued by cron (helprequests_periodic)."""

from django.tasks import task

from . import services


@task
def anonymise_closed_requests() -> int:
    """Erase personal data of requests closed longer than the retention period."""
    return services.requests_anonymise()


@task
def remind_unanswered_referrals() -> int:
    """Remind organisations of referrals left unanswered."""
    return services.referrals_remind()

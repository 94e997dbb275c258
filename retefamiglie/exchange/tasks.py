"""Periodic work of the exchange, enqueued by cron (exchange_periodic)."""

from django.tasks import task

from . import services


@task
def expire_listings() -> int:
    """Listings past their 30 days become expired; owners are told."""
    return services.listings_expire()


@task
def remind_loans() -> int:
    """Remind both sides before a loan's return date and when it is overdue."""
    return services.loans_remind()

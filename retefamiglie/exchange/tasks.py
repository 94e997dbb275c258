"""Background work of the exchange: periodic (enqueued by cron, exchange_periodic)
and the announcement of a new listing."""

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


@task
def announce_listing(pk: int) -> int:
    """Tell the people whose saved search a new listing matches."""
    from .announce import listing_announce
    from .models import Listing

    listing = Listing.objects.filter(pk=pk).first()
    return listing_announce(listing) if listing else 0

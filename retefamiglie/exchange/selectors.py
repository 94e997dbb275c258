"""Reads of the exchange: browsing, search, a person's listings, messages, figures."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from retefamiglie.accounts.models import User
from retefamiglie.core.search import every_word_in, strip_accents
from retefamiglie.core.vocabularies import FitsAgeBand
from retefamiglie.moderation.selectors import visible

from .models import (
    Block,
    Category,
    Conversation,
    Gratitude,
    Handover,
    Interest,
    Listing,
    Message,
    Photo,
)
from .rules import PUBLIC_STATUSES

BROWSE_STATUSES = (Listing.Status.AVAILABLE, Listing.Status.RESERVED)


def _blocked_people(user: Any) -> tuple[QuerySet[Any, Any], QuerySet[Any, Any]]:
    return (
        Block.objects.filter(blocker_id=user.pk).values("blocked_id"),
        Block.objects.filter(blocked_id=user.pk).values("blocker_id"),
    )


def search_listings(queryset: QuerySet[Listing], q: str) -> QuerySet[Listing]:
    """Listings matching every word of ``q`` (ADR 9 and 17); order unchanged."""
    if not q.strip():
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return queryset.filter(
            search_document=SearchQuery(
                strip_accents(q), search_type="websearch", config="italian"
            )
        )
    return every_word_in(queryset, q, ["title", "description"])


def browse(
    *,
    user: Any,
    q: str = "",
    kind: str = "",
    what: str = "",
    category: str = "",
    age_band: str = "",
    size: str = "",
    area_id: int | None = None,
    new_today: bool = False,
) -> QuerySet[Listing]:
    """Open listings a person may see, newest first, with what a card shows."""
    listings = visible(Listing.objects.filter(status__in=BROWSE_STATUSES))
    if user.is_authenticated:
        blocked, blockers = _blocked_people(user)
        listings = listings.exclude(owner_id__in=blocked).exclude(owner_id__in=blockers)
    filters: dict[str, Any] = {}
    for field, value in (
        ("kind", kind),
        ("what", what),
        ("category", category),
        ("age_band", age_band),
    ):
        if value:
            filters[field] = value
    if size:
        filters["size__iexact"] = size.strip()
    if area_id:
        filters["area_id"] = area_id
    if new_today:
        filters["published_at__gte"] = _today_start()
    listings = search_listings(listings.filter(**filters), q)
    # The photos of the page's rows in one query: a subquery per row in the
    # select list would run for every match before the sort (900 ms at 50k).
    return (
        listings.select_related("area")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=Photo.objects.order_by("position", "pk"),
                to_attr="photo_list",
            )
        )
        .order_by("-published_at", "-pk")
    )


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def listing_fits(
    listing: Listing,
    *,
    kind: str = "",
    what: str = "",
    category: str = "",
    age_band: str = "",
    size: str = "",
    area_id: int | None = None,
    new_today: bool = False,
    **_ignored: Any,
) -> bool:
    """Whether ``listing`` passes the filters of ``browse`` other than words,
    blocks and visibility, in Python (saved searches, ADR 27). It must agree
    with ``browse``: a test compares the two."""
    return (
        all(
            not wanted or getattr(listing, field) == wanted
            for field, wanted in (
                ("kind", kind),
                ("what", what),
                ("category", category),
                ("age_band", age_band),
            )
        )
        and (not size.strip() or listing.size.upper() == size.strip().upper())
        and (not area_id or listing.area_id == area_id)
        and (not new_today or listing.published_at >= _today_start())
    )


def listing_words_match(listing: Listing, queries: list[str]) -> set[str]:
    """Which of ``queries`` find ``listing`` with the list's own word search,
    in one query per 200 of them."""
    found: set[str] = set()
    for start in range(0, len(queries), WORD_CHECKS_PER_QUERY):
        chunk = queries[start : start + WORD_CHECKS_PER_QUERY]
        checks = {
            f"q{index}": Exists(
                search_listings(Listing.objects.filter(pk=listing.pk), query)
            )
            for index, query in enumerate(chunk)
        }
        row = Listing.objects.filter(pk=listing.pk).values(**checks).first() or {}
        found.update(query for index, query in enumerate(chunk) if row.get(f"q{index}"))
    return found


WORD_CHECKS_PER_QUERY = 200


def listing_detail(*, pk: int) -> Listing:
    return (
        Listing.objects.select_related("owner__exchange_member", "area")
        .prefetch_related(
            "photos",
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related(
                    "giver", "receiver", "gratitude"
                ).exclude(status=Handover.Status.CANCELLED),
            ),
        )
        .get(pk=pk)
    )


def interests_for(*, listing: Listing) -> QuerySet[Interest]:
    return listing.interests.select_related("person").exclude(
        status=Interest.Status.WITHDRAWN
    )


def interest_of(*, listing: Listing, user: Any) -> Interest | None:
    if not user.is_authenticated:
        return None
    return Interest.objects.filter(listing=listing, person=user).first()


def current_handover(*, listing: Listing) -> Handover | None:
    for handover in listing.handovers.all():
        if handover.status != Handover.Status.CANCELLED:
            return handover
    return None


def listings_of(*, user: User) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(owner=user)
        .select_related("area")
        .annotate(
            interested=Count(
                "interests", filter=Q(interests__status=Interest.Status.WAITING)
            )
        )
        .order_by("-published_at", "-pk")
    )


def handovers_of(*, user: User) -> QuerySet[Handover]:
    return (
        Handover.objects.filter(Q(giver=user) | Q(receiver=user))
        .exclude(status=Handover.Status.CANCELLED)
        .select_related("listing", "giver", "receiver")
        .order_by("-created_at")
    )


def conversations_of(*, user: User) -> QuerySet[Conversation]:
    """The person's conversations, most recent first, each with its unread count."""
    never = datetime(2000, 1, 1, tzinfo=UTC)
    unread = (
        Message.objects.filter(
            conversation=OuterRef("pk"), created_at__gt=OuterRef("my_read_at")
        )
        .exclude(sender_id=user.pk)
        .order_by()
        .values("conversation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Conversation.objects.filter(
            Q(owner_id=user.pk) | Q(other_id=user.pk), last_message_at__isnull=False
        )
        .select_related("listing", "owner", "other")
        .annotate(
            my_read_at=Coalesce(
                Case(
                    When(owner_id=user.pk, then=F("owner_read_at")),
                    default=F("other_read_at"),
                ),
                Value(never, output_field=DateTimeField()),
            ),
            unread=Coalesce(Subquery(unread), 0),
        )
        .order_by("-last_message_at", "-pk")
    )


def unread_count(*, user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return sum(getattr(each, "unread", 0) for each in conversations_of(user=user))


def messages_of(*, conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("sender")


def is_blocked(*, blocker: Any, blocked: Any) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def gratitudes(*, limit: int = 6) -> QuerySet[Gratitude]:
    return (
        Gratitude.objects.exclude(text="")
        .select_related("handover__listing")
        .filter(handover__listing__status__in=PUBLIC_STATUSES)
        .order_by("-created_at")[:limit]
    )


def items_reused(*, start: date, end: date) -> list[dict[str, Any]]:
    """Items reused through the exchange between ``start`` and ``end`` (inclusive).

    For the network's figures (monitoring): one row per category and age band it
    fits, with ``items`` (handovers completed: given, swapped or lent) and
    ``thanked`` (of those, how many got a public thank-you). Anonymised traces
    of deleted accounts still count (ADR 17).
    """
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        Handover.objects.filter(
            status__in=(Handover.Status.HANDED_OVER, Handover.Status.RETURNED),
            handed_over_at__gte=since,
            handed_over_at__lt=until,
        )
        .values("category", "age_band")
        .annotate(
            items=Count("pk"),
            thanked=Count("gratitude"),
        )
        .order_by("category", "age_band")
    )
    return [dict(row) for row in rows]


def blocked_by(*, user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked")


# The contract of ADR 0018: (indicator key, area slug, dimension values, weight).
MonitoringFact = tuple[str, str, dict[str, tuple[str, ...]], int]


def monitoring_facts(*, start: datetime, end: datetime) -> Iterator[MonitoringFact]:
    """Facts for the dashboard between ``start`` (included) and ``end``:
    ``items_reused``, the handovers completed then, by ``category`` and the
    ``age_band`` the thing fits, in the listing's area; one row per group."""
    rows = (
        Handover.objects.filter(
            status__in=(Handover.Status.HANDED_OVER, Handover.Status.RETURNED),
            handed_over_at__gte=start,
            handed_over_at__lt=end,
        )
        .values("category", "age_band", "listing__area__slug")
        .annotate(items=Count("pk"))
        .order_by("category", "age_band", "listing__area__slug")
    )
    for row in rows:
        yield (
            "items_reused",
            row["listing__area__slug"] or "",
            {"category": (row["category"],), "age_band": (row["age_band"],)},
            row["items"],
        )


def monitoring_labels(dimension: str) -> dict[str, str]:
    """Labels of a dimension's value codes, in the active language."""
    if dimension == "category":
        return {value: str(label) for value, label in Category.choices}
    if dimension == "age_band":
        return {value: str(label) for value, label in FitsAgeBand.choices}
    return {}

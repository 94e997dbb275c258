"""Reads of notifications: the centre, the header count (cached), follows."""

from typing import Any

from django.core.cache import cache
from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import Notification

UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: Any) -> int:
    """The header's count: one cheap indexed count, then cached until it changes."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return int(count)


def forget_unread_count(user_id: int) -> None:
    cache.delete(_unread_key(user_id))


def centre_for(user: Any) -> QuerySet[Notification]:
    """The person's notifications, unread first, newest first."""
    return (
        Notification.objects.filter(recipient=user)
        .annotate(
            unread_first=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread_first", "-created_at", "-pk")
    )

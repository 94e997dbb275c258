"""Reads of notifications: the centre, the header count (cached), follows."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from retefamiglie.accounts.models import User, Visitor

from .kinds import Frequency
from .models import Child, FamilyProfile, Follow, Notification, SavedSearch

UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User) -> int:
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


def centre_for(user: User) -> QuerySet[Notification]:
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


# The family: children, areas, languages (ADR 13) -------------------------------


def children_of(user: User) -> QuerySet[Child]:
    return Child.objects.filter(user=user)


def children_ages(user: User, today: date | None = None) -> list[int]:
    """The distinct ages of the person's children today, youngest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    return sorted({child.age_on(today) for child in children_of(user)})


def family_areas_and_ages(
    user: Any, today: date | None = None
) -> tuple[list[str], list[int]]:
    """The family's areas of interest and its children's distinct ages today,
    youngest first, read in one query (the "for your children" filters, ADR 0029)."""
    if not getattr(user, "is_authenticated", False):
        return [], []
    today = today or timezone.localdate()
    rows = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .order_by()
        .values_list(
            "family_profile__areas", "children__birth_year", "children__birth_month"
        )
    )
    areas: list[str] = []
    ages: set[int] = set()
    for profile_areas, birth_year, birth_month in rows:
        areas = profile_areas or []
        if birth_year is not None:
            ages.add(
                Child(birth_year=birth_year, birth_month=birth_month).age_on(today)
            )
    return areas, sorted(ages)


def family_profile(user: User) -> FamilyProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return FamilyProfile.objects.filter(user=user).first()


def families_with_children_aged(
    age_min: int | None, age_max: int | None, today: date | None = None
) -> QuerySet[Any]:
    """Active people with a child whose age today is within the range (inclusive).

    A child is ``n`` years old from the first of its birth month ``n`` years on,
    so the range is a window on (year, month) of birth.
    """
    today = today or timezone.localdate()
    condition = Q()
    if age_max is not None:
        # Born no earlier than age_max + 1 years before, the month after.
        year = today.year - age_max - 1
        condition &= Q(birth_year__gt=year) | Q(
            birth_year=year, birth_month__gt=today.month
        )
    if age_min is not None:
        year = today.year - age_min
        condition &= Q(birth_year__lt=year) | Q(
            birth_year=year, birth_month__lte=today.month
        )
    users = Child.objects.filter(condition).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True)


# Saved searches and follows -------------------------------------------------


def saved_searches_of(user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("scope", "name", "pk")


def saved_searches_in(scope: str) -> QuerySet[SavedSearch]:
    """Active saved searches of one list, with their owner, for matching."""
    return (
        SavedSearch.objects.filter(scope=scope, user__is_active=True)
        .exclude(frequency=Frequency.NEVER)
        .select_related("user")
    )


def _target(obj: models.Model) -> dict[str, Any]:
    return {
        "target_type": ContentType.objects.get_for_model(obj),
        "target_id": str(obj.pk),
    }


def is_following(user: Visitor | None, obj: models.Model) -> bool:
    if not isinstance(user, User):
        return False
    return Follow.objects.filter(user=user, **_target(obj)).exists()


def followers_of(obj: models.Model) -> QuerySet[Any]:
    follows = Follow.objects.filter(**_target(obj)).values("user_id")
    return get_user_model().objects.filter(pk__in=follows, is_active=True)


def follows_of(user: User) -> QuerySet[Follow]:
    return Follow.objects.filter(user=user).select_related("target_type")

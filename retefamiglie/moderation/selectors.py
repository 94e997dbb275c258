"""Reads of moderation: what is hidden, the coordinators' queue, suspensions."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, QuerySet

from .models import AWAITING_STATUSES, HIDDEN_STATUSES, Case, Decision, Flag, Suspension

QUEUE_AWAITING = "awaiting"
QUEUE_DECIDED = "decided"
QUEUE_ALL = "all"


def case_for(*, target: Model) -> Case | None:
    return Case.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).first()


def is_hidden(*, target: Model) -> bool:
    """Whether ``target`` is hidden from everyone but its author and coordinators."""
    return Case.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        status__in=HIDDEN_STATUSES,
    ).exists()


def hidden_ids(*, model: type[Model]) -> QuerySet[Case, Any]:
    """The primary keys of hidden objects of ``model``, as a subquery."""
    return Case.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        status__in=HIDDEN_STATUSES,
    ).values("object_id")


def visible[M: Model](queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` without its hidden objects, in the same single query."""
    return queryset.exclude(pk__in=hidden_ids(model=queryset.model))


def queue(*, show: str = QUEUE_AWAITING) -> QuerySet[Case]:
    """Cases for coordinators, oldest waiting first; objects fetched per type."""
    cases = Case.objects.select_related("content_type").prefetch_related(
        "content_object"
    )
    if show == QUEUE_AWAITING:
        return cases.filter(status__in=AWAITING_STATUSES).order_by(
            "last_flagged_at", "pk"
        )
    if show == QUEUE_DECIDED:
        return cases.exclude(status__in=AWAITING_STATUSES).order_by("-updated_at")
    return cases.order_by("-last_flagged_at", "-pk")


def awaiting_count() -> int:
    return Case.objects.filter(status__in=AWAITING_STATUSES).count()


def case_with_history(*, pk: int) -> Case:
    return (
        Case.objects.select_related("content_type")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("reporter")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def active_suspension(*, person: Model, scope: str) -> Suspension | None:
    if person.pk is None:
        return None
    return Suspension.objects.filter(
        person_id=person.pk, scope=scope, lifted_at__isnull=True
    ).first()


def active_suspensions() -> QuerySet[Suspension]:
    return Suspension.objects.filter(lifted_at__isnull=True).select_related(
        "person", "created_by"
    )


def author_of(target: Model | None) -> Model | None:
    """The person who answers for ``target`` (ADR 16: ``moderation_author``)."""
    if target is None:
        return None
    author = getattr(target, "moderation_author", None)
    return author if isinstance(author, Model) or author is None else None

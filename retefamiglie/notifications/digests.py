"""Daily and weekly digests: one e-mail per person and period, never two.

Each person's digest is made in its own transaction, keyed by person, frequency
and period (a date, or an ISO week), so a run that dies halfway leaves those
already made and the next run makes the rest. Nothing new: no e-mail.
"""

from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import kinds, links
from .delivery import list_unsubscribe_headers
from .kinds import Frequency
from .models import Delivery, Digest, NotificationSettings

Status = Delivery.Status


def period_of(frequency: str, moment: datetime) -> str:
    local = timezone.localtime(moment)
    if frequency == Frequency.DAILY:
        return local.date().isoformat()
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def is_due(frequency: str, moment: datetime) -> bool:
    """Daily digests leave from NOTIFICATIONS_DIGEST_HOUR; weekly ones from that
    hour of NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY (0 = Monday) on, in the week."""
    local = timezone.localtime(moment)
    hour = settings.NOTIFICATIONS_DIGEST_HOUR
    if frequency == Frequency.DAILY:
        return local.hour >= hour
    weekday = settings.NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY
    return local.weekday() > weekday or (
        local.weekday() == weekday and local.hour >= hour
    )


def _waiting_recipients(frequency: str) -> Iterator[int]:
    return (
        Delivery.objects.filter(
            status=Status.BATCHED,
            frequency=frequency,
            notification__recipient__isnull=False,
        )
        .values_list("notification__recipient_id", flat=True)
        .distinct()
        .order_by("notification__recipient_id")
        .iterator(chunk_size=2000)
    )


# People whose digests are made in one transaction: a run that dies loses at
# most this many people's work, which the next run does again.
CHUNK = 200


def _make_digests(user_ids: list[int], frequency: str, period: str) -> list[int]:
    """Gather what waits for these people into the period's digests, in one
    transaction; return the digests' delivery ids. A person whose digest for the
    period exists already is skipped: what came since waits for the next one."""
    with transaction.atomic():
        done = set(
            Digest.objects.filter(
                recipient_id__in=user_ids, frequency=frequency, period=period
            ).values_list("recipient_id", flat=True)
        )
        waiting: dict[int, list[int]] = {}
        for pk, user_id in (
            Delivery.objects.select_for_update(of=("self",))
            .filter(
                status=Status.BATCHED,
                frequency=frequency,
                included_in__isnull=True,
                notification__recipient_id__in=user_ids,
            )
            .values_list("pk", "notification__recipient_id")
        ):
            if user_id not in done:
                waiting.setdefault(user_id, []).append(pk)
        if not waiting:
            return []
        digests = Digest.objects.bulk_create(
            [
                Digest(recipient_id=user_id, frequency=frequency, period=period)
                for user_id in waiting
            ]
        )
        for digest in digests:
            Delivery.objects.filter(pk__in=waiting[digest.recipient_id]).update(
                status=Status.DIGESTED, included_in=digest
            )
        emails = Delivery.objects.bulk_create(
            [
                Delivery(
                    digest=digest,
                    channel=Delivery.Channel.EMAIL,
                    key=f"digest:{digest.recipient_id}:{frequency}:{period}",
                )
                for digest in digests
            ]
        )
    return [email.pk for email in emails]


def digests_send(*, frequency: str, now: datetime | None = None) -> int:
    """Make and enqueue the digests of this period; return how many were made."""
    now = now or timezone.now()
    if not is_due(frequency, now):
        return 0
    from .tasks import send_delivery

    period = period_of(frequency, now)
    people = list(_waiting_recipients(frequency))
    made = 0
    for start in range(0, len(people), CHUNK):
        for delivery_id in _make_digests(
            people[start : start + CHUNK], frequency, period
        ):
            send_delivery.enqueue(delivery_id)
            made += 1
    return made


def digest_message(digest: Digest) -> EmailMultiAlternatives | None:
    user: Any = digest.recipient
    if not user.is_active:
        return None
    prefs = NotificationSettings.objects.filter(user=user).first()
    language = prefs.language if prefs else settings.LANGUAGE_CODE
    items = list(
        digest.items.select_related("notification").order_by(
            "notification__kind", "-notification__created_at"
        )
    )
    if not items:
        return None
    registry = kinds.registry()
    token = links.unsubscribe_token(
        kind=links.DIGEST_KIND_PREFIX + digest.frequency, user_id=user.pk
    )
    unsubscribe_url = links.unsubscribe_url(language, token)
    with translation.override(language):
        groups = [
            {
                "label": registry[name].label if name in registry else name,
                "notifications": [item.notification for item in group],
            }
            for name, group in groupby(items, key=lambda d: d.notification.kind)  # type: ignore[union-attr]
        ]
        subject = (
            _("Your daily digest: %(count)s new")
            if digest.frequency == Frequency.DAILY
            else _("Your weekly digest: %(count)s new")
        ) % {"count": len(items)}
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "network": settings.RETEFAMIGLIE,
                "digest": digest,
                "groups": groups,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": links.url_in(language, "notifications:preferences"),
                "centre_url": links.url_in(language, "notifications:centre"),
            },
        )
    return EmailMultiAlternatives(
        subject=subject,
        body=body.strip(),
        to=[user.email],
        headers=list_unsubscribe_headers(unsubscribe_url),
    )

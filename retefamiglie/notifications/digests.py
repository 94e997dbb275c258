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


def _make_digest(user_id: int, frequency: str, period: str) -> int | None:
    """Gather what waits for this person into the period's digest; its delivery."""
    with transaction.atomic():
        digest, created = Digest.objects.get_or_create(
            recipient_id=user_id, frequency=frequency, period=period
        )
        if not created:
            # Already sent this period: what came since waits for the next one.
            return None
        items = Delivery.objects.filter(
            status=Status.BATCHED,
            frequency=frequency,
            notification__recipient_id=user_id,
            included_in__isnull=True,
        ).update(status=Status.DIGESTED, included_in=digest)
        if not items:
            digest.delete()
            return None
        email = Delivery.objects.create(
            digest=digest,
            channel=Delivery.Channel.EMAIL,
            key=f"digest:{user_id}:{frequency}:{period}",
        )
    return email.pk


def digests_send(*, frequency: str, now: datetime | None = None) -> int:
    """Make and enqueue the digests of this period; return how many were made."""
    now = now or timezone.now()
    if not is_due(frequency, now):
        return 0
    from .tasks import send_delivery

    period = period_of(frequency, now)
    made = 0
    for user_id in list(_waiting_recipients(frequency)):
        delivery_id = _make_digest(user_id, frequency, period)
        if delivery_id is not None:
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

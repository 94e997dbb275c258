"""Sending one delivery: claim it under a lock, send, mark it; retry with backoff.

The claim makes a second worker (or a second run of the same task) find the
delivery already taken or sent, so nobody receives a notice twice.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from retefamiglie.core.mail import deliver, message_to_dict

from . import kinds, links, push, sms
from .models import Delivery, Notification, PushSubscription

logger = logging.getLogger(__name__)
Status = Delivery.Status
Channel = Delivery.Channel

# Minutes to wait after the 1st, 2nd, … failure; then it is given up.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    with transaction.atomic():
        # The row lock makes concurrent workers queue here; the second one
        # sees the first one's claim and leaves.
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, status=Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None
        delivery.status = Status.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts", "updated_at"])
    return delivery


def send_delivery(delivery_id: int, *, now: datetime | None = None) -> str:
    """Send one delivery if it is due; return what happened."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "skipped"
    try:
        sent = _send(delivery)
    except Exception as error:
        logger.warning("Delivery %s failed: %s", delivery.key, error)
        _failed(delivery, now, error)
        return "failed"
    delivery.status = Status.SENT if sent else Status.SKIPPED
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return delivery.status


def _failed(delivery: Delivery, now: datetime, error: Exception) -> None:
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    if delivery.attempts >= len(BACKOFF_MINUTES):
        delivery.status = Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = Status.PENDING
        delivery.next_attempt_at = now + timedelta(
            minutes=BACKOFF_MINUTES[delivery.attempts - 1]
        )
    delivery.save(
        update_fields=["status", "next_attempt_at", "last_error", "updated_at"]
    )
    if delivery.status == Status.PENDING:
        transaction.on_commit(lambda: _enqueue_later(delivery))


def _enqueue_later(delivery: Delivery) -> None:
    from .tasks import send_delivery as task

    if task.get_backend().supports_defer and delivery.next_attempt_at:
        task.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    # Otherwise notifications_periodic finds it when it is due.


def _send(delivery: Delivery) -> bool:
    if delivery.digest_id is not None:
        from .digests import digest_message

        return _send_email(digest_message(delivery.digest))  # type: ignore[arg-type]
    notification = delivery.notification
    if notification is None:
        return False
    if delivery.channel == Channel.EMAIL:
        return _send_email(email_message(notification))
    if delivery.channel == Channel.SMS:
        return _send_sms(delivery, notification)
    return _send_push(notification)


def _send_email(message: EmailMultiAlternatives | None) -> bool:
    if message is None:
        return False
    deliver(message_to_dict(message))
    return True


def _recipient_address(notification: Notification) -> str:
    if notification.recipient_id is not None:
        user: Any = notification.recipient
        return "" if not user.is_active else user.email
    return notification.email


def email_message(notification: Notification) -> EmailMultiAlternatives | None:
    address = _recipient_address(notification)
    if not address:
        return None
    spec = kinds.registry().get(notification.kind)
    essential = spec.essential if spec else False
    headers: dict[str, str] = {}
    footer_context: dict[str, Any] = {
        "network": settings.RETEFAMIGLIE,
        "has_account": notification.recipient_id is not None,
        "essential": essential,
    }
    if notification.recipient_id is not None:
        footer_context["preferences_url"] = links.url_in(
            notification.language, "notifications:preferences"
        )
    if not essential:
        token = links.unsubscribe_token(
            kind=notification.kind,
            user_id=notification.recipient_id,
            email=notification.email,
        )
        url = links.unsubscribe_url(notification.language, token)
        headers = list_unsubscribe_headers(url)
        footer_context["unsubscribe_url"] = url
        footer_context["kind_label"] = spec.label if spec else notification.kind
    with translation.override(notification.language):
        footer = render_to_string("notifications/email/footer.txt", footer_context)
    return EmailMultiAlternatives(
        subject=notification.title,
        body=f"{notification.body}\n\n{footer.strip()}".strip(),
        to=[address],
        headers=headers,
    )


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 + RFC 8058: the link, and that a POST to it unsubscribes at once."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _send_sms(delivery: Delivery, notification: Notification) -> bool:
    if not notification.phone:
        return False
    text = delivery.text or f"{notification.title}\n{notification.url}".strip()
    sms.send_sms(notification.phone, text)
    return True


def _send_push(notification: Notification) -> bool:
    if notification.recipient_id is None:
        return False
    subscriptions = list(
        PushSubscription.objects.filter(user_id=notification.recipient_id)
    )
    if not subscriptions or not push.enabled():
        return False
    payload = {
        "title": notification.title,
        "body": str(settings.RETEFAMIGLIE["NETWORK_NAME"]),
        "url": links.absolute(notification.get_absolute_url()),
        "tag": f"n{notification.pk}",
    }
    sent = False
    errors: list[Exception] = []
    for subscription in subscriptions:
        try:
            push.send_push(subscription, payload)
            sent = True
        except push.PushGoneError:
            subscription.delete()
        except Exception as error:
            # One broken device must not resend to the others: the delivery is
            # retried only when no device received it.
            errors.append(error)
            PushSubscription.objects.filter(pk=subscription.pk).update(
                last_error=str(error)[:2000]
            )
    if errors and not sent:
        raise errors[0]
    return sent

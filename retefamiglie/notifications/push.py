"""Web Push (the standard Push API, VAPID) through ``pywebpush``."""

import json
from typing import Any

from django.conf import settings

from .models import PushSubscription


class PushGoneError(Exception):
    """The push service says the subscription no longer exists (404/410)."""


def enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def send_push(subscription: PushSubscription, payload: dict[str, Any]) -> None:
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=24 * 3600,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            raise PushGoneError(str(error)) from error
        raise

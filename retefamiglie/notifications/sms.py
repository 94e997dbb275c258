"""Text messages: a small backend interface like Django's e-mail backends.

``NOTIFICATIONS_SMS_BACKEND`` names the class: the console backend (default)
prints each message, the locmem backend keeps them in ``outbox`` for tests, and
the HTTP gateway backend posts them to a provider's JSON endpoint.
"""

import json
import logging
import sys
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class SmsBackendError(RuntimeError):
    pass


class BaseSmsBackend:
    def send(self, message: TextMessage) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Write the message to standard output (the embedded default)."""

    def send(self, message: TextMessage) -> None:
        sys.stdout.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
        sys.stdout.flush()


outbox: list[TextMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    """Keep messages in ``notifications.sms.outbox`` (tests)."""

    def send(self, message: TextMessage) -> None:
        outbox.append(message)


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POST ``{"to", "from", "text"}`` as JSON to ``NOTIFICATIONS_SMS_GATEWAY_URL``.

    The token goes in an ``Authorization: Bearer`` header; any answer other
    than 2xx raises, so the delivery is retried.
    """

    def __init__(self) -> None:
        self.url: str = settings.NOTIFICATIONS_SMS_GATEWAY_URL
        self.token: str = settings.NOTIFICATIONS_SMS_GATEWAY_TOKEN
        self.sender: str = settings.NOTIFICATIONS_SMS_SENDER
        if not self.url.startswith(("https://", "http://")):
            raise SmsBackendError("NOTIFICATIONS_SMS_GATEWAY_URL must be http(s).")

    def send(self, message: TextMessage) -> None:
        data = json.dumps(
            {"to": message.to, "from": self.sender, "text": message.body}
        ).encode()
        headers: dict[str, Any] = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.url, data=data, headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise SmsBackendError(f"SMS gateway answered {response.status}")


def get_backend() -> BaseSmsBackend:
    backend_class = import_string(settings.NOTIFICATIONS_SMS_BACKEND)
    backend: BaseSmsBackend = backend_class()
    return backend


def send_sms(to: str, body: str) -> None:
    get_backend().send(TextMessage(to=to, body=body))

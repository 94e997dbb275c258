"""Web Push: subscribe a device, deliver to a push service on localhost (VAPID,
RFC 8291 encryption), respect quiet time, forget devices the service says are gone."""

import base64
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import http_ece
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.notifications.models import Delivery, PushSubscription
from retefamiglie.notifications.push import generate_vapid_keys
from retefamiglie.notifications.services import (
    deliveries_send_due,
    notify,
    preferences_update,
)

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=ROME)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PushService:
    """A push service on localhost that records what it receives."""

    def __init__(self, status: int = 201):
        self.received: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                service.received.append(
                    {
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/push/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def vapid(settings):
    public, private = generate_vapid_keys()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.NOTIFICATIONS_PUSH_ALLOW_HTTP = True
    return public


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


class Device:
    """A browser's side of a subscription: its ECDH key and auth secret."""

    def __init__(self, endpoint: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        self.endpoint = endpoint

    def subscription(self) -> dict:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64(public), "auth": b64(self.auth)},
        }

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


def subscribe(user, device) -> Client:
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("notifications:push_subscribe"),
        json.dumps(device.subscription()),
        content_type="application/json",
    )
    assert response.status_code == 201
    return client


def test_subscribed_device_receives_an_encrypted_push(
    vapid, push_service, django_capture_on_commit_callbacks
):
    giulia = UserFactory()
    device = Device(push_service.url)
    subscribe(giulia, device)
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notify(recipient=giulia, kind="tests.answer")
    [request] = push_service.received
    assert request["headers"]["authorization"].startswith("vapid t=")
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["ttl"] == "86400"
    payload = device.read(request["body"])
    assert payload["title"] == notification.title
    assert payload["url"].endswith(notification.get_absolute_url())
    assert Delivery.objects.get(channel="push").status == "sent"


def test_no_push_in_quiet_time_until_it_ends(
    vapid, push_service, django_capture_on_commit_callbacks
):
    giulia = UserFactory()
    subscribe(giulia, Device(push_service.url))
    night = NOON.replace(hour=23)
    with (
        time_machine.travel(night, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipient=giulia, kind="tests.answer")
        deliveries_send_due()
    assert push_service.received == []
    push = Delivery.objects.get(channel="push")
    assert push.next_attempt_at == dt.datetime(2026, 12, 4, 8, 0, tzinfo=ROME)
    with (
        time_machine.travel(dt.datetime(2026, 12, 4, 8, 1, tzinfo=ROME), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deliveries_send_due()
        deliveries_send_due()
    assert len(push_service.received) == 1


def test_own_quiet_time_is_respected(
    vapid, push_service, django_capture_on_commit_callbacks
):
    giulia = UserFactory()
    preferences_update(
        user=giulia, frequencies={}, quiet_from=dt.time(11), quiet_until=dt.time(13)
    )
    subscribe(giulia, Device(push_service.url))
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipient=giulia, kind="tests.answer")
    assert push_service.received == []


def test_digest_kinds_are_not_pushed(
    vapid, push_service, django_capture_on_commit_callbacks
):
    giulia = UserFactory()
    subscribe(giulia, Device(push_service.url))
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipient=giulia, kind="tests.listing", context={"title": "x"})
    assert push_service.received == []


def test_device_the_service_says_is_gone_is_forgotten(
    vapid, django_capture_on_commit_callbacks
):
    gone = PushService(status=410)
    try:
        giulia = UserFactory()
        subscribe(giulia, Device(gone.url))
        with (
            time_machine.travel(NOON, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            notify(recipient=giulia, kind="tests.answer")
        assert len(gone.received) == 1
        assert not PushSubscription.objects.exists()
    finally:
        gone.close()


def test_subscribe_needs_an_account_and_a_valid_subscription(vapid, push_service):
    response = Client().post(
        reverse("notifications:push_subscribe"), "{}", content_type="application/json"
    )
    assert response.status_code == 302
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        reverse("notifications:push_subscribe"),
        json.dumps({"endpoint": push_service.url}),
        content_type="application/json",
    )
    assert response.status_code == 400


def test_plain_http_endpoint_is_refused_outside_tests(vapid, settings):
    settings.NOTIFICATIONS_PUSH_ALLOW_HTTP = False
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        reverse("notifications:push_subscribe"),
        json.dumps(Device("http://evil.test/").subscription()),
        content_type="application/json",
    )
    assert response.status_code == 400


def test_unsubscribe_forgets_the_device(vapid, push_service):
    giulia = UserFactory()
    device = Device(push_service.url)
    client = subscribe(giulia, device)
    client.post(
        reverse("notifications:push_unsubscribe"),
        json.dumps(device.subscription()),
        content_type="application/json",
    )
    assert not PushSubscription.objects.exists()


def test_manifest_and_service_worker():
    client = Client()
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in worker.content
    assert 'rel="manifest"' in client.get("/").content.decode()


def test_preferences_offer_push_only_when_configured(vapid, settings):
    client = Client()
    client.force_login(UserFactory())
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert f'data-vapid-key="{vapid}"' in page
    settings.VAPID_PRIVATE_KEY = ""
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "data-vapid-key" not in page

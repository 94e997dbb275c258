"""The SMS backends: console (default), and the HTTP gateway adapter."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retefamiglie.notifications import sms
from retefamiglie.notifications.sms import (
    ConsoleSmsBackend,
    HttpGatewaySmsBackend,
    SmsBackendError,
    TextMessage,
)


def test_console_backend_prints_the_message(capsys):
    ConsoleSmsBackend().send(TextMessage(to="+39 333 1234567", body="Ciao"))
    out = capsys.readouterr().out
    assert "SMS to +39 333 1234567" in out
    assert "Ciao" in out


def test_default_backend_is_the_console():
    from config.settings import base

    assert base.NOTIFICATIONS_SMS_BACKEND.endswith("ConsoleSmsBackend")


@pytest.fixture
def gateway():
    received = []
    status = {"code": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                {
                    "auth": self.headers.get("Authorization"),
                    "data": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(status["code"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/send", received, status
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_json_with_the_token(settings, gateway):
    url, received, _status = gateway
    settings.NOTIFICATIONS_SMS_BACKEND = (
        "retefamiglie.notifications.sms.HttpGatewaySmsBackend"
    )
    settings.NOTIFICATIONS_SMS_GATEWAY_URL = url
    settings.NOTIFICATIONS_SMS_GATEWAY_TOKEN = "secret"
    sms.send_sms("+39 333 1234567", "Ciao")
    assert received == [
        {
            "auth": "Bearer secret",
            "data": {"to": "+39 333 1234567", "from": "ReteFamiglie", "text": "Ciao"},
        }
    ]


def test_http_gateway_error_raises_so_the_delivery_retries(settings, gateway):
    url, _received, status = gateway
    status["code"] = 503
    settings.NOTIFICATIONS_SMS_GATEWAY_URL = url
    with pytest.raises(Exception):  # noqa: B017, PT011
        HttpGatewaySmsBackend().send(TextMessage(to="1", body="x"))


def test_http_gateway_needs_an_http_url(settings):
    settings.NOTIFICATIONS_SMS_GATEWAY_URL = "file:///etc/passwd"
    with pytest.raises(SmsBackendError):
        HttpGatewaySmsBackend()

"""Lockouts behind the reverse proxy: one bucket per client, not one per site."""

import pytest
from django.test import override_settings
from django.urls import reverse

from retefamiglie.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def failed_logins(client, email: str, address: str, times: int) -> int:
    for _ in range(times):
        response = client.post(
            reverse("account_login"),
            {"login": email, "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )
    return response.status_code


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_an_address_locked_behind_the_proxy_does_not_lock_the_others(client):
    UserFactory(email="famiglia@example.org")
    # Different accounts, so only the address can lock.
    assert failed_logins(client, "a@example.org", "203.0.113.9", 3) == 429
    response = client.post(
        reverse("account_login"),
        {"login": "famiglia@example.org", "password": "una-password-lunga-2026"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_a_forged_header_does_not_escape_the_lockout(client):
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        status = failed_logins(
            client, f"{forged}@example.org", f"{forged}, 203.0.113.9", 1
        )
    assert status == 429

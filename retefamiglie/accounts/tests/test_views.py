import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail

from retefamiglie.accounts.models import Consent, User
from retefamiglie.accounts.tests.factories import PASSWORD, UserFactory
from retefamiglie.network.models import OrganisationStaff
from retefamiglie.network.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "email": "nuova@example.org",
        "password1": "Lucca-famiglie-2026!",
        "password2": "Lucca-famiglie-2026!",
        "display_name": "Chiara",
        "accept_privacy": "on",
        **overrides,
    }
    return client.post("/account/signup/", data)


def test_signup_records_privacy_consent_and_sends_verification(client, settings):
    mail.outbox.clear()
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="nuova@example.org")
    assert user.display_name == "Chiara"
    consent = Consent.objects.get(user=user)
    assert consent.version == settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"]
    assert consent.kind == Consent.Kind.PRIVACY_NOTICE
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nuova@example.org"]


def test_signup_without_consent_is_refused_and_keeps_what_was_typed(client):
    response = signup(client, accept_privacy="")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Per creare un account accetta l" in html or "informativa" in html
    assert 'value="nuova@example.org"' in html
    assert 'value="Chiara"' in html
    assert not User.objects.filter(email="nuova@example.org").exists()


def test_login_with_email_and_password(client):
    user = UserFactory()
    response = client.post(
        "/account/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/account/profilo/").status_code == 200


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(
            "/account/login/", {"login": user.email, "password": "sbagliata"}
        )
    response = client.post(
        "/account/login/", {"login": user.email, "password": PASSWORD}
    )
    assert "Troppi tentativi" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_also_applies_from_another_address(client, settings):
    """The account is locked (django-axes), not only the attacking address."""
    settings.ACCOUNT_RATE_LIMITS = False  # leave allauth's own throttle aside
    user = UserFactory()
    for _ in range(5):
        client.post(
            "/account/login/",
            {"login": user.email, "password": "sbagliata"},
            REMOTE_ADDR="10.0.0.1",
        )
    response = client.post(
        "/account/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert "Troppi tentativi" in response.content.decode()


def test_profile_requires_login(client):
    response = client.get("/account/profilo/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_profile_changes_the_display_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/account/profilo/", {"display_name": "  Giulia  "})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Giulia"
    assert "no-store" in client.get("/account/profilo/")["Cache-Control"] or (
        "max-age=0" in client.get("/account/profilo/")["Cache-Control"]
    )


def test_profile_rejects_a_too_long_name_and_keeps_it(client):
    user = UserFactory(display_name="Prima")
    client.force_login(user)
    long_name = "x" * 81
    response = client.post("/account/profilo/", {"display_name": long_name})
    assert response.status_code == 200
    assert long_name in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Prima"


def test_my_data_download_holds_account_consents_and_organisations(client):
    staff = StaffFactory(role=OrganisationStaff.Role.EDITOR)
    user = staff.user
    Consent.objects.create(
        user=user,
        kind="privacy_notice",
        version="v1",
        given_at="2026-01-01T10:00:00+01:00",
    )
    client.force_login(user)
    response = client.get("/account/i-miei-dati/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["consents"][0]["version"] == "v1"
    assert data["network"] == [
        {
            "organisation": staff.organisation.name,
            "role": "editor",
            "since": staff.created_at.isoformat(),
        }
    ]


def test_my_data_download_requires_login(client):
    assert client.get("/account/i-miei-dati/").status_code == 302


def login(client, user):
    """Log in, then confirm the password as allauth asks before deleting."""
    client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    response = client.post("/account/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def test_delete_account_asks_to_confirm_the_password_first(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/account/elimina/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")


def test_delete_account_needs_the_email_typed(client):
    user = UserFactory()
    login(client, user)
    response = client.post("/account/elimina/", {"confirm": "altro@example.org"})
    assert response.status_code == 200
    assert "non è il tuo indirizzo" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active


def test_delete_account_erases_personal_data_and_keeps_an_anonymous_row(client):
    staff = StaffFactory()
    user = staff.user
    login(client, user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    response = client.post("/account/elimina/", {"confirm": user.email.upper()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email.endswith("@invalid.invalid")
    assert user.display_name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.anonymised_at is not None
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not OrganisationStaff.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    # The deleted person can no longer log in.
    client.post("/account/login/", {"login": staff.user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

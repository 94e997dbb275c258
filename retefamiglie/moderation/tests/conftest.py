import pytest
from allauth.mfa.models import Authenticator

from retefamiglie.moderation import registry

MFA_ROLES = ("coordinator", "municipal_officer", "superuser")


@pytest.fixture(autouse=True)
def flaggable_organisations(monkeypatch):
    """Member organisations stand for any flaggable model in these tests."""
    monkeypatch.setattr(
        registry, "flaggable_labels", lambda: frozenset({"network.organisation"})
    )
    monkeypatch.setattr(
        registry, "suspension_scopes", lambda: {"exchange": "the exchange"}
    )


@pytest.fixture
def staff_people(people):
    for role in MFA_ROLES:
        Authenticator.objects.create(
            user=people[role], type=Authenticator.Type.TOTP, data={}
        )
    return people


@pytest.fixture(autouse=True)
def _english_messages(_default_language):
    """Service errors read in English here."""
    from django.utils import translation

    translation.activate("en")

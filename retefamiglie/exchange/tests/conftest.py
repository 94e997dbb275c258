import pytest
from allauth.mfa.models import Authenticator

from .factories import MemberFactory

MFA_ROLES = ("coordinator", "municipal_officer", "superuser")


@pytest.fixture
def members(people):
    """Every role, each a member of the exchange, second factor where required."""
    for role, person in people.items():
        if person is None:
            continue
        MemberFactory(user=person)
        if role in MFA_ROLES:
            Authenticator.objects.create(
                user=person, type=Authenticator.Type.TOTP, data={}
            )
    return people


@pytest.fixture(autouse=True)
def _english_messages(_default_language):
    """Service errors read in English here; e-mails keep the site's language."""
    from django.utils import translation

    translation.activate("en")

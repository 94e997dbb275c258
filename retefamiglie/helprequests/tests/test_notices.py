"""Help-request notices go through notifications: texted to families who chose
SMS, into the centre of families and staff with an account."""

import pytest
from django.core import mail

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.helprequests import services
from retefamiglie.helprequests.models import ContactMethod, HelpRequest
from retefamiglie.notifications import sms
from retefamiglie.notifications.models import Notification

from .factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_family_without_account_who_chose_sms_gets_a_text(
    people, django_capture_on_commit_callbacks
):
    help_request = HelpRequestFactory(
        contact_method=ContactMethod.SMS,
        contact_phone="+39 333 7654321",
        contact_email="",
        status=HelpRequest.Status.IN_PROGRESS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_to_family(
            actor=people["coordinator"], help_request=help_request, body="Ciao"
        )
    [text] = sms.outbox
    assert text.to == "+39 333 7654321"
    assert "/aiuto/stato/" in text.body
    assert "Ciao" not in text.body  # details stay on the platform
    assert mail.outbox == []


def test_family_with_an_account_finds_the_notice_in_its_centre(
    people, django_capture_on_commit_callbacks
):
    family = UserFactory()
    help_request = HelpRequestFactory(
        family=family,
        contact_email=family.email,
        status=HelpRequest.Status.IN_PROGRESS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_to_family(
            actor=people["coordinator"], help_request=help_request, body="Ciao"
        )
    notice = Notification.objects.get(recipient=family)
    assert notice.kind == "helprequests.family_message"
    assert [m.to for m in mail.outbox] == [[family.email]]
    assert sms.outbox == []

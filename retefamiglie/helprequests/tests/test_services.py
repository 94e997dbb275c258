import json
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from retefamiglie.accounts.services import user_delete, user_export_data
from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.helprequests import services
from retefamiglie.helprequests.models import HelpRequest, Outcome
from retefamiglie.helprequests.tokens import make_token, read_token

pytestmark = pytest.mark.django_db

FORM_DATA = {
    "kinds": ["school"],
    "description": "Mio figlio fatica con i compiti di matematica.",
    "children": {"6-10": 1},
    "contact_method": "email",
    "contact_email": "mamma@example.org",
    "urgency": "normal",
}


def submit(family=None, **overrides):
    return services.request_submit(data={**FORM_DATA, **overrides}, family=family)


def test_token_round_trip_and_tampering():
    public_id = uuid.uuid4()
    token = make_token(public_id)
    assert len(token) > 60
    assert read_token(token) == public_id
    assert read_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert (
        read_token(make_token(uuid.uuid4()).split(".")[0] + "." + token.split(".")[1])
        is None
    )
    assert read_token("not-a-token") is None


def test_submit_records_consent_reference_and_first_step(settings):
    help_request, token = submit()
    assert read_token(token) == help_request.public_id
    assert help_request.status == HelpRequest.Status.NEW
    assert (
        help_request.consent_version == settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"]
    )
    assert len(help_request.reference) == 7
    step = help_request.activities.get()
    assert step.visible_to_family


def test_export_of_my_data_holds_my_requests():
    family = UserFactory()
    help_request, _token = submit(family=family)
    data = json.loads(json.dumps(user_export_data(user=family)))
    exported = data["helprequests"]
    assert exported[0]["reference"] == help_request.reference
    assert exported[0]["description"] == FORM_DATA["description"]


def test_deleting_the_account_anonymises_closed_requests_and_unlinks_open_ones():
    family = UserFactory()
    open_request, _ = submit(family=family)
    closed_request, _ = submit(family=family)
    services.request_withdraw(help_request=closed_request)
    user_delete(user=family)
    open_request.refresh_from_db()
    closed_request.refresh_from_db()
    assert open_request.family is None
    assert open_request.description == FORM_DATA["description"]
    assert closed_request.family is None
    assert closed_request.description == ""
    assert closed_request.contact_email == ""
    assert closed_request.anonymised_at is not None


def test_retention_with_a_frozen_clock(settings):
    settings.HELPREQUESTS_RETENTION_MONTHS = 12
    with time_machine.travel("2025-01-10 10:00 +01:00", tick=False):
        old, _ = submit()
        coordinator = UserFactory(is_coordinator=True)
        services.request_close(
            actor=coordinator, help_request=old, outcome=Outcome.RESOLVED
        )
    with time_machine.travel("2025-12-20 10:00 +01:00", tick=False):
        recent, _ = submit()
        services.request_withdraw(help_request=recent)
        # Less than 12 months after the first was closed: nothing changes.
        assert services.requests_anonymise() == 0
    with time_machine.travel("2026-01-15 10:00 +01:00", tick=False):
        call_command("helprequests_periodic")  # tasks run at once in tests
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.description == ""
    assert old.contact_email == ""
    assert old.kinds == ["school"]
    assert old.outcome == Outcome.RESOLVED
    assert recent.anonymised_at is None
    assert recent.description == FORM_DATA["description"]


def test_open_requests_are_never_anonymised():
    help_request, _ = submit()
    later = timezone.now() + timedelta(days=800)
    assert services.requests_anonymise(now=later) == 0
    help_request.refresh_from_db()
    assert help_request.description

"""Every staff help-request URL for every role, and what must never leak."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from retefamiglie.core.testing import ROLES
from retefamiglie.helprequests import services
from retefamiglie.helprequests.models import HelpRequest, Referral
from retefamiglie.network.tests.factories import OrganisationFactory

from .factories import HelpRequestFactory, ReferralFactory

pytestmark = pytest.mark.django_db

SECRET = "Il papà ha perso il lavoro e non riusciamo a pagare la mensa."
MFA_ROLES = ("coordinator", "municipal_officer", "superuser")

# What each URL answers to each role, with a request referred to `organisation`
# (pending). 302 for an anonymous person means "to the login page"; for an
# allowed POST, "done, back to the page".
MANAGERS = {"coordinator": 200, "superuser": 200}
READERS = {"org_editor": 200, "org_admin": 200, **MANAGERS}
EXPECTED = {
    "inbox": {"other_org_staff": 200, **READERS},
    "staff_detail": READERS,
    "triage": {"coordinator": 302, "superuser": 302},
    "refer": {"coordinator": 302, "superuser": 302},
    "accept": {"org_editor": 302, "org_admin": 302},
    "decline": {"org_editor": 302, "org_admin": 302},
    "message": {"coordinator": 302, "superuser": 302},
    "note": {"org_editor": 302, "org_admin": 302, "coordinator": 302, "superuser": 302},
    "close": {"coordinator": 302, "superuser": 302},
    "statistics": {"municipal_officer": 200, **MANAGERS},
    "access_log": MANAGERS,
    "offers": MANAGERS,
    "offer_edit": MANAGERS,
}


@pytest.fixture
def staff_people(people):
    for role in MFA_ROLES:
        Authenticator.objects.create(
            user=people[role], type=Authenticator.Type.TOTP, data={}
        )
    return people


@pytest.fixture
def referral(organisation):
    return ReferralFactory(
        organisation=organisation,
        request=HelpRequestFactory(
            status=HelpRequest.Status.REFERRED, description=SECRET
        ),
    )


def action(name: str, referral: Referral, other=None) -> tuple[str, str, dict]:
    """Method, URL and a valid form for one staff URL (``other``: where to refer)."""
    public_id = referral.request.public_id
    by_request = {"public_id": public_id}
    by_referral = {"public_id": public_id, "referral_id": referral.pk}
    actions = {
        "inbox": ("get", {}, {}),
        "staff_detail": ("get", by_request, {}),
        "triage": (
            "post",
            by_request,
            {"triage-kinds": ["school", "money"], "triage-urgency": "high"},
        ),
        "refer": (
            "post",
            by_request,
            {"refer-organisations": [other.pk if other else ""]},
        ),
        "accept": ("post", by_referral, {}),
        "decline": (
            "post",
            by_referral,
            {f"decline-{referral.pk}-reason": "Non abbiamo posti liberi."},
        ),
        "message": ("post", by_request, {"message-body": "Vi chiamiamo domani."}),
        "note": ("post", by_request, {"note-body": "Sentita la scuola."}),
        "close": ("post", by_request, {"close-outcome": "resolved"}),
        "statistics": ("get", {}, {}),
        "access_log": ("get", {}, {}),
        "offers": ("get", {}, {}),
        "offer_edit": ("get", {"slug": referral.organisation.slug}, {}),
    }
    method, kwargs, data = actions[name]
    return method, reverse(f"helprequests:{name}", kwargs=kwargs), data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_staff_url_for_every_role(client, staff_people, referral, name, role):
    """Each role gets exactly the access of the matrix, and no one else's data."""
    other = OrganisationFactory()
    method, url, data = action(name, referral, other)
    user = staff_people[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == EXPECTED[name].get(role, 403)
    if role not in READERS:
        assert SECRET not in response.content.decode()
        assert referral.request.reference not in response.content.decode()


@pytest.mark.parametrize(
    "name", ["triage", "refer", "accept", "decline", "message", "note", "close"]
)
def test_actions_refuse_get(client, staff_people, referral, name):
    """An action changes data only through a POST."""
    client.force_login(staff_people["coordinator"])
    _method, url, _data = action(name, referral, OrganisationFactory())
    assert client.get(url).status_code in (403, 405)


def test_refused_actions_change_nothing(client, staff_people, referral):
    """A 403 on an action leaves the request as it was."""
    client.force_login(staff_people["other_org_staff"])
    other = OrganisationFactory()
    for name in ("triage", "refer", "accept", "decline", "message", "note", "close"):
        method, url, data = action(name, referral, other)
        assert getattr(client, method)(url, data).status_code == 403
    help_request = HelpRequest.objects.get(pk=referral.request.pk)
    assert help_request.status == HelpRequest.Status.REFERRED
    assert help_request.activities.count() == 0
    assert help_request.referrals.get().status == Referral.Status.PENDING


def test_once_accepted_the_organisation_may_write_and_close(
    client, staff_people, referral
):
    services.referral_accept(actor=staff_people["org_editor"], referral=referral)
    other = OrganisationFactory()
    for role, allowed in (("org_editor", True), ("other_org_staff", False)):
        client.force_login(staff_people[role])
        for name in ("message", "close"):
            method, url, data = action(name, referral, other)
            response = getattr(client, method)(url, data)
            assert response.status_code == (302 if allowed else 403), (role, name)


def test_after_declining_the_organisation_sees_nothing(client, staff_people, referral):
    """Once its organisation declined, staff lose the request and its details."""
    editor = staff_people["org_editor"]
    client.force_login(editor)
    detail = referral.request.get_absolute_url()
    assert client.get(detail).status_code == 200
    assert (
        referral.request.reference
        in client.get("/gestione/richieste/").content.decode()
    )

    _method, url, data = action("decline", referral)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("helprequests:inbox")

    response = client.get(detail)
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
    inbox = client.get("/gestione/richieste/?status=all").content.decode()
    assert referral.request.reference not in inbox
    _method, note_url, note_data = action("note", referral)
    assert client.post(note_url, note_data).status_code == 403


def test_other_organisations_never_see_the_description(client, staff_people, referral):
    """Staff of an organisation the request was not sent to read nothing of it."""
    client.force_login(staff_people["other_org_staff"])
    other = OrganisationFactory()
    for name in EXPECTED:
        method, url, data = action(name, referral, other)
        response = getattr(client, method)(url, data)
        assert SECRET not in response.content.decode(), name
    for url in ("/gestione/", "/gestione/richieste/?status=all"):
        assert SECRET not in client.get(url).content.decode()


def test_municipal_officers_see_only_statistics(client, staff_people, referral):
    client.force_login(staff_people["municipal_officer"])
    other = OrganisationFactory()
    allowed = set()
    for name in EXPECTED:
        method, url, data = action(name, referral, other)
        if getattr(client, method)(url, data).status_code < 400:
            allowed.add(name)
    assert allowed == {"statistics"}


def test_coordinator_without_mfa_is_sent_to_set_it_up(client, people, referral):
    client.force_login(people["coordinator"])
    response = client.get(referral.request.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert not referral.request.access_logs.exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_wrong_status_link_is_not_found_for_anyone(client, staff_people, role):
    """Staff roles give no shortcut to a family's private page."""
    if staff_people[role] is not None:
        client.force_login(staff_people[role])
    url = reverse("helprequests:status", kwargs={"token": "not-a-real-token"})
    assert client.get(url).status_code == 404

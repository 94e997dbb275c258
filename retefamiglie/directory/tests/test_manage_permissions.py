"""Who reaches which page of the catalogue's staff area, for every role."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation

from retefamiglie.core.testing import ROLES

from .factories import BookingFactory, EventFactory, LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MFA_ROLES = ("coordinator", "municipal_officer", "superuser")
# A page anyone who publishes may open, one about a listing of `organisation`,
# or the home-page choice kept for coordinators.
LIST, OBJECT, FEATURE = "list", "object", "feature"

PAGES = [
    ("manage", "get", lambda o: {}, LIST),
    ("service_create", "get", lambda o: {}, LIST),
    ("event_create", "get", lambda o: {}, LIST),
    ("locations", "get", lambda o: {}, LIST),
    ("location_create", "get", lambda o: {}, LIST),
    ("service_edit", "get", lambda o: {"slug": o["service"].slug}, OBJECT),
    ("event_edit", "get", lambda o: {"slug": o["event"].slug}, OBJECT),
    ("event_bookings", "get", lambda o: {"slug": o["event"].slug}, OBJECT),
    ("event_bookings_csv", "get", lambda o: {"slug": o["event"].slug}, OBJECT),
    ("location_edit", "get", lambda o: {"pk": o["location"].pk}, OBJECT),
    (
        "listing_action",
        "publish",
        lambda o: {"kind": "servizi", "slug": o["service"].slug},
        OBJECT,
    ),
    (
        "listing_action",
        "duplicate",
        lambda o: {"kind": "eventi", "slug": o["event"].slug},
        OBJECT,
    ),
    (
        "listing_action",
        "feature",
        lambda o: {"kind": "servizi", "slug": o["published"].slug},
        FEATURE,
    ),
]


def expected_status(role: str, kind: str, method: str) -> int:
    write = 302 if method != "get" else 200
    if role in ("family", "municipal_officer"):
        return 403
    if role == "other_org_staff":
        return 200 if kind == LIST else 403
    if role in ("org_editor", "org_admin"):
        return 403 if kind == FEATURE else write
    return write  # coordinator, superuser


@pytest.fixture
def objects(organisation):
    location = LocationFactory(organisation=organisation)
    event = EventFactory(
        organisation=organisation, location=location, booking_enabled=True, capacity=9
    )
    BookingFactory(event=event)
    return {
        "location": location,
        "service": ServiceFactory(organisation=organisation, status="draft"),
        "published": ServiceFactory(organisation=organisation),
        "event": event,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kwargs", "kind"),
    PAGES,
    ids=[f"{page[0]}-{page[1]}" for page in PAGES],
)
def test_every_role_on_every_page(
    client, people, objects, role, name, method, kwargs, kind
):
    """Staff reach only their organisation's listings; coordinators reach all."""
    user = people[role]
    if user is not None:
        if role in MFA_ROLES:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={}
            )
        client.force_login(user)
    with translation.override("en"):
        url = reverse(f"directory:{name}", kwargs=kwargs(objects) or None)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {"action": method})
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
        return
    assert response.status_code == expected_status(role, kind, method)


def test_staff_of_another_organisation_see_only_their_own(client, people, objects):
    """The list of another member's staff holds their listings, never ours."""
    staff = people["other_org_staff"]
    own = staff.organisation_roles.get().organisation
    ServiceFactory(organisation=own, name="Corso di scacchi")
    EventFactory(organisation=own, name="Torneo di scacchi")
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(reverse("directory:manage")).content.decode()
        places = client.get(reverse("directory:locations")).content.decode()
    assert "Corso di scacchi" in page
    assert "Torneo di scacchi" in page
    assert objects["service"].name not in page
    assert objects["event"].name not in page
    assert objects["location"].name not in places


def test_a_coordinator_without_a_second_factor_sets_one_up_first(
    client, people, objects
):
    client.force_login(people["coordinator"])
    with translation.override("en"):
        response = client.get(reverse("directory:manage"))
        activate = reverse("mfa_activate_totp")
    assert response.status_code == 302
    assert response["Location"].startswith(activate)


def test_staff_of_a_suspended_member_lose_the_staff_area(
    client, people, organisation, objects
):
    organisation.status = organisation.Status.SUSPENDED
    organisation.save()
    client.force_login(people["org_admin"])
    with translation.override("en"):
        assert client.get(reverse("directory:manage")).status_code == 403
        edit = reverse(
            "directory:service_edit", kwargs={"slug": objects["service"].slug}
        )
    assert client.get(edit).status_code == 403


def test_an_unknown_kind_or_action_is_refused(client, people, objects):
    client.force_login(people["org_admin"])
    with translation.override("en"):
        wrong_kind = reverse(
            "directory:listing_action",
            kwargs={"kind": "luoghi", "slug": objects["service"].slug},
        )
        service = reverse(
            "directory:listing_action",
            kwargs={"kind": "servizi", "slug": objects["service"].slug},
        )
    assert client.post(wrong_kind, {"action": "publish"}).status_code == 404
    assert client.post(service, {"action": "delete"}).status_code == 400
    assert client.get(service).status_code == 405

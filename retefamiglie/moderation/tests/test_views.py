import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.core.testing import ROLES, assert_constant_queries
from retefamiglie.moderation import selectors, services
from retefamiglie.moderation.models import Case, Reason, Suspension
from retefamiglie.network.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"coordinator", "superuser"}


@pytest.fixture
def case():
    target = OrganisationFactory(name="Mercatino Abusivo")
    services.flag_create(actor=UserFactory(), target=target, reason=Reason.SCAM)
    return selectors.case_for(target=target)


def login(client, person):
    if person is not None:
        client.force_login(person)


@pytest.mark.parametrize("role", ROLES)
def test_queue_and_case_for_every_role(client, staff_people, case, role):
    login(client, staff_people[role])
    for url in ("/gestione/moderazione/", f"/gestione/moderazione/{case.pk}/"):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        elif role in MANAGERS:
            assert response.status_code == 200
            assert "Mercatino Abusivo" in response.content.decode()
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_deciding_for_every_role(client, staff_people, case, role):
    login(client, staff_people[role])
    response = client.post(
        f"/gestione/moderazione/{case.pk}/decisione/",
        {"outcome": "restore", "reason": "Nulla di male"},
    )
    case.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302
        assert case.status == Case.Status.RESTORED
    else:
        assert response.status_code in (302, 403)
        assert case.status == Case.Status.OPEN


@pytest.mark.parametrize("role", ROLES)
def test_flag_page_for_every_role(client, staff_people, role):
    target = OrganisationFactory()
    login(client, staff_people[role])
    url = f"/segnala/network/organisation/{target.pk}/"
    response = client.post(url, {"reason": "spam"})
    case = selectors.case_for(target=target)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
        assert case is None
    else:
        assert response.status_code == 302
        assert response["Location"] == target.get_absolute_url()
        assert case.open_flags == 1


def test_a_flag_without_reason_shows_the_error_and_keeps_the_note(client):
    client.force_login(UserFactory())
    target = OrganisationFactory()
    response = client.post(
        f"/en/segnala/network/organisation/{target.pk}/", {"note": "Vende farmaci"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html
    assert "Vende farmaci" in html


def test_a_model_not_flaggable_answers_404(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get(f"/segnala/accounts/user/{person.pk}/").status_code == 404


@override_settings(MODERATION_HIDE_AFTER_FLAGS=1)
def test_coordinator_restores_from_the_case_page(client, staff_people):
    target = OrganisationFactory()
    services.flag_create(actor=UserFactory(), target=target, reason=Reason.SCAM)
    case = selectors.case_for(target=target)
    assert case.status == Case.Status.HIDDEN
    client.force_login(staff_people["coordinator"])
    client.post(
        f"/en/gestione/moderazione/{case.pk}/decisione/",
        {"outcome": "restore", "reason": "Checked: a real association"},
    )
    html = client.get(f"/en/gestione/moderazione/{case.pk}/").content.decode()
    assert "Restored by a coordinator" in html
    assert "Checked: a real association" in html


def test_a_decision_without_reason_is_refused_with_a_message(
    client, staff_people, case
):
    client.force_login(staff_people["coordinator"])
    response = client.post(
        f"/en/gestione/moderazione/{case.pk}/decisione/", {"outcome": "remove"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_the_queue_keeps_a_constant_number_of_queries(client, staff_people):
    client.force_login(staff_people["coordinator"])

    def make_rows(count):
        for _ in range(count):
            services.flag_create(
                actor=UserFactory(), target=OrganisationFactory(), reason=Reason.SPAM
            )

    assert_constant_queries(client, "/gestione/moderazione/", make_rows)


def test_the_queue_is_linked_from_the_staff_area(client, staff_people):
    client.force_login(staff_people["coordinator"])
    assert "/gestione/moderazione/" in client.get("/gestione/").content.decode()
    client.force_login(staff_people["org_admin"])
    assert "/gestione/moderazione/" not in client.get("/gestione/").content.decode()


def test_a_coordinator_suspends_the_person_and_lifts_it(client, staff_people):
    person = UserFactory()
    client.force_login(staff_people["coordinator"])
    # A case about a person: the person is the one a suspension applies to.
    case = Case.objects.create(
        content_type=ContentType.objects.get_for_model(person), object_id=person.pk
    )
    response = client.post(
        f"/gestione/moderazione/{case.pk}/sospendi/",
        {"scope": "exchange", "reason": "Chiede soldi"},
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get(person=person)
    assert suspension.reason == "Chiede soldi"
    html = client.get("/gestione/sospensioni/").content.decode()
    assert "Chiede soldi" in html
    client.post(f"/gestione/sospensioni/{suspension.pk}/revoca/")
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None

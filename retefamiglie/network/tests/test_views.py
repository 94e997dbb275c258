import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from retefamiglie.core.testing import assert_constant_queries
from retefamiglie.network.models import Area, Organisation, OrganisationStaff
from retefamiglie.network.tests.factories import OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_staff_home_keeps_a_constant_number_of_queries(client, people):
    coordinator = people["coordinator"]
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={}
    )
    client.force_login(coordinator)

    def make_rows(count):
        for organisation in OrganisationFactory.create_batch(count):
            StaffFactory(organisation=organisation)

    assert_constant_queries(client, "/gestione/", make_rows, n=4)


def test_staff_sees_only_their_organisations(client, people, organisation):
    client.force_login(people["org_editor"])
    html = client.get("/gestione/").content.decode()
    assert organisation.name in html
    others = Organisation.objects.exclude(pk=organisation.pk)
    assert others.exists()
    for other in others:
        assert other.name not in html
    # An editor may not edit, so no edit link is offered.
    assert "/modifica/" not in html


def test_admin_edits_the_profile_of_their_organisation(client, people, organisation):
    client.force_login(people["org_admin"])
    url = f"/gestione/organizzazioni/{organisation.slug}/modifica/"
    response = client.post(
        url,
        {
            "description": "Sport per tutti",
            "address": "Via del Fosso 1",
            "email": "info@panathlon.example.org",
            "phone": "0583 1",
            "website": "https://panathlon.example.org/",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Sport per tutti"


def test_bad_input_is_refused_with_a_translated_message_and_kept(
    client, people, organisation
):
    client.force_login(people["org_admin"])
    url = f"/gestione/organizzazioni/{organisation.slug}/modifica/"
    response = client.post(
        url, {"description": "Nuova descrizione", "email": "non-una-email"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inserisci un indirizzo email valido" in html
    assert "Nuova descrizione" in html
    organisation.refresh_from_db()
    assert organisation.description != "Nuova descrizione"


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (
        Area.objects.count(),
        Organisation.objects.count(),
        OrganisationStaff.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        Area.objects.count(),
        Organisation.objects.count(),
        OrganisationStaff.objects.count(),
    )
    assert Organisation.objects.filter(is_demo=True).count() == counts[1]
    assert Organisation.objects.filter(name="Istituto Comprensivo Lucca 3").exists()
    assert counts[0] >= 10


def test_area_outside_the_city_is_refused():
    from django.core.exceptions import ValidationError

    area = Area(name="Milano", slug="milano", latitude=45.46, longitude=9.19)
    with pytest.raises(ValidationError):
        area.full_clean()

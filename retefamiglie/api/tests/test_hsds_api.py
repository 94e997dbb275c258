"""The HSDS 3.0 API: every answer validates against Open Referral's schemas."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from retefamiglie.api import hsds
from retefamiglie.core.testing import assert_constant_queries
from retefamiglie.directory.models import Category, Publishable, Service
from retefamiglie.directory.tests.factories import (
    CategoryFactory,
    LocationFactory,
    ServiceFactory,
)
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import OrganisationFactory, ProviderFactory
from retefamiglie.pacts.tests.factories import SignatureFactory

from .schemas import assert_valid, assert_valid_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_support():
    return CategoryFactory(slug="sostegno-scolastico")


@pytest.fixture
def catalogue(organisation, school_support):
    """A complete service, a plain one elsewhere, and a draft."""
    sport = CategoryFactory(slug="sport-movimento")
    place = LocationFactory(
        organisation=organisation,
        name="Centro San Concordio",
        address="Via Puccini 10",
        postal_code="55100",
        latitude=Decimal("43.835000"),
        longitude=Decimal("10.495000"),
        accessibility="Ingresso senza gradini.",
    )
    full = ServiceFactory(
        organisation=organisation,
        name="Doposcuola San Concordio",
        summary="Aiuto nei compiti.",
        description="Compiti e giochi per i ragazzi delle medie.",
        categories=[school_support, sport],
        age_min=11,
        age_max=14,
        eligibility="Famiglie residenti a Lucca.",
        is_free=True,
        languages=["it", "ar", "uk"],
        accessibility="Educatore di sostegno su richiesta.",
        email="doposcuola@example.org",
        phone="+39 0583 123456",
        url="https://example.org/doposcuola",
        how_to_access="Iscrizione in sede il lunedì.",
        location=place,
        weekdays=[0, 2],
    )
    other_organisation = OrganisationFactory(
        name="Parrocchia di Sant'Anna", show_contacts=False, phone="+39 0583 1"
    )
    plain = ServiceFactory(
        organisation=other_organisation,
        name="Ludoteca Sant'Anna",
        cost_description="5 euro al mese",
        location__postal_code="55100",
    )
    draft = ServiceFactory(
        organisation=organisation,
        name="Doposcuola in preparazione",
        status=Publishable.Status.DRAFT,
    )
    return {"full": full, "plain": plain, "draft": draft, "place": place}


def url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs or None)


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["contents"]]


# ------------------------------------------------------------------------------
# Every endpoint validates
# ------------------------------------------------------------------------------


def test_root_describes_the_api(client):
    response = client.get("/api/hsds/")

    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "3.0"
    assert data["openapi_url"] == "http://testserver/api/openapi.json"
    assert data["profile"].startswith("https://")


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("services", "compiled/service_list.json"),
        ("organizations", "compiled/organization_list.json"),
        ("service_at_locations", "compiled/service_at_location_list.json"),
        ("taxonomies", "taxonomy.json"),
        ("taxonomy_terms", "taxonomy_term.json"),
    ],
)
@pytest.mark.parametrize("query", ["", "?full=true"])
def test_lists_validate(client, catalogue, name, schema, query):
    response = client.get(url(name) + query)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    page = response.json()
    assert_valid_page(page, schema)
    assert page["total_items"] > 0


def test_full_lists_validate_against_the_full_schemas(client, catalogue):
    services = client.get(url("services") + "?full=true").json()
    for item in services["contents"]:
        assert_valid(item, "compiled/service.json")
    places = client.get(url("service_at_locations") + "?full=true").json()
    for item in places["contents"]:
        assert_valid(item, "compiled/service_at_location.json")
    organisations = client.get(url("organizations") + "?full_service=true").json()
    for item in organisations["contents"]:
        assert_valid(item, "compiled/organization.json")


def test_service_detail_maps_every_field(client, catalogue, school_support):
    service = catalogue["full"]

    response = client.get(url("service", id=service.hsds_id))

    assert response.status_code == 200
    data = response.json()
    assert_valid(data, "compiled/service.json")
    assert data["id"] == str(service.hsds_id)
    assert data["organization_id"] == str(service.organisation.hsds_id)
    assert data["organization"]["name"] == "Panathlon Club Lucca"
    assert data["status"] == "active"
    assert data["url"] == "https://example.org/doposcuola"
    assert data["email"] == "doposcuola@example.org"
    assert data["application_process"] == "Iscrizione in sede il lunedì."
    assert data["eligibility_description"] == "Famiglie residenti a Lucca."
    assert (data["minimum_age"], data["maximum_age"]) == (11, 14)
    assert data["cost_options"][0]["amount"] == 0
    assert data["cost_options"][0]["currency"] == "EUR"
    assert [language["code"] for language in data["languages"]] == ["it", "ar", "uk"]
    assert data["phones"][0]["number"] == "+39 0583 123456"
    terms = {attribute["taxonomy_term_id"] for attribute in data["attributes"]}
    assert str(school_support.hsds_id) in terms
    [at] = data["service_at_locations"]
    location = at["location"]
    assert location["name"] == "Centro San Concordio"
    assert (location["latitude"], location["longitude"]) == (43.835, 10.495)
    [address] = location["addresses"]
    assert address["address_1"] == "Via Puccini 10"
    assert address["postal_code"] == "55100"
    assert address["country"] == "IT"
    assert address["address_type"] == "physical"
    accessibility = [
        a.get("description") or a.get("details") for a in location["accessibility"]
    ]
    assert accessibility == [
        "Ingresso senza gradini.",
        "Educatore di sostegno su richiesta.",
    ]
    schedules = [(s["byday"], s["opens_at"], s["closes_at"]) for s in at["schedules"]]
    assert schedules == [("MO", "09:00", "12:00"), ("WE", "09:00", "12:00")]
    assert {s["freq"] for s in at["schedules"]} == {"WEEKLY"}


def test_ids_of_derived_objects_are_stable(client, catalogue):
    first = client.get(url("service", id=catalogue["full"].hsds_id)).json()
    second = client.get(url("service", id=catalogue["full"].hsds_id)).json()

    assert first["phones"] == second["phones"]
    assert first["service_at_locations"] == second["service_at_locations"]


def test_service_at_location_detail(client, catalogue):
    at = catalogue["full"].service_at_locations.get()

    response = client.get(url("service_at_location", id=at.hsds_id))

    assert response.status_code == 200
    data = response.json()
    assert_valid(data, "compiled/service_at_location.json")
    assert data["service"]["name"] == "Doposcuola San Concordio"
    assert len(data["schedules"]) == 2


def test_organization_detail_lists_its_published_services(client, catalogue):
    organisation = catalogue["full"].organisation

    response = client.get(url("organization", id=organisation.hsds_id))

    assert response.status_code == 200
    data = response.json()
    assert_valid(data, "compiled/organization.json")
    assert [service["name"] for service in data["services"]] == [
        "Doposcuola San Concordio"
    ]
    assert data["locations"][0]["name"] == "Centro San Concordio"
    full = client.get(
        url("organization", id=organisation.hsds_id) + "?full_service=true"
    ).json()
    assert_valid(full, "compiled/organization.json")
    assert full["services"][0]["service_at_locations"]


def test_hidden_contacts_stay_hidden(client, catalogue):
    organisation = catalogue["plain"].organisation

    data = client.get(url("organization", id=organisation.hsds_id)).json()

    assert "email" not in data
    assert data["phones"] == []


def test_which_organisations_are_served(client):
    """Members in the directory and providers the catalogue holds without
    being members are served; a citizen who chose not to be listed, or a
    member kept out of the directory, is not."""
    member = OrganisationFactory()
    provider = ProviderFactory()
    citizen = OrganisationFactory(type=Organisation.Type.CITIZEN, is_public=False)
    hidden_member = OrganisationFactory(is_public=False)
    SignatureFactory(organisation=hidden_member)
    # Not listed, never signed, yet a member: only the status makes a provider.
    unsigned_member = OrganisationFactory(is_public=False)
    suspended = OrganisationFactory(status=Organisation.Status.SUSPENDED)

    listed = ids(client.get(url("organizations")).json())

    assert set(listed) == {str(member.hsds_id), str(provider.hsds_id)}
    for organisation in (citizen, hidden_member, unsigned_member, suspended):
        detail = client.get(url("organization", id=organisation.hsds_id))
        assert detail.status_code == 404
    served = client.get(url("organization", id=provider.hsds_id))
    assert_valid(served.json(), "compiled/organization.json")


def test_taxonomy_and_terms(client, school_support):
    taxonomy = client.get(url("taxonomy", id=hsds.TAXONOMY_ID))
    term = client.get(url("taxonomy_term", id=school_support.hsds_id))

    assert taxonomy.status_code == 200
    assert_valid(taxonomy.json(), "taxonomy.json")
    assert taxonomy.json()["name"] == "rete-famiglie-categorie"
    assert term.status_code == 200
    assert_valid(term.json(), "taxonomy_term.json")
    assert term.json()["taxonomy_id"] == str(hsds.TAXONOMY_ID)
    assert term.json()["code"] == "sostegno-scolastico"


def test_taxonomy_term_knows_its_parent(client, school_support):
    child = Category.objects.create(
        name="Compiti", slug="compiti", parent=school_support
    )

    data = client.get(url("taxonomy_term", id=child.hsds_id)).json()
    children = client.get(
        url("taxonomy_terms") + f"?parent_id={school_support.hsds_id}"
    ).json()

    assert data["parent_id"] == str(school_support.hsds_id)
    assert ids(children) == [str(child.hsds_id)]


# ------------------------------------------------------------------------------
# Paging and filters
# ------------------------------------------------------------------------------


def test_paging(client, catalogue):
    first = client.get(url("services") + "?per_page=1").json()
    second = client.get(url("services") + "?per_page=1&page=2").json()
    beyond = client.get(url("services") + "?per_page=1&page=99999999999999999999")

    assert first["total_items"] == 2
    assert first["total_pages"] == 2
    assert (first["first_page"], first["last_page"], first["size"]) == (True, False, 1)
    assert (second["first_page"], second["last_page"]) == (False, True)
    assert second["page_number"] == 2
    assert ids(first) != ids(second)
    assert beyond.status_code == 200
    assert beyond.json()["empty"] is True
    assert beyond.json()["contents"] == []


@pytest.mark.parametrize(
    "query", ["?page=0", "?page=x", "?per_page=-1", "?minimal=perhaps", "?format=xml"]
)
def test_unreadable_parameters_answer_400(client, query):
    response = client.get(url("services") + query)

    assert response.status_code == 400
    assert response.json()["detail"]


def test_search(client, catalogue):
    page = client.get(url("services") + "?search=doposcuola").json()

    assert ids(page) == [str(catalogue["full"].hsds_id)]


def test_filter_by_taxonomy_term(client, catalogue, school_support):
    page = client.get(
        url("services") + f"?taxonomy_term_id={school_support.hsds_id}"
    ).json()
    unknown = client.get(url("services") + f"?taxonomy_term_id={uuid.uuid4()}").json()
    other_taxonomy = client.get(url("services") + f"?taxonomy_id={uuid.uuid4()}")

    assert ids(page) == [str(catalogue["full"].hsds_id)]
    assert unknown["total_items"] == 0
    assert other_taxonomy.json()["total_items"] == 0


def test_filter_by_organization(client, catalogue):
    plain = catalogue["plain"]

    page = client.get(
        url("services") + f"?organization_id={plain.organisation.hsds_id}"
    ).json()
    places = client.get(
        url("service_at_locations") + f"?organization_id={plain.organisation.hsds_id}"
    ).json()

    assert ids(page) == [str(plain.hsds_id)]
    assert [item["service_id"] for item in places["contents"]] == [str(plain.hsds_id)]


def test_filter_by_modification_time(client, catalogue):
    Service.objects.filter(pk=catalogue["plain"].pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )

    page = client.get(url("services") + "?modified_after=2021-01-01T00:00:00Z").json()

    assert ids(page) == [str(catalogue["full"].hsds_id)]


def test_filter_by_postcode(client, catalogue):
    page = client.get(url("service_at_locations") + "?postcode=55100").json()
    none = client.get(url("service_at_locations") + "?postcode=00100").json()

    assert page["total_items"] == 2
    assert none["total_items"] == 0


def test_minimal_services(client, catalogue):
    page = client.get(url("services") + "?minimal=true").json()

    assert_valid_page(page, "compiled/service_list.json")
    assert set(page["contents"][0]) == {"id", "name", "status", "last_modified"}


# ------------------------------------------------------------------------------
# What is never shown; errors
# ------------------------------------------------------------------------------


def test_drafts_never_appear(client, catalogue):
    draft = catalogue["draft"]
    at = draft.service_at_locations.get()

    services = client.get(url("services") + "?search=doposcuola&per_page=200").json()
    places = client.get(url("service_at_locations") + "?per_page=200").json()
    organisation = client.get(url("organization", id=draft.organisation.hsds_id))

    assert str(draft.hsds_id) not in ids(services)
    assert str(at.hsds_id) not in ids(places)
    assert client.get(url("service", id=draft.hsds_id)).status_code == 404
    assert client.get(url("service_at_location", id=at.hsds_id)).status_code == 404
    names = [service["name"] for service in organisation.json()["services"]]
    assert "Doposcuola in preparazione" not in names


@pytest.mark.parametrize(
    "name",
    ["service", "organization", "service_at_location", "taxonomy", "taxonomy_term"],
)
@pytest.mark.parametrize("id", ["not-a-uuid", str(uuid.uuid4())])
def test_unknown_ids_answer_json_404(client, name, id):
    response = client.get(url(name, id=id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_unknown_endpoint_answers_json_404(client):
    response = client.get("/api/hsds/programs")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_api_is_readable_from_any_origin(client, catalogue):
    for address in [
        "/api/hsds/",
        url("services"),
        url("service", id=catalogue["full"].hsds_id),
        url("service", id="nope"),
        url("services") + "?page=0",
        "/api/openapi.json",
    ]:
        assert client.get(address)["Access-Control-Allow-Origin"] == "*", address


def test_writes_are_refused(client):
    assert client.post(url("services")).status_code == 405


# ------------------------------------------------------------------------------
# Constant queries
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/api/hsds/services",
        "/api/hsds/services?full=true",
        "/api/hsds/services?search=servizio",
        "/api/hsds/service_at_locations?full=true",
        "/api/hsds/organizations?full=true&full_service=true",
        "/api/hsds/taxonomy_terms",
    ],
)
def test_lists_keep_a_constant_number_of_queries(client, address):
    organisation = OrganisationFactory()

    def make(count):
        for index in range(count):
            ServiceFactory(
                organisation=organisation,
                weekdays=[0, 3],
                categories=[CategoryFactory(slug=f"categoria-{index % 4}")],
            )

    assert_constant_queries(client, address, make)


# ------------------------------------------------------------------------------
# OpenAPI document, schemas, documentation page
# ------------------------------------------------------------------------------


def test_openapi_document_points_at_this_site(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "http://testserver/api/hsds"}]
    text = response.content.decode()
    assert "raw.githubusercontent.com" not in text
    assert "http://testserver/api/schema/compiled/service.json" in text
    detail = document["paths"]["/service_at_locations/{id}"]["get"]
    schema = detail["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/compiled/service_at_location.json")


def test_schemas_are_served(client):
    compiled = client.get("/api/schema/compiled/service.json")
    term = client.get("/api/schema/taxonomy_term.json")

    assert compiled.status_code == 200
    assert compiled.json()["required"] == ["id", "name", "status"]
    assert term.status_code == 200
    assert client.get("/api/schema/../settings.py").status_code == 404
    assert client.get("/api/schema/compiled/tabular.json").status_code == 404


def test_docs_page_lists_every_endpoint(client, catalogue):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    content = response.content.decode()
    for path in ["/services", "/organizations/{id}", "/taxonomy_terms"]:
        assert f"GET /api/hsds{path}</code>" in content
    assert f'href="/api/hsds/services/{catalogue["full"].hsds_id}"' in content
    # Unprefixed pages are in the default language, Italian.
    assert "Creative Commons Attribuzione - Condividi allo stesso modo 4.0" in content
    assert "<script>" not in content


@time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_schedules_give_the_summer_offset(client, catalogue):
    data = client.get(url("service", id=catalogue["full"].hsds_id)).json()

    assert data["service_at_locations"][0]["schedules"][0]["timezone"] == 2


# ------------------------------------------------------------------------------
# Answers come from the shared cache until the catalogue changes
# ------------------------------------------------------------------------------


def test_a_repeated_request_is_answered_from_the_cache_with_its_headers(
    client, catalogue, django_assert_num_queries
):
    first = client.get(url("services"))
    with django_assert_num_queries(0):
        again = client.get(url("services"))
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json"
    assert again["Access-Control-Allow-Origin"] == "*"


def test_an_edit_shows_in_the_next_answer(client, catalogue):
    assert "Ludoteca Sant'Anna" in str(client.get(url("services")).json())
    catalogue["plain"].status = Publishable.Status.DRAFT
    catalogue["plain"].save()
    assert "Ludoteca Sant'Anna" not in str(client.get(url("services")).json())

"""The Open Referral examples of HSDS 3.0 import, and come back through the API.

The examples (``fixtures/hsds-3.0-examples``, see its README) are imported with
the real importer into the real database, then read back from the HSDS API
views. Every field the catalogue holds must come back as it went in;
everything else must be reported as not kept, and be exactly what
``NOT_HELD`` and ``VALUES_NOT_KEPT`` say.
"""

import csv
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from retefamiglie.api.importer import import_hsds
from retefamiglie.directory.models import (
    Category,
    Location,
    OpeningHours,
    Service,
    ServiceAtLocation,
)
from retefamiglie.network.models import Organisation

from .schemas import assert_valid

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "fixtures" / "hsds-3.0-examples"
JSON_EXAMPLES = [
    "service_full.json",
    "organization_full.json",
    "service_at_location_full.json",
    "service_list.json",
    "organization_list.json",
    "taxonomy_term_list.json",
]
CSV_PACKAGE = EXAMPLES / "csv"

SERVICE = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
PLACE = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
TERM = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
SCHEDULE = "48102e86-bb50-41c4-8f1e-e269368c41d1"
COST = "1fdf4d39-3d80-484d-9f92-a8ffa08621e7"

# What the catalogue does not hold, by HSDS object: the import reports these
# fields as not kept and the API does not give them back. Adding support for
# one makes these tests fail until it leaves this list.
NOT_HELD = {
    "service": {
        "alternate_name",
        "additional_urls",  # HSDS 3.1, in the *_full examples
        "interpretation_services",
        "wait_time",
        "fees",
        "accreditations",
        "assured_date",
        "assurer_email",
        "licenses",
        "alert",
        "last_modified",  # the API gives the catalogue's own
        "program",
        "program_id",
        "service_areas",
        "funding",
        "required_documents",
        "contacts",
        "metadata",
    },
    "organization": {
        "alternate_name",
        "additional_websites",  # HSDS 3.1, in the *_full examples
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",  # the API gives the catalogue's type of member
        "logo",
        "uri",
        "parent_organization_id",
        "funding",
        "contacts",
        "programs",
        "organization_identifiers",
    },
    "service_at_location": {"contacts", "phones"},
    "location": {
        "url",
        "alternate_name",
        "description",
        "transportation",
        "external_identifier",
        "external_identifier_type",
        "languages",
        "contacts",
        "phones",
        "schedules",
    },
    # One address per place: street, postcode, town (the API adds the rest).
    "address": {
        "id",
        "attention",
        "address_2",
        "region",
        "state_province",
        "country",
        "address_type",
    },
    "accessibility": {"id", "details", "url"},
    "phone": {
        "id",
        "extension",
        "type",
        "description",
        "languages",
        "location_id",
        "contact_id",
        "service_at_location_id",
    },
    "language": {"id", "name", "note", "location_id", "phone_id"},
    "cost_option": {
        "id",
        "option",
        "currency",
        "amount_description",
        "valid_from",
        "valid_to",
    },
    "attribute": {"id", "link_type", "link_entity", "value"},
    "taxonomy_term": {
        "taxonomy",
        "taxonomy_detail",
        "taxonomy_id",
        "language",
        "term_uri",
    },
}
# Fields the catalogue holds, but not the values the examples give them.
VALUES_NOT_KEPT = {
    # Latitude 100, longitude 101 is no point on Earth.
    ("location", LOCATION, "latitude"),
    ("location", LOCATION, "longitude"),
    # 35 gbp: the catalogue keeps only that the service is not free.
    ("cost_option", COST, "amount"),
    # Its parent term is in none of the examples.
    ("taxonomy_term", TERM, "parent_id"),
    # byweekno, bymonthday, byyearday: no weekly opening time.
    ("schedule", SCHEDULE, "*"),
}
# Of the CSV package, the rows no imported object holds: they point to ids in
# no other table, or belong to tables the catalogue does not hold.
CSV_LEFT_OUT = {
    ("service_at_location", PLACE, "*"),
    ("location", LOCATION, "*"),
    ("address", "74706e55-df26-4b84-80fe-ecc30b5befb4", "*"),
    ("accessibility", "afcf296e-1cb2-4139-9c88-33d587d1a50b", "*"),
    ("schedule", SCHEDULE, "*"),
    ("attribute", "ae58cc39-8b70-4ab1-8aea-786882e5ac8e", "*"),
    ("contact", "1e7efce3-639b-4880-940c-b95cd30cdb50", "*"),
    ("funding", "1f2df32c-bf08-4b8e-bd6f-e834014b19bc", "*"),
    ("metadata", "6cd71e9f-1013-49d9-8370-26b8f59d3e5a", "*"),
    ("meta_table_description", "c11af60b-a394-4e53-9943-324dda2d17a1", "*"),
    ("organization_identifier", "d4dbcebc-0802-47cb-8651-b937ac4f2f3e", "*"),
    ("program", "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42", "*"),
    ("required_document", "f6ad7e69-b9c8-42ce-92db-92cedb4c05c0", "*"),
    ("service_area", "381c64f1-a724-4884-9c21-ac96c21cca3e", "*"),
}
# The CSV tables the catalogue reads rows of, by HSDS object.
CSV_TABLES = {
    "service": "services.csv",
    "organization": "organizations.csv",
    "phone": "phones.csv",
    "language": "languages.csv",
    "cost_option": "cost_options.csv",
    "taxonomy_term": "taxonomy_terms.csv",
}

# HSDS objects nested in others, by field.
CHILDREN = {
    "service": {
        "organization": "organization",
        "phones": "phone",
        "languages": "language",
        "cost_options": "cost_option",
        "service_at_locations": "service_at_location",
        "attributes": "attribute",
        "schedules": "schedule",
    },
    "organization": {"phones": "phone", "locations": "location", "services": "service"},
    "service_at_location": {
        "location": "location",
        "schedules": "schedule",
        "service": "service",
    },
    "location": {"addresses": "address", "accessibility": "accessibility"},
    "attribute": {"taxonomy_term": "taxonomy_term"},
}
# Objects compared on their own (their ids are the input's); the others are
# compared as part of the object holding them.
OWN = ("service", "organization", "service_at_location", "location", "taxonomy_term")


def empty(value: Any) -> bool:
    return value in (None, "", [], {})


def objects(kind: str, data: dict) -> Iterator[tuple[str, dict]]:
    """``data`` and every object nested in it that the catalogue holds."""
    yield kind, data
    for name, value in data.items():
        child = CHILDREN.get(kind, {}).get(name)
        if child is None or name in NOT_HELD[kind] or empty(value):
            continue
        for item in value if isinstance(value, list) else [value]:
            yield from objects(child, item)


def top_level(path: Path) -> list[tuple[str, dict]]:
    """The objects of an example file, with their kind."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get("contents", [data])
    # The file names say the kind: service_full.json, taxonomy_term_list.json, …
    kind = path.stem.removesuffix("_full").removesuffix("_list")
    return [(kind, item) for item in items]


def left_out_whole(kind: str, data: dict) -> bool:
    return (kind, data.get("id"), "*") in VALUES_NOT_KEPT


def expected_not_kept(found: list[tuple[str, dict]]) -> set[tuple[str, str, str]]:
    """What the report must list for these objects, from the two constants."""
    expected = set()
    for kind, data in found:
        if left_out_whole(kind, data):
            expected.add((kind, data["id"], "*"))
            continue
        for name, value in data.items():
            if empty(value):
                continue
            if (
                name in NOT_HELD[kind]
                or (kind, data.get("id"), name) in VALUES_NOT_KEPT
            ):
                expected.add((kind, data.get("id") or "", name))
    return expected


def all_objects(path: Path) -> list[tuple[str, dict]]:
    return [found for kind, data in top_level(path) for found in objects(kind, data)]


# ------------------------------------------------------------------------------
# Reading back through the API
# ------------------------------------------------------------------------------

ENDPOINTS = {
    "service": ("/api/hsds/services/{}", "compiled/service.json"),
    "organization": (
        "/api/hsds/organizations/{}?full_service=true",
        "compiled/organization.json",
    ),
    "service_at_location": (
        "/api/hsds/service_at_locations/{}",
        "compiled/service_at_location.json",
    ),
    "taxonomy_term": ("/api/hsds/taxonomy_terms/{}", "taxonomy_term.json"),
}


def export(client, found: list[tuple[str, dict]]) -> dict[tuple[str, str], dict]:
    """The API's document for each object of the input that has its own id,
    each validated against its HSDS schema."""
    documents: dict[tuple[str, str], dict] = {}
    for kind, data in found:
        if kind not in ENDPOINTS or left_out_whole(kind, data):
            continue
        url, schema = ENDPOINTS[kind]
        response = client.get(url.format(data["id"]))
        assert response.status_code == 200, (kind, data["id"], response.content)
        assert_valid(response.json(), schema)
        documents[kind, data["id"]] = response.json()
    # A location has no endpoint: it is served inside what uses it.
    for (kind, _id), document in list(documents.items()):
        places = []
        if kind == "service_at_location":
            places = [document["location"]]
        elif kind == "organization":
            places = document["locations"]
        for place in places:
            documents.setdefault(("location", place["id"]), place)
    return documents


def normal(value: Any) -> Any:
    # A number may be written 12 or 12.0.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def project(kind: str, data: dict, like: dict | None = None) -> dict[str, Any]:
    """The fields of ``data`` the catalogue holds, in a comparable shape.

    Objects with an id of their own are given by id (they are compared on
    their own); other nested objects by their own held fields. ``like``: a
    projection of the input, whose fields (and nested fields) to take.
    """
    names = like.keys() if like is not None else data.keys()
    out: dict[str, Any] = {}
    for name in names:
        value = data.get(name)
        if like is None and (
            empty(value)
            or name in NOT_HELD[kind]
            or (kind, data.get("id"), name) in VALUES_NOT_KEPT
        ):
            continue
        child = CHILDREN.get(kind, {}).get(name)
        if child is None:
            out[name] = normal(value)
            continue
        items = [] if empty(value) else value if isinstance(value, list) else [value]
        items = [item for item in items if not left_out_whole(child, item)]
        if child in OWN:
            out[name] = sorted(item["id"] for item in items)
        else:
            shape = like[name][0] if like and like[name] else None
            # The order of related objects carries no meaning in HSDS.
            out[name] = sorted(
                (project(child, item, shape) for item in items),
                key=lambda item: json.dumps(item, sort_keys=True),
            )
    return out


def assert_comes_back(found: list[tuple[str, dict]], documents: dict) -> None:
    for kind, data in found:
        if kind not in OWN or left_out_whole(kind, data):
            continue
        given = project(kind, data)
        back = project(kind, documents[kind, data["id"]], like=given)
        assert back == given, (kind, data["id"])


# ------------------------------------------------------------------------------
# JSON examples
# ------------------------------------------------------------------------------


def table_sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Location,
            Service,
            ServiceAtLocation,
            OpeningHours,
            Category,
        )
    }


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_example_imports_and_reports_what_is_not_kept(name):
    """Nothing is refused; the report lists exactly what the catalogue lacks."""
    path = EXAMPLES / name

    report = import_hsds(path)

    assert report.refused == []
    assert report.created
    assert report.ignored_keys() == expected_not_kept(all_objects(path))


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_example_comes_back_through_the_api(client, name):
    """Every field the catalogue holds is served as the example gave it."""
    path = EXAMPLES / name
    import_hsds(path)
    found = all_objects(path)

    documents = export(client, found)

    assert_comes_back(found, documents)


@pytest.mark.parametrize("name", [*JSON_EXAMPLES, "csv"])
def test_importing_an_example_twice_changes_nothing(name):
    """The second run creates and updates nothing; its report says so."""
    first = import_hsds(EXAMPLES / name)
    sizes = table_sizes()
    out = StringIO()

    call_command("import_hsds", str(EXAMPLES / name), stdout=out, stderr=StringIO())

    assert table_sizes() == sizes
    rows = [line.split() for line in out.getvalue().splitlines()[1:6]]
    assert [row[1:3] for row in rows] == [["0", "0"]] * 5
    unchanged = sum(int(row[3]) for row in rows)
    assert unchanged == len(first.created) + len(first.unchanged)
    assert "refused records: 0" in out.getvalue()


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_the_export_imported_again_gives_the_same_export(client, tmp_path, name):
    """The API's documents, imported, change nothing and are served the same."""
    path = EXAMPLES / name
    import_hsds(path)
    found = all_objects(path)
    documents = export(client, found)
    again = tmp_path / "export.json"
    again.write_text(
        json.dumps(
            [doc for (kind, _id), doc in documents.items() if kind != "location"]
        )
    )

    report = import_hsds(again)

    assert report.refused == []
    assert report.created == []
    assert report.updated == []
    assert export(client, found) == documents


def test_command_tells_the_operator_what_is_not_kept():
    """Each object not kept in full has a line naming it and what is lost."""
    out = StringIO()
    with translation.override("en"):
        call_command(
            "import_hsds",
            str(EXAMPLES / "service_list.json"),
            stdout=out,
            stderr=StringIO(),
        )

    lines = out.getvalue().splitlines()
    assert (
        f"  not kept: service {SERVICE} (Community Counselling): alternate_name, "
        "interpretation_services, wait_time, fees, accreditations, assured_date, "
        "assurer_email, licenses, alert, last_modified, program: "
        "the catalogue has no place for these fields"
    ) in lines
    # 100 years is kept: "adults too".
    assert not any("maximum_age" in line for line in lines)
    assert (
        f"  not kept: organization {ORGANIZATION} (Example Organization Inc.): "
        "alternate_name, tax_status, year_incorporated, legal_status, logo, uri, "
        "parent_organization_id: the catalogue has no place for these fields"
    ) in lines
    assert "1 records imported." in lines[-1]


def test_service_example_keeps_what_the_catalogue_holds():
    """The mapped values, as the catalogue holds them."""
    import_hsds(EXAMPLES / "service_full.json")

    service = Service.objects.get(hsds_id=SERVICE)
    assert service.status == Service.Status.PUBLISHED
    assert (service.age_min, service.age_max) == (12, 100)
    assert not service.is_free
    assert service.cost_description.startswith("Non-NHS patients are expected to pay")
    assert service.languages == ["ur"]
    assert service.phone == '"+44 1234 234567"'
    assert service.description.endswith("circumstances. ")
    assert [c.slug for c in service.categories.all()] == ["code"]
    (place,) = service.service_at_locations.all()
    assert not place.opening_hours.exists()
    location = place.location
    assert (location.address, location.postal_code, location.city) == (
        "1-30 Main Street",
        "ABC 1234",
        "MyCity",
    )
    assert (location.latitude, location.longitude) == (None, None)
    assert location.organisation.name == "Example Organization Inc."


# ------------------------------------------------------------------------------
# The CSV data package
# ------------------------------------------------------------------------------

NUMBERS = {"minimum_age", "maximum_age", "amount", "latitude", "longitude"}


def csv_rows(kind: str) -> list[dict]:
    """The rows of a table as HSDS objects (numbers as numbers)."""
    with (CSV_PACKAGE / CSV_TABLES[kind]).open(encoding="utf-8", newline="") as f:
        return [
            {
                name: float(value) if name in NUMBERS and value else value
                for name, value in row.items()
            }
            for row in csv.DictReader(f)
        ]


def csv_objects() -> list[tuple[str, dict]]:
    return [(kind, row) for kind in CSV_TABLES for row in csv_rows(kind)]


def test_csv_package_imports_and_reports_what_is_not_kept():
    """A folder of CSV tables without datapackage.json imports; every row not
    held, and every field not kept, is in the report."""
    report = import_hsds(CSV_PACKAGE)

    assert report.refused == []
    assert {(o.kind, o.hsds_id) for o in report.created} == {
        ("organization", ORGANIZATION),
        ("service", SERVICE),
        ("taxonomy_term", TERM),
    }
    expected = expected_not_kept(csv_objects()) | CSV_LEFT_OUT
    assert report.ignored_keys() == expected


def test_csv_package_comes_back_through_the_api(client):
    """Rows of services, organizations and terms come back as their documents;
    phones and languages within the service and organization holding them."""
    import_hsds(CSV_PACKAGE)
    found = csv_objects()
    documents = export(client, found)
    owners = {"service_id": "service", "organization_id": "organization"}

    for kind, row in found:
        if kind in OWN:
            given = project(kind, row)
            assert project(kind, documents[kind, row["id"]], like=given) == given
            continue
        given = {k: v for k, v in project(kind, row).items() if k not in owners}
        for link, owner in owners.items():
            if row.get(link) and kind in CHILDREN[owner].values():
                field = next(f for f, k in CHILDREN[owner].items() if k == kind)
                served = documents[owner, row[link]][field]
                assert given in [project(kind, item, like=given) for item in served]


def test_an_upper_age_of_100_comes_back_from_the_api(client):
    """HSDS data says 100 for "adults too": the catalogue keeps it, the API gives
    it back, and a search by a young person's age still finds the service."""
    import_hsds(EXAMPLES / "service_full.json")
    data = client.get(f"/api/hsds/services/{SERVICE}").json()
    assert (data["minimum_age"], data["maximum_age"]) == (12, 100)
    service = Service.objects.get(hsds_id=SERVICE)
    assert service.adults_too

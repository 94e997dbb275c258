"""Importing HSDS 3.0 data: shapes of input, idempotency, refusals, round trip."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from retefamiglie.api.importer import (
    ImportReport,
    import_hsds,
    import_records,
    summary_from,
)
from retefamiglie.directory.models import (
    Category,
    Location,
    OpeningHours,
    Service,
    ServiceAtLocation,
)
from retefamiglie.network.models import Organisation

DATA = Path(__file__).parent / "data"
SERVICE = DATA / "service.json"
SERVICES = DATA / "services.json"
BAD = DATA / "bad.json"
PACKAGE_DIR = DATA / "package"
PACKAGE_JSON = DATA / "package.json"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The report's reasons are in the active language; these tests read English."""
    from django.utils import translation

    with translation.override("en"):
        yield


def counts(report: ImportReport, kind: str) -> tuple[int, int, int]:
    n = report.counts()[kind]
    return n["created"], n["updated"], n["unchanged"]


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


def hours_of(sal: ServiceAtLocation) -> set[tuple[int, dt.time, dt.time]]:
    return set(sal.opening_hours.values_list("weekday", "opens_at", "closes_at"))


def test_single_service_object_maps_every_supported_field():
    """One HSDS service with nested objects becomes a published service."""
    report = import_hsds(SERVICE)
    original = json.loads(SERVICE.read_text())

    service = Service.objects.get(hsds_id=original["id"])
    assert service.name == "Ludoteca pomeridiana"
    assert service.description == original["description"]
    assert service.summary == (
        "Uno spazio di gioco libero e guidato per bambine e bambini dai 3 ai 10 anni."
    )
    assert service.url == original["url"]
    assert service.email == original["email"]
    assert service.eligibility == original["eligibility_description"]
    assert (service.age_min, service.age_max) == (3, 10)
    assert service.is_free
    assert service.cost_description == "Gratuito per tutte le famiglie."
    assert service.languages == ["it", "ar"]
    assert service.phone == "+39 0583 654321"
    assert service.how_to_access == original["application_process"]
    assert service.status == Service.Status.PUBLISHED
    assert service.slug == "ludoteca-pomeridiana"
    assert not service.is_demo

    org = service.organisation
    assert str(org.hsds_id) == original["organization"]["id"]
    assert org.name == "Associazione Ludoteca Il Giocattolo"
    assert org.type == Organisation.Type.THIRD_SECTOR
    assert org.phone == "+39 0583 123456"
    assert org.website == "https://ludotecailgiocattolo.example.org"
    assert not org.is_demo

    fillungo = service.service_at_locations.get(location__name__contains="Fillungo")
    assert fillungo.description == "Sede principale."
    place = fillungo.location
    assert (place.address, place.postal_code, place.city) == (
        "Via Fillungo 120",
        "55100",
        "Lucca",
    )
    assert (place.latitude, place.longitude) == (Decimal("43.845"), Decimal("10.5045"))
    assert place.accessibility == "Ingresso senza gradini, bagno accessibile."
    assert hours_of(fillungo) == {
        (0, dt.time(16), dt.time(19)),
        (2, dt.time(16), dt.time(19)),
        (5, dt.time(9, 30), dt.time(12, 30)),
    }
    # A location without organization_id belongs to the service's organisation.
    santanna = service.service_at_locations.exclude(pk=fillungo.pk).get()
    assert santanna.location.organisation == org
    assert hours_of(santanna) == {(3, dt.time(16, 30), dt.time(18, 30))}

    assert counts(report, "organization") == (1, 0, 0)
    assert counts(report, "location") == (2, 0, 0)
    assert counts(report, "service") == (1, 0, 0)
    assert counts(report, "service_at_location") == (2, 0, 0)
    assert report.refused == []


def test_taxonomy_terms_reuse_a_category_of_the_same_name():
    """A term named like a seeded category reuses it; a new name creates one."""
    seeded = Category.objects.get(slug="gioco-tempo-libero")
    before = Category.objects.count()

    report = import_hsds(SERVICE)

    service = Service.objects.get(name="Ludoteca pomeridiana")
    new = Category.objects.get(name="Laboratori creativi")
    assert set(service.categories.all()) == {seeded, new}
    assert new.slug == "laboratori-creativi"
    assert new.description == "Attività manuali e artistiche."
    assert Category.objects.count() == before + 1
    # The reused category keeps its own id.
    assert (
        str(seeded.hsds_id)
        != json.loads(SERVICE.read_text())["attributes"][1]["taxonomy_term_id"]
    )
    assert counts(report, "taxonomy_term") == (1, 0, 1)


def test_list_of_services_shares_the_organization():
    """A list imports every service; one refers to the organization by id."""
    report = import_hsds(SERVICES)

    assert Organisation.objects.filter(name="Mamme in rete APS").count() == 1
    spazio = Service.objects.get(name="Spazio mamme e bebè")
    banco = Service.objects.get(name="Banco dei pannolini")
    assert spazio.organisation == banco.organisation
    # Fractions of a year widen the range; unknown language codes are dropped.
    assert (spazio.age_min, spazio.age_max) == (0, 2)
    assert spazio.languages == ["it"]
    assert not spazio.is_free
    assert spazio.cost_description == "30 EUR Quota mensile"
    # Only the weekly schedule becomes opening hours.
    (sal,) = spazio.service_at_locations.all()
    assert hours_of(sal) == {(1, dt.time(10), dt.time(11, 30))}
    # Not "active": kept as a draft. "Gratis" in the fees: free.
    assert banco.status == Service.Status.DRAFT
    assert banco.is_free
    # Both services share the place.
    assert banco.service_at_locations.get().location == sal.location

    assert counts(report, "service") == (2, 0, 0)
    assert counts(report, "organization") == (1, 0, 0)
    assert counts(report, "location") == (1, 0, 0)
    assert any("de" in note for note in report.notes)
    assert any("weekly" in note for note in report.notes)


def test_data_package_folder_of_csv_files():
    """A folder with datapackage.json and CSV tables imports like nested JSON."""
    report = import_hsds(PACKAGE_DIR)

    org = Organisation.objects.get(name="Istituto comprensivo Lucca 2")
    assert org.phone == "+39 0583 111222"
    pre = Service.objects.get(name="Pre-scuola")
    estivo = Service.objects.get(name="Centro estivo")
    assert pre.organisation == estivo.organisation == org
    assert (pre.age_min, pre.age_max) == (6, 11)
    assert pre.phone == "+39 0583 111333"
    assert pre.languages == ["it"]
    assert pre.how_to_access == "Domanda in segreteria entro settembre."
    assert pre.summary == "Accoglienza dalle 7:30 prima dell'inizio delle lezioni."
    assert not pre.is_free
    assert pre.cost_description == "60 euro l'anno"
    assert estivo.is_free

    sal = pre.service_at_locations.get()
    assert sal.description == "Ingresso dal cortile."
    assert sal.location.address == "Via della Chiesa 12"
    assert sal.location.latitude == Decimal("43.831800")
    weekdays = {(d, dt.time(7, 30), dt.time(8, 20)) for d in range(5)}
    assert hours_of(sal) == weekdays
    # A schedule of the service with no place applies at each of its places.
    assert len(hours_of(estivo.service_at_locations.get())) == 5
    assert {c.slug for c in pre.categories.all()} == {"sostegno-scolastico"}
    assert {c.name for c in estivo.categories.all()} == {"Estate"}

    assert counts(report, "service") == (2, 0, 0)
    assert counts(report, "location") == (1, 0, 0)
    assert report.refused == []


def test_data_package_as_one_json_object_matches_the_csv_folder():
    """Top-level arrays per table hold the same data as the CSV folder."""
    import_hsds(PACKAGE_DIR)
    sizes = table_sizes()

    report = import_hsds(PACKAGE_JSON)

    assert table_sizes() == sizes
    assert report.created == []
    assert report.updated == []
    assert counts(report, "service") == (0, 0, 2)


@pytest.mark.parametrize("path", [SERVICE, SERVICES, PACKAGE_DIR])
def test_importing_twice_creates_nothing(path):
    """The second run of the same data creates and changes nothing."""
    first = import_hsds(path)
    sizes = table_sizes()

    second = import_hsds(path)

    assert table_sizes() == sizes
    assert second.created == []
    assert second.updated == []
    assert second.refused == []
    assert len(second.unchanged) == len(first.created) + len(first.unchanged)


def test_changed_data_updates_and_mirrors_places():
    """A changed record updates the rows; a place left out is unlinked."""
    import_hsds(SERVICE)
    data = json.loads(SERVICE.read_text())
    data["name"] = "Ludoteca del pomeriggio"
    data["service_at_locations"] = data["service_at_locations"][:1]
    data["service_at_locations"][0]["schedules"][0]["closes_at"] = "18:00"

    report = import_records([data])

    service = Service.objects.get(hsds_id=data["id"])
    assert service.name == "Ludoteca del pomeriggio"
    assert service.slug == "ludoteca-pomeridiana"  # URLs stay put
    (sal,) = service.service_at_locations.all()
    assert (0, dt.time(16), dt.time(18)) in hours_of(sal)
    assert counts(report, "service") == (0, 1, 0)
    assert counts(report, "service_at_location") == (0, 1, 0)
    assert counts(report, "organization") == (0, 0, 1)
    assert report.created == []


def test_a_service_at_location_updates_its_place_and_keeps_the_rest():
    """A service_at_location nests its service in short form: the service's
    other places, languages and categories stay as they are."""
    import_hsds(SERVICE)
    data = json.loads(SERVICE.read_text())
    place = data["service_at_locations"][0]
    short = {key: data[key] for key in ("id", "name", "status", "description")}
    record = {**place, "description": "Ingresso dal giardino.", "service": short}

    report = import_records([record])

    service = Service.objects.get(hsds_id=data["id"])
    assert service.service_at_locations.count() == 2
    assert service.service_at_locations.get(hsds_id=place["id"]).description == (
        "Ingresso dal giardino."
    )
    assert service.languages == ["it", "ar"]
    assert service.categories.count() == 2
    assert counts(report, "service_at_location") == (0, 1, 0)
    assert counts(report, "service") == (0, 0, 1)


def test_bad_records_are_refused_whole_with_a_reason():
    """Each bad record is refused; nothing of it stays; good records go in."""
    with translation.override("en"):
        report = import_hsds(BAD)

    reasons = {o.name: o.reason for o in report.refused}
    assert set(reasons) == {
        "",
        "Età rovesciate",
        "Di nessuno",
        "Id sbagliato",
        "Fuori città",
    }
    assert "name" in reasons[""]
    assert "age_max" in reasons["Età rovesciate"]
    assert "Unknown organization" in reasons["Di nessuno"]
    assert "invalid id" in reasons["Id sbagliato"]
    assert "Sede di Firenze" in reasons["Fuori città"]
    assert "city's area" in reasons["Fuori città"]
    assert all(o.kind == "service" for o in report.refused)

    assert Service.objects.filter(name="Doposcuola in biblioteca").exists()
    assert list(Service.objects.values_list("name", flat=True)) == [
        "Doposcuola in biblioteca"
    ]
    # The refused record's new organisation and place were rolled back with it.
    assert not Organisation.objects.filter(name__contains="non deve").exists()
    assert not Location.objects.exists()
    assert not ServiceAtLocation.objects.exists()
    assert counts(report, "service") == (1, 0, 0)
    assert counts(report, "organization") == (1, 0, 0)


def test_malformed_record_is_refused_and_the_others_imported():
    """A nested value of the wrong JSON type refuses only its own record."""
    good, malformed = json.loads(SERVICES.read_text())
    malformed["service_at_locations"] = "Via di Tiglio 1500"

    report = import_records([malformed, good])

    (refused,) = report.refused
    assert refused.name == "Banco dei pannolini"
    assert "Malformed record" in refused.reason
    assert list(Service.objects.values_list("name", flat=True)) == [good["name"]]


def test_summary_is_the_first_sentence_cut_to_300_characters():
    """A long first sentence is cut at a word and marked with an ellipsis."""
    long_sentence = "parola " * 80 + "fine. Seconda frase."
    summary = summary_from(long_sentence)
    assert len(summary) <= 300
    assert summary.endswith("parola…")
    assert summary_from("Prima frase! Seconda.") == "Prima frase!"


def test_report_lines_list_counts_and_refusals():
    report = import_hsds(BAD)
    text = "\n".join(report.lines())
    assert "service                    1        0          0" in text
    assert "refused records: 5" in text
    assert "refused service not-a-uuid (Id sbagliato)" in text


def test_command_prints_the_report_and_succeeds():
    out, err = StringIO(), StringIO()
    call_command("import_hsds", str(SERVICE), stdout=out, stderr=err)
    assert "1 records imported." in out.getvalue()
    assert "refused records: 0" in out.getvalue()
    assert "created service" in out.getvalue()
    assert "\rImporting 1/1" in err.getvalue()
    assert Service.objects.count() == 1


def test_command_fails_with_status_1_when_records_are_refused():
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_hsds", str(BAD), stdout=out, stderr=StringIO())
    assert raised.value.returncode == 1
    assert "5 of 6 records refused" in str(raised.value)
    assert "refused records: 5" in out.getvalue()
    assert Service.objects.count() == 1


def test_command_fails_with_status_2_on_unreadable_input(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    for path in (broken, tmp_path / "missing.json", tmp_path):
        with pytest.raises(CommandError) as raised:
            call_command("import_hsds", str(path), stdout=StringIO())
        assert raised.value.returncode == 2


def test_command_dry_run_saves_nothing():
    out = StringIO()
    call_command(
        "import_hsds", str(SERVICES), "--dry-run", stdout=out, stderr=StringIO()
    )
    assert "Dry run: nothing was saved." in out.getvalue()
    assert "service                    2" in out.getvalue()
    assert not Service.objects.exists()
    assert not Organisation.objects.filter(name="Mamme in rete APS").exists()


# Fields the catalogue keeps, compared after import then export. Left out on
# purpose: the summary (HSDS 3.0 has no field for it), derived ids of phones,
# languages, schedules and cost options, and the ids of taxonomy terms reused
# by name (their names are compared instead).
SERVICE_FIELDS = (
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "application_process",
    "fees_description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
)
ORGANIZATION_FIELDS = ("id", "name", "description", "email", "website")
LOCATION_FIELDS = ("id", "name", "latitude", "longitude")
ADDRESS_FIELDS = ("address_1", "postal_code", "city")


def comparable(service: dict) -> dict:
    """What of an HSDS service the catalogue keeps, in a comparable shape."""

    def hours(sal: dict) -> set:
        return {
            (day, s["opens_at"][:5], s["closes_at"][:5])
            for s in sal.get("schedules", [])
            for day in s["byday"].split(",")
        }

    def place(sal: dict) -> dict:
        location = sal["location"]
        address = location["addresses"][0]
        return {
            "id": sal["id"],
            "description": sal.get("description", ""),
            **{f: location.get(f) for f in LOCATION_FIELDS},
            **{f: address.get(f) for f in ADDRESS_FIELDS},
            "accessibility": [
                a.get("description") for a in location.get("accessibility", [])
            ],
            "hours": hours(sal),
        }

    return {
        **{f: service.get(f) for f in SERVICE_FIELDS},
        "organization": {
            f: service["organization"].get(f) for f in ORGANIZATION_FIELDS
        },
        "phone": service["phones"][0]["number"],
        "languages": [language["code"] for language in service["languages"]],
        "free": any(c.get("amount") == 0 for c in service["cost_options"]),
        "places": sorted((place(s) for s in service["service_at_locations"]), key=str),
        "terms": sorted(a["taxonomy_term"]["name"] for a in service["attributes"]),
    }


def test_round_trip_keeps_every_supported_field():
    """Import then export with the HSDS API gives back what the model keeps."""
    hsds = pytest.importorskip("retefamiglie.api.hsds")
    original = json.loads(SERVICE.read_text())
    import_hsds(SERVICE)

    service = Service.objects.get(hsds_id=original["id"])
    exported = hsds.service_to_hsds(service, full=True)

    assert comparable(exported) == comparable(original)
    # The export, imported again, changes nothing.
    again = import_records([json.loads(json.dumps(exported))])
    assert again.created == []
    assert again.updated == []
    assert again.refused == []


# ------------------------------------------------------------------------------
# Imported organisations are providers, not members
# ------------------------------------------------------------------------------

STANDALONE = {
    "id": "0b8f6c2e-5a1d-4e7b-9c3f-2d4e6f8a0b1c",
    "name": "Centro di ascolto Oltreserchio",
    "description": "Ascolto e orientamento per le famiglie.",
    "email": "ascolto@example.org",
    "website": "https://ascolto.example.org",
}


def test_imported_organisations_are_not_listed_as_members(client, organisation):
    """A provider, with services or without, is in the catalogue and the HSDS
    API, but not in the member directory: it never signed the pact."""
    import_hsds(SERVICE)
    import_records([STANDALONE])
    service = Service.objects.get(name="Ludoteca pomeridiana")
    provider = service.organisation
    standalone = Organisation.objects.get(hsds_id=STANDALONE["id"])

    members = client.get(reverse("network:directory"))
    page = client.get(reverse("directory:service", kwargs={"slug": service.slug}))
    listed = client.get(reverse("directory:services"))
    api = client.get(reverse("api:organizations")).json()

    assert members.status_code == page.status_code == 200
    assert organisation.name in members.content.decode()  # a member is listed
    for imported in (provider, standalone):
        assert imported.status == Organisation.Status.PROVIDER
        assert imported.name not in members.content.decode()
        profile = reverse("network:member", kwargs={"slug": imported.slug})
        assert client.get(profile).status_code == 404
        assert str(imported.hsds_id) in [o["id"] for o in api["contents"]]
    # The service is published; its page names the provider, with no link to
    # a member's profile it does not have.
    assert service.name in listed.content.decode()
    assert provider.name in page.content.decode()
    assert f'href="{provider.get_absolute_url()}"' not in page.content.decode()
    # The contacts published with the data stay public.
    detail = client.get(reverse("api:organization", kwargs={"id": standalone.hsds_id}))
    assert detail.json()["email"] == "ascolto@example.org"


def test_an_import_never_hides_a_member(client, organisation):
    """Data about a member, matched by its HSDS id, leaves it in the directory."""
    data = {
        "id": "5e2f0a1b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
        "name": "Minibasket al parco",
        "description": "Minibasket all'aperto per bambini dai 6 agli 11 anni.",
        "status": "active",
        "organization": {
            "id": str(organisation.hsds_id),
            "name": organisation.name,
            "description": "Club di servizio per lo sport.",
        },
    }

    report = import_records([data])

    assert counts(report, "organization") == (0, 1, 0)
    organisation.refresh_from_db()
    assert organisation.is_public
    assert organisation.status == Organisation.Status.ACTIVE
    assert organisation.description == "Club di servizio per lo sport."
    members = client.get(reverse("network:directory"))
    assert organisation.name in members.content.decode()

"""/dati/: the catalogue, its DCAT-AP_IT metadata, and the downloads."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.http import FileResponse, StreamingHttpResponse
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

from retefamiglie.api.tests.schemas import assert_valid_page
from retefamiglie.directory.tests.factories import EventFactory, ServiceFactory
from retefamiglie.helprequests.tests.factories import HelpRequestFactory
from retefamiglie.monitoring import services
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory
from retefamiglie.pacts.tests.factories import CommitmentFactory, SignatureFactory

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).parent / "fixtures" / "dcat-ap" / "dcat-ap.shapes.ttl"
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")


def content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content(response).decode())))


@pytest.fixture
def data(clock, organisation):
    area = AreaFactory(name="Centro", slug="centro")
    ServiceFactory(organisation=organisation, location__area=area)
    EventFactory(organisation=organisation, name="Letture al parco")
    EventFactory(organisation=organisation, name="Laboratorio di musica")
    for _ in range(6):
        HelpRequestFactory(area=area)
    HelpRequestFactory(area=AreaFactory(name="Arancio", slug="arancio"))
    CommitmentFactory(organisation=organisation)
    services.snapshots_compute()


def test_the_catalogue_lists_every_dataset_with_licence_update_and_size(client, data):
    response = client.get("/dati/")
    page = response.text
    assert response.status_code == 200
    for title in (
        "Servizi e organizzazioni (Open Referral HSDS 3.0)",
        "Eventi e attività per le famiglie",
        "Il patto di collaborazione: versioni, firme, impegni",
        "Indicatori di impatto della rete",
    ):
        assert title in page
    assert "CC BY 4.0" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "2 record" in page  # the two events
    assert "/dati/catalogo.jsonld" in page
    assert "/dati/catalogo.rdf" in page
    assert "/eventi/feed.ics" in page
    assert "/api/hsds/services" in page


def test_the_footer_leads_to_the_open_data_once_and_they_to_the_api(client):
    footer = client.get("/").text.split('<footer class="it-footer">')[1]
    assert footer.count('href="/dati/"') == 1
    assert "/api/docs/" not in footer
    catalogue = client.get("/dati/").text
    assert 'href="/api/docs/"' in catalogue
    assert client.get("/api/docs/").status_code == 200


# ------------------------------------------------------------------------------
# DCAT-AP_IT
# ------------------------------------------------------------------------------


def shapes() -> Graph:
    graph = Graph().parse(SHAPES, format="turtle")
    # The classes the shapes are named after, declared as the imported DCAT
    # vocabulary would (fixtures/dcat-ap/README.md): implicit class targets.
    for klass in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.CatalogRecord):
        graph.add((klass, RDF.type, RDFS.Class))
    return graph


def conforms(graph: Graph) -> tuple[bool, str]:
    ok, _report, text = validate(graph, shacl_graph=shapes(), inference="rdfs")
    return ok, text


@pytest.mark.parametrize(
    ("url", "format"),
    [("/dati/catalogo.jsonld", "json-ld"), ("/dati/catalogo.rdf", "xml")],
)
def test_the_catalogue_metadata_validate_against_the_dcat_ap_shapes(
    client, data, url, format
):
    response = client.get(url)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=format)
    ok, text = conforms(graph)
    assert ok, text
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 4


def test_a_catalogue_missing_a_mandatory_property_does_not_validate(client, data):
    """The validation can fail: without a dataset's title the shapes object."""
    graph = Graph().parse(
        data=client.get("/dati/catalogo.jsonld").content, format="json-ld"
    )
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.remove((dataset, DCTERMS.title, None))
    ok, text = conforms(graph)
    assert not ok
    assert "title" in text


DCATAPIT_DATASET = [
    DCTERMS.identifier,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.modified,
    DCAT.theme,
    DCTERMS.publisher,
    DCTERMS.rightsHolder,
    DCAT.contactPoint,
    DCTERMS.accrualPeriodicity,
    DCAT.distribution,
]
DCATAPIT_DISTRIBUTION = [DCTERMS.format, DCAT.accessURL, DCTERMS.license]


def test_the_catalogue_has_the_mandatory_properties_of_dcat_ap_it(client, data):
    """Our checks of DCAT-AP_IT 1.0's mandatory properties (not AgID's shapes,
    which were not available: ADR 0019)."""
    graph = Graph().parse(data=client.get("/dati/catalogo.rdf").content, format="xml")
    (catalog,) = graph.subjects(RDF.type, DCATAPIT.Catalog)
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.publisher,
        DCTERMS.modified,
    ):
        assert graph.value(catalog, prop) is not None, prop
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, DCATAPIT.Agent) in graph
    assert str(graph.value(publisher, DCTERMS.identifier)) == "c_e715"
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert datasets
    for dataset in datasets:
        assert (dataset, RDF.type, DCATAPIT.Dataset) in graph
        for prop in DCATAPIT_DATASET:
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCATAPIT.Distribution) in graph
            for prop in DCATAPIT_DISTRIBUTION:
                assert graph.value(distribution, prop) is not None, prop
            licence = graph.value(distribution, DCTERMS.license)
            assert licence == URIRef("https://creativecommons.org/licenses/by/4.0/")
            assert (licence, RDF.type, DCATAPIT.LicenseDocument) in graph


def test_every_file_the_catalogue_lists_can_be_downloaded(client, data):
    graph = Graph().parse(
        data=client.get("/dati/catalogo.jsonld").content, format="json-ld"
    )
    urls = {str(url) for url in graph.objects(None, DCAT.downloadURL)}
    assert urls
    for url in urls:
        path = url.removeprefix("http://testserver")
        response = client.get(path)
        assert response.status_code == 200, path
        content(response)


# ------------------------------------------------------------------------------
# Downloads
# ------------------------------------------------------------------------------


def test_events_csv_parses_back_to_the_published_events(client, data):
    response = client.get("/dati/eventi.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    assert sorted(row["name"] for row in rows) == [
        "Laboratorio di musica",
        "Letture al parco",
    ]
    row = rows[0]
    assert row["organisation"] == "Panathlon Club Lucca"
    assert dt.datetime.fromisoformat(row["starts_at"]).tzinfo is not None
    assert row["url"].startswith("http://testserver/eventi/")


def test_a_download_is_kept_until_the_data_change(client, data, organisation):
    first = client.get("/dati/eventi.csv")
    body = content(first)
    etag = first["ETag"]
    # Kept: the next one comes from the stored file, same bytes, same ETag.
    second = client.get("/dati/eventi.csv")
    assert isinstance(second, FileResponse)
    assert content(second) == body
    assert second["ETag"] == etag
    # A client that has it gets a 304.
    assert (
        client.get("/dati/eventi.csv", headers={"If-None-Match": etag}).status_code
        == 304
    )
    # A new event: a new file.
    EventFactory(organisation=organisation, name="Festa d'inverno")
    third = client.get("/dati/eventi.csv")
    assert third["ETag"] != etag
    assert "Festa d'inverno" in content(third).decode()


def test_an_indicator_csv_parses_back_with_withheld_cells_empty(client, data):
    response = client.get("/dati/indicatori/help_received/2026-11.csv")
    assert response.status_code == 200
    rows = rows_of(response)
    city = next(r for r in rows if r["area"] == "" and r["breakdown"] == "")
    assert (city["figure"], city["withheld"]) == ("7", "no")
    # Arancio's single request is withheld, and Centro's six with it.
    by_area = {
        r["value"]: r for r in rows if r["area"] == "" and r["breakdown"] == "area"
    }
    assert by_area["arancio"]["figure"] == ""
    assert by_area["arancio"]["withheld"] == "yes"
    assert by_area["centro"]["figure"] == ""
    assert by_area["centro"]["value_name"] == "Centro"
    # No figure of the file is below the threshold.
    for row in rows:
        if row["figure"] not in ("", "0"):
            assert int(row["figure"]) >= 5


def test_an_unknown_indicator_or_period_is_not_found(client, data):
    assert client.get("/dati/indicatori/nothing/2026-11.csv").status_code == 404
    assert client.get("/dati/indicatori/services/2026-13.csv").status_code == 404
    assert client.get("/dati/indicatori/services/1999.csv").status_code == 404


def test_the_pact_as_csv_and_json_names_unlisted_members_by_kind(client, clock):
    listed = OrganisationFactory(name="Oratorio San Paolo")
    citizen = OrganisationFactory(
        name="Maria Bianchi", type=Organisation.Type.CITIZEN, is_public=False
    )
    for member in (listed, citizen):
        SignatureFactory(organisation=member, signer_name=f"Firma di {member.name}")
        CommitmentFactory(organisation=member, due_date=dt.date(2026, 11, 1))
    signatures = rows_of(client.get("/patto/dati/firme.csv"))
    assert {r["member"] for r in signatures} == {
        "Oratorio San Paolo",
        "Un cittadino attivo",
    }
    hidden = next(r for r in signatures if r["member"] == "Un cittadino attivo")
    assert hidden["signer"] == ""
    commitments = rows_of(client.get("/patto/dati/impegni.csv"))
    assert len(commitments) == 2
    assert {r["late"] for r in commitments} == {"yes"}
    versions = rows_of(client.get("/patto/dati/versioni.csv"))
    assert [(r["number"], r["signatures"]) for r in versions] == [("1", "2")]
    document = json.loads(client.get("/patto/dati/patto.json").content)
    assert "Maria Bianchi" not in json.dumps(document)
    assert len(document["commitments"]) == 2
    assert sum(len(v["signatures"]) for v in document["versions"]) == 2


def test_the_hsds_distribution_validates_against_the_compiled_schemas(client, data):
    """The catalogue's HSDS files are the API's own lists: what it lists
    validates against the compiled HSDS 3.0 schemas."""
    for path, schema in (
        ("/api/hsds/services", "compiled/service_list.json"),
        ("/api/hsds/organizations", "compiled/organization_list.json"),
    ):
        page = json.loads(client.get(path).content)
        assert page["contents"], path
        assert_valid_page(page, schema)

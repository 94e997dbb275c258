"""The HSDS CSV data package: every table parses back, and the importer reads
the package as the API's own records."""

import csv
import io
import json

import pytest

from retefamiglie.api import hsds_input
from retefamiglie.api.datapackage import TABLES, columns, file_name

from .test_hsds_api import catalogue, school_support  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/api/hsds-csv/"
# Tables the test catalogue fills (phones, costs and accessibility may be empty).
FILLED = {
    "organization",
    "service",
    "location",
    "service_at_location",
    "schedule",
    "attribute",
    "taxonomy_term",
}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_the_descriptor_lists_every_table_with_its_columns(client, catalogue):  # noqa: F811
    response = client.get(BASE + "datapackage.json")
    assert response.status_code == 200
    package = response.json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    names = [resource["name"] for resource in package["resources"]]
    assert names == list(TABLES)
    service = next(r for r in package["resources"] if r["name"] == "service")
    fields = [field["name"] for field in service["schema"]["fields"]]
    assert fields[:3] == ["id", "organization_id", "program_id"]


def test_every_table_parses_back_and_the_package_reads_as_the_api_serves(
    client,
    catalogue,  # noqa: F811
    tmp_path,
):
    package = client.get(BASE + "datapackage.json").json()
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    for resource in package["resources"]:
        response = client.get(BASE + resource["path"])
        assert response.status_code == 200, resource["path"]
        text = body(response)
        rows = list(csv.DictReader(io.StringIO(text)))
        if resource["name"] in FILLED:
            assert rows, resource["name"]
        header = next(csv.reader(io.StringIO(text)))
        assert header == list(columns()[resource["name"]])
        (tmp_path / resource["path"]).write_text(text, encoding="utf-8")

    tables = hsds_input.read_tables(tmp_path)
    services = {row["name"] for row in tables["service"]}
    api = client.get("/api/hsds/services").json()
    assert services == {item["name"] for item in api["contents"]}
    assert {row["id"] for row in tables["organization"]} == {
        item["organization_id"] for item in api["contents"]
    }
    # Schedules and places come along, each once.
    ids = [row["id"] for row in tables["schedule"]]
    assert ids
    assert len(ids) == len(set(ids))
    records = hsds_input.records_from_tables(tables).records
    assert {r["name"] for r in records if r.get("status")} >= services


def test_an_unknown_table_is_not_found(client):
    assert client.get(BASE + "nothing.csv").status_code == 404


def test_file_names_follow_hsds():
    assert file_name("service") == "services.csv"
    assert file_name("accessibility") == "accessibility.csv"

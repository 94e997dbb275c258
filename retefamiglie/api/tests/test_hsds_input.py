"""Reading data packages: a table is found under either of its names.

HSDS 3.0 names each object in the singular (``address``, the resource name of
its data package) and its file in the plural (``addresses.csv``, the
``path`` of its schema); publishers use both. The official examples are copied
under other names into ``tmp_path``; the fixtures are never changed.
"""

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from django.utils import translation

from retefamiglie.api.hsds_input import HsdsInput, load_hsds, read_tables
from retefamiglie.api.importer import import_hsds

pytestmark = pytest.mark.django_db

CSV_PACKAGE = Path(__file__).parent / "fixtures" / "hsds-3.0-examples" / "csv"

# Every table of HSDS 3.0, by object name, with the file its schema names
# (``path``); then the tables HSDS 3.1 adds. ``service_at_locations`` is no
# HSDS name but the plural publishers write.
TABLE_FILES = {
    "accessibility": "accessibility.csv",
    "address": "addresses.csv",
    "attribute": "attributes.csv",
    "contact": "contacts.csv",
    "cost_option": "cost_options.csv",
    "funding": "funding.csv",
    "language": "languages.csv",
    "location": "locations.csv",
    "meta_table_description": "meta_table_descriptions.csv",
    "metadata": "metadata.csv",
    "organization": "organizations.csv",
    "organization_identifier": "organization_identifiers.csv",
    "phone": "phones.csv",
    "program": "programs.csv",
    "required_document": "required_documents.csv",
    "schedule": "schedules.csv",
    "service": "services.csv",
    "service_area": "service_areas.csv",
    "service_at_location": "service_at_location.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    # HSDS 3.1
    "service_capacity": "service_capacities.csv",
    "unit": "units.csv",
    "url": "urls.csv",
}
PLURALS = {**TABLE_FILES, "service_at_location": "service_at_locations.csv"}
SINGULARS = {file: f"{table}.csv" for table, file in TABLE_FILES.items()}
# Of the official package, the address row no imported object holds: it is
# left out because its location is, not as a table HSDS lacks.
ADDRESS = ("address", "74706e55-df26-4b84-80fe-ecc30b5befb4", "*")
EXAMPLE_CREATED = {
    ("organization", "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"),
    ("service", "ac148810-d857-441c-9679-408f346de14b"),
    ("taxonomy_term", "3f7b145d-84af-42d7-8fae-eaca714b02b2"),
}
# The examples have no taxonomies.csv: a one-row table stands in for it.
TAXONOMY = "id,name,description,uri,version\r\n{},Example taxonomy,Terms,,1\r\n"
TAXONOMY_ID = "5c3d8c7c-98e7-4e8a-9d5f-2e8a5e8f6a10"


def copy_examples(folder: Path, names: dict[str, str]) -> Path:
    """The official CSV package, each file saved as ``names`` says, plus a
    taxonomy table under the name ``names`` gives ``taxonomies.csv``."""
    folder.mkdir()
    for source in CSV_PACKAGE.glob("*.csv"):
        shutil.copyfile(source, folder / names.get(source.name, source.name))
    taxonomy = folder / names.get("taxonomies.csv", "taxonomies.csv")
    taxonomy.write_text(TAXONOMY.format(TAXONOMY_ID), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _english():
    """Reasons are written in the active language when the input is read."""
    with translation.override("en"):
        yield


def reasons(data: HsdsInput) -> dict[tuple[str, str, str], str]:
    return {entry.key: entry.reason for entry in data.left_out}


def assert_read_alike(data: HsdsInput, expected: HsdsInput) -> None:
    assert data.records == expected.records
    assert reasons(data) == reasons(expected)
    assert not any("HSDS 3.0 table" in reason for reason in reasons(data).values())


def test_official_examples_read_alike_under_singular_file_names(tmp_path):
    """``address.csv`` holds the addresses as ``addresses.csv`` does, and
    every other table reads the same under its singular name."""
    plural = load_hsds(copy_examples(tmp_path / "plural", {}))
    singular_folder = copy_examples(tmp_path / "singular", SINGULARS)
    assert (singular_folder / "address.csv").exists()

    singular = load_hsds(singular_folder)

    assert_read_alike(singular, plural)
    found = reasons(singular)
    assert "location 3a19ff88" in found[ADDRESS]
    assert "taxonomies" in found["taxonomy", TAXONOMY_ID, "*"]


def test_official_examples_import_under_singular_file_names(tmp_path):
    """The renamed package imports as the original does: nothing refused."""
    report = import_hsds(copy_examples(tmp_path / "singular", SINGULARS))

    assert report.refused == []
    assert {(o.kind, o.hsds_id) for o in report.created} == EXAMPLE_CREATED
    assert ADDRESS in report.ignored_keys()


@pytest.mark.parametrize("names", ["singular", "plural"])
def test_datapackage_resources_are_found_by_either_name(tmp_path, names):
    """A datapackage.json names its resources as HSDS 3.0 names its objects
    (``address``) or as its files (``addresses``): both read alike."""
    expected = load_hsds(copy_examples(tmp_path / "plain", {}))
    folder = copy_examples(tmp_path / "package", {})
    files = sorted(path.name for path in folder.glob("*.csv"))
    by_file = {file: table for table, file in TABLE_FILES.items()}
    resources = [
        {
            "name": by_file[file] if names == "singular" else file[: -len(".csv")],
            "path": file,
        }
        for file in files
    ]
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))

    assert_read_alike(load_hsds(folder), expected)


@pytest.mark.parametrize("names", ["singular", "plural"])
def test_json_data_package_keys_in_either_number(tmp_path, names):
    """A data package as one JSON object may name its arrays either way."""
    expected = load_hsds(copy_examples(tmp_path / "plain", {}))
    tables = read_tables(copy_examples(tmp_path / "tables", {}))
    keys = {table: PLURALS[table][: -len(".csv")] for table in tables}
    package = tmp_path / "package.json"
    package.write_text(
        json.dumps(
            {
                (table if names == "singular" else keys[table]): rows
                for table, rows in tables.items()
            }
        )
    )

    assert_read_alike(load_hsds(package), expected)


@pytest.mark.parametrize("number", ["singular", "plural"])
def test_every_hsds_table_is_known_by_either_name(tmp_path, number):
    """One row in each table HSDS defines: each is read as that table, the
    three the catalogue imports as records, the others reported as such."""
    names = {
        table: f"{table}.csv" if number == "singular" else file
        for table, file in PLURALS.items()
    }
    ids = {table: str(uuid.uuid4()) for table in names}
    for table, file in names.items():
        (tmp_path / file).write_text(f"id,name\r\n{ids[table]},A {table}\r\n")

    data = load_hsds(tmp_path)

    read = {(r["_kind"], r["id"]) for r in data.records} | {
        (entry.kind, entry.hsds_id) for entry in data.left_out
    }
    assert read == set(ids.items())
    assert not any("HSDS 3.0 table" in reason for reason in reasons(data).values())


def test_a_table_given_twice_is_an_error(tmp_path):
    """``address.csv`` beside ``addresses.csv``: which one holds the
    addresses is unclear, so nothing is read."""
    folder = copy_examples(tmp_path / "package", {})
    shutil.copyfile(folder / "addresses.csv", folder / "address.csv")

    message = "address.csv and addresses.csv are both the address table."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        load_hsds(folder)


def test_a_file_of_no_hsds_table_is_reported_by_its_own_name(tmp_path):
    """An unknown table is named as the input names it, not cut short."""
    folder = copy_examples(tmp_path / "package", {})
    (folder / "volunteers.csv").write_text("id,name\r\nv1,Anna\r\n")

    found = reasons(load_hsds(folder))

    assert found["volunteers", "v1", "*"] == "volunteers is not an HSDS 3.0 table"

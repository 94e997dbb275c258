"""The HSDS 3.0 CSV data package: the same records the API serves, as tables.

``/api/hsds-csv/datapackage.json`` describes the package (Frictionless Data
Package, as HSDS publishes its tabular form) and lists one CSV per table,
beside it (``/api/hsds-csv/services.csv`` …). Each table is made by walking the
full HSDS JSON of every published service (``hsds.service_to_hsds``), so the
tables and the API never disagree; the columns of each table are those of the
HSDS compiled schemas. Files stream and are kept until the data change
(``monitoring.downloads``); ``import_hsds`` reads the package back.
"""

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from django.db.models import Count, Max

from retefamiglie.directory.models import Category, Location, Service
from retefamiglie.network.models import Organisation

from . import hsds, selectors
from .openapi import SPEC_DIR

# The tables the platform's records fill, by HSDS table name.
TABLES = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "accessibility",
    "phone",
    "schedule",
    "language",
    "cost_option",
    "attribute",
    "taxonomy_term",
)
# Which key of a parent holds which table (HSDS names lists in the plural).
KEYS = {
    "organization": "organization",
    "location": "location",
    "taxonomy_term": "taxonomy_term",
    "phones": "phone",
    "languages": "language",
    "cost_options": "cost_option",
    "service_at_locations": "service_at_location",
    "addresses": "address",
    "accessibility": "accessibility",
    "schedules": "schedule",
    "attributes": "attribute",
}


def file_name(table: str) -> str:
    return "accessibility.csv" if table == "accessibility" else f"{table}s.csv"


def _nested(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key, value in schema.get("properties", {}).items():
        sub = value.get("items") if value.get("type") == "array" else value
        if isinstance(sub, dict) and sub.get("type") == "object" and key in KEYS:
            yield KEYS[key], sub


@cache
def columns() -> dict[str, tuple[str, ...]]:
    """Each table's columns: the scalar fields of its compiled schema, wherever
    it is nested, in the schema's order."""
    schema = json.loads((SPEC_DIR / "compiled" / "service.json").read_text("utf-8"))
    found: dict[str, list[str]] = {table: [] for table in TABLES}
    pending = [("service", schema)]
    seen: set[int] = set()
    while pending:
        table, part = pending.pop()
        if id(part) in seen:
            continue
        seen.add(id(part))
        for name, value in part.get("properties", {}).items():
            if (
                value.get("type") not in ("array", "object")
                and name not in found[table]
            ):
                found[table].append(name)
        pending.extend(_nested(part))
    return {table: tuple(names) for table, names in found.items()}


def _rows(record: dict[str, Any], table: str, parent: tuple[str, Any] | None):
    """``(table, row)`` for a record and everything nested in it."""
    row = {k: v for k, v in record.items() if not isinstance(v, dict | list)}
    if parent is not None:
        row.setdefault(f"{parent[0]}_id", parent[1])
    yield table, row
    for key, value in record.items():
        child = KEYS.get(key)
        if child is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                yield from _rows(item, child, (table, record.get("id")))


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def table_rows(table: str) -> Iterator[list[Any]]:
    """The rows of one table, each record once."""
    names = columns()[table]
    done: set[Any] = set()
    services = selectors.with_hsds_details(selectors.services()).order_by("pk")
    for service in services.iterator(chunk_size=500):
        for found, row in _rows(hsds.service_to_hsds(service), "service", None):
            if found != table or row.get("id") in done:
                continue
            done.add(row.get("id"))
            yield [_cell(row.get(name)) for name in names]


def version() -> str:
    """Changes whenever a record of the package may have changed."""
    parts = [
        Service.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Organisation.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Location.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Category.objects.aggregate(n=Count("pk")),
    ]
    return json.dumps(parts, default=str)


def descriptor(*, root: str) -> dict[str, Any]:
    """The data package: its tables, their columns, the licence."""
    return {
        "name": "hsds-retefamiglie",
        "title": "Open Referral HSDS 3.0",
        "profile": "tabular-data-package",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [
            {
                "name": table,
                "path": file_name(table),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "type": "string"} for name in columns()[table]
                    ]
                },
            }
            for table in TABLES
        ],
        "homepage": f"{root}/dati/",
    }

"""Reading Open Referral HSDS 3.0 input into records the importer writes.

Accepted input: one HSDS object (service, organization, service_at_location or
taxonomy_term), a list of them, a page of the HSDS API (``{"contents": [...]}``),
or a data package: a JSON object with one array per table, or a folder of CSV
tables (with the ``datapackage.json`` that lists them, or without one: then
every ``*.csv`` in the folder is read, named as HSDS 3.0 names its tables).

A *record* is one top-level object with everything nested in it. The tables
of a data package are nested the same way: a service with its organization,
phones, languages, cost options, schedules, attributes and service_at_locations
(each with its location, addresses, accessibility and schedules); an
organization that no service refers to, with its phones and locations; a
taxonomy term that no service uses. Rows nothing imported refers to, and rows
of tables the catalogue does not hold (funding, programs, contacts, …), are
listed in ``HsdsInput.left_out`` with the reason, so the import report names
them.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Record = dict[str, Any]

SERVICE = "service"
ORGANIZATION = "organization"
SERVICE_AT_LOCATION = "service_at_location"
LOCATION = "location"
TAXONOMY_TERM = "taxonomy_term"
# Key of a record that names its kind; input objects may leave it out.
KIND = "_kind"
WHOLE = "*"

# Other names of tables, by the singular name HSDS 3.0 gives its objects: the
# plurals ``s`` does not make (the files are ``addresses.csv``,
# ``taxonomies.csv``; HSDS 3.1 adds ``service_capacities.csv``), and HSDS 2.0
# names. Every other plural is the singular and an ``s``.
TABLE_ALIASES = {
    "addresses": "address",
    "taxonomies": "taxonomy",
    "service_capacities": "service_capacity",
    "service_attributes": "attribute",
    "accessibility_for_disabilities": "accessibility",
}
# Tables the importer reads, and the columns that link a row to its parents.
LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "organization": (),
    "service": (("organization_id", "organization"),),
    "location": (("organization_id", "organization"),),
    "service_at_location": (("service_id", "service"), ("location_id", "location")),
    "address": (("location_id", "location"),),
    "accessibility": (("location_id", "location"),),
    "phone": (("service_id", "service"), ("organization_id", "organization")),
    "language": (("service_id", "service"),),
    "cost_option": (("service_id", "service"),),
    "schedule": (
        ("service_at_location_id", "service_at_location"),
        ("service_id", "service"),
    ),
    "attribute": (("link_id", "service"), ("taxonomy_term_id", "taxonomy_term")),
    "taxonomy_term": (),
}
# What an object the catalogue does not hold is, for the report.
NOT_HELD_TABLES = {
    "contact": gettext_lazy("contacts"),
    "funding": gettext_lazy("funding"),
    "meta_table_description": gettext_lazy("table descriptions"),
    "metadata": gettext_lazy("change metadata"),
    "organization_identifier": gettext_lazy("organization identifiers"),
    "program": gettext_lazy("programs"),
    "required_document": gettext_lazy("required documents"),
    "service_area": gettext_lazy("service areas"),
    "service_capacity": gettext_lazy("service capacities"),
    "taxonomy": gettext_lazy("taxonomies (categories form one taxonomy of their own)"),
    "unit": gettext_lazy("units"),
    "url": gettext_lazy("additional URLs"),
}
# Every table name the module knows, singular.
TABLES = frozenset(LINKS) | frozenset(NOT_HELD_TABLES)
TERM_MARKERS = ("taxonomy", "taxonomy_id", "taxonomy_detail", "term_uri", "code")
ORGANIZATION_MARKERS = (
    "website",
    "legal_status",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "logo",
    "uri",
    "parent_organization_id",
    "organization_identifiers",
    "programs",
    "locations",
    "services",
)


@dataclass(frozen=True)
class Ignored:
    """Something of the input the catalogue does not keep.

    ``field`` is an HSDS field of the object, or ``"*"``: the whole object.
    ``reason`` is empty when the catalogue has no place for the field at all.
    """

    kind: str
    hsds_id: str
    field: str
    name: str = dataclasses.field(default="", compare=False)
    reason: str = dataclasses.field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.hsds_id, self.field)


@dataclass
class HsdsInput:
    """The records of an input, and what of it no record holds."""

    records: list[Record]
    left_out: list[Ignored] = dataclasses.field(default_factory=list)


def record_kind(record: Record) -> str:
    """What a top-level HSDS object is: its schema names no type, so guess.

    A service_at_location nests its service or location and has no name; a
    service has a status (required) or points to its organization; a
    taxonomy term has taxonomy fields; an organization has fields of its own.
    """
    if isinstance(record.get(KIND), str):
        return str(record[KIND])
    if isinstance(record.get("service"), dict) or (
        isinstance(record.get("location"), dict) and "name" not in record
    ):
        return SERVICE_AT_LOCATION
    if any(
        key in record
        for key in ("status", "organization", "organization_id", "service_at_locations")
    ):
        return SERVICE
    if any(key in record for key in TERM_MARKERS) or "parent_id" in record:
        return TAXONOMY_TERM
    if any(key in record for key in ORGANIZATION_MARKERS):
        return ORGANIZATION
    return SERVICE


def parents_first(records: list[Record]) -> list[Record]:
    """Taxonomy terms after their parent when both are in ``records``."""
    terms = {str(r.get("id")): r for r in records if record_kind(r) == TAXONOMY_TERM}

    def depth(record: Record) -> int:
        seen: set[str] = set()
        parent = record.get("parent_id")
        while parent in terms and parent not in seen:
            seen.add(str(parent))
            parent = terms[str(parent)].get("parent_id")
        return len(seen)

    return sorted(records, key=lambda r: depth(r) if str(r.get("id")) in terms else 0)


# --- JSON ----------------------------------------------------------------------


def load_hsds(path: str | Path) -> HsdsInput:
    """The records in a JSON file or a data package folder.

    Raises ``ValueError`` when the input is not one of the accepted shapes.
    """
    path = Path(path)
    if path.is_dir():
        return records_from_tables(read_tables(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return records_from_json(data)


def records_from_json(data: Any) -> HsdsInput:
    """Records from parsed JSON: object, list, API page or data package."""
    if isinstance(data, list):
        items: list[Any] = data
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, dict) and _looks_like_package(data):
        return records_from_tables(
            _by_table((k, v) for k, v in data.items() if isinstance(v, list))
        )
    elif isinstance(data, dict):
        items = [data]
    else:
        raise ValueError(_("Expected an HSDS object, a list or a data package."))
    if not all(isinstance(item, dict) for item in items):
        raise ValueError(_("Every item of the list must be an HSDS object."))
    return HsdsInput(parents_first(items))


def _looks_like_package(data: dict[str, Any]) -> bool:
    return "id" not in data and any(
        _table_name(k) in ("service", "organization", "taxonomy_term")
        and isinstance(v, list)
        for k, v in data.items()
    )


def _table_name(name: str) -> str:
    """The singular HSDS name of a table named ``name`` (a file name, a
    resource name or a key of a JSON package), in either number.

    A name that is already a table's is kept as it is (``address`` is
    singular, though it ends in ``s``). A name of no known table is kept as
    given, so the report names it as the input does.
    """
    name = Path(name).name.lower().removesuffix(".csv")
    if name in TABLES:
        return name
    if name in TABLE_ALIASES:
        return TABLE_ALIASES[name]
    singular = name.removesuffix("s")
    return singular if singular in TABLES else name


# --- CSV -----------------------------------------------------------------------


def read_tables(folder: Path) -> dict[str, list[Record]]:
    """The tables of a data package folder, by singular HSDS table name.

    The files are those ``datapackage.json`` lists or, without it, every
    ``*.csv`` of the folder.
    """
    descriptor = folder / "datapackage.json"
    if descriptor.exists():
        files = _listed_files(folder, descriptor)
    else:
        files = _by_table((p.name, p) for p in sorted(folder.glob("*.csv")))
    if not files:
        raise ValueError(
            _("%(path)s holds no datapackage.json and no CSV file.") % {"path": folder}
        )
    tables: dict[str, list[Record]] = {}
    for name, csv_path in files.items():
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            tables[name] = [
                {k: (v if v != "" else None) for k, v in row.items()}
                for row in csv.DictReader(handle)
            ]
    return tables


def _listed_files(folder: Path, descriptor: Path) -> dict[str, Path]:
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            _("Cannot read %(path)s: %(error)s") % {"path": descriptor, "error": exc}
        ) from exc
    if not isinstance(package, dict):
        raise ValueError(_("%(path)s is not a data package.") % {"path": descriptor})
    named: list[tuple[str, Path]] = []
    for resource in package.get("resources", []):
        relative = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(relative, str):
            continue
        csv_path = (folder / relative).resolve()
        if folder.resolve() not in csv_path.parents or not csv_path.is_file():
            raise ValueError(_("Missing data file %(path)s.") % {"path": relative})
        named.append((resource.get("name") or relative, csv_path))
    return _by_table(named)


def _by_table[T](named: Iterable[tuple[str, T]]) -> dict[str, T]:
    """``(name, value)`` pairs by table name.

    Two names of one table (``address`` and ``addresses``) are an error:
    one of the two would be dropped without a word.
    """
    tables: dict[str, T] = {}
    names: dict[str, str] = {}
    for name, value in named:
        table = _table_name(name)
        if table in tables:
            raise ValueError(
                _("%(first)s and %(second)s are both the %(table)s table.")
                % {"first": names[table], "second": name, "table": table}
            )
        tables[table], names[table] = value, name
    return tables


class _Tables:
    """The flat tables of a package, indexed once, and the rows records use."""

    def __init__(self, tables: dict[str, list[Record]]) -> None:
        self.tables = tables
        self.used: set[int] = set()
        self._indexes: dict[tuple[str, str], dict[Any, list[Record]]] = {}

    def rows(self, table: str) -> list[Record]:
        return self.tables.get(table, [])

    def by(self, table: str, key: str) -> dict[Any, list[Record]]:
        """The rows of ``table`` by the value of their column ``key``."""
        if (table, key) not in self._indexes:
            index: dict[Any, list[Record]] = defaultdict(list)
            for row in self.rows(table):
                if row.get(key):
                    index[row[key]].append(row)
            self._indexes[table, key] = index
        return self._indexes[table, key]

    def has(self, table: str, value: Any) -> bool:
        return value in self.by(table, "id")

    def use(self, rows: Iterable[Record]) -> list[Record]:
        rows = list(rows)
        self.used.update(id(row) for row in rows)
        return rows


def records_from_tables(tables: dict[str, list[Record]]) -> HsdsInput:
    """Nest the flat tables of a data package into records."""
    package = _Tables(tables)
    locations = _locations(package)
    organizations = _organizations(package, locations)
    records = [
        _service(package, row, organizations, locations)
        for row in package.use(package.rows("service"))
    ]
    used_orgs = {row.get("organization_id") for row in package.rows("service")}
    records.extend(
        {KIND: ORGANIZATION, **org}
        for key, org in organizations.items()
        if key not in used_orgs
    )
    used_terms = {
        a.get("taxonomy_term_id")
        for record in records
        for a in record.get("attributes", [])
    }
    records.extend(
        {KIND: TAXONOMY_TERM, **term}
        for term in package.use(
            t for t in package.rows("taxonomy_term") if t.get("id") not in used_terms
        )
    )
    return HsdsInput(parents_first(records), _left_out(package))


def _locations(package: _Tables) -> dict[Any, Record]:
    """Each location with its addresses and accessibility, by id."""
    addresses = package.by("address", "location_id")
    access = package.by("accessibility", "location_id")
    return {
        row.get("id"): {
            **row,
            "addresses": addresses.get(row.get("id"), []),
            "accessibility": access.get(row.get("id"), []),
        }
        for row in package.rows("location")
    }


def _use_location(package: _Tables, place: Record) -> Record:
    package.use(package.by("location", "id").get(place.get("id"), []))
    package.use(place["addresses"])
    package.use(place["accessibility"])
    return place


def _organizations(package: _Tables, locations: dict[Any, Record]) -> dict[Any, Record]:
    """Each organization with its phones and locations, by id."""
    phones = package.by("phone", "organization_id")
    places = package.by("location", "organization_id")
    organizations = {}
    for row in package.use(package.rows("organization")):
        key = row.get("id")
        organizations[key] = {
            **row,
            "phones": package.use(phones.get(key, [])),
            "locations": [
                _use_location(package, locations[place.get("id")])
                for place in places.get(key, [])
            ],
        }
    return organizations


def _service(
    package: _Tables,
    row: Record,
    organizations: dict[Any, Record],
    locations: dict[Any, Record],
) -> Record:
    key = row.get("id")
    record: Record = {
        KIND: SERVICE,
        "languages": package.use(package.by("language", "service_id").get(key, [])),
        "phones": package.use(package.by("phone", "service_id").get(key, [])),
        "cost_options": package.use(
            package.by("cost_option", "service_id").get(key, [])
        ),
        "schedules": package.use(
            s
            for s in package.by("schedule", "service_id").get(key, [])
            if not s.get("service_at_location_id")
        ),
        **row,
    }
    if row.get("organization_id") in organizations:
        record["organization"] = organizations[row["organization_id"]]
    record["service_at_locations"] = _places_of(package, key, locations)
    terms = package.by("taxonomy_term", "id")
    record["attributes"] = []
    for attribute in package.use(package.by("attribute", "link_id").get(key, [])):
        term = package.use(terms.get(attribute.get("taxonomy_term_id"), []))
        record["attributes"].append(
            {**attribute, "taxonomy_term": term[0] if term else None}
        )
    return record


def _places_of(
    package: _Tables, service_id: Any, locations: dict[Any, Record]
) -> list[Record]:
    schedules = package.by("schedule", "service_at_location_id")
    places = []
    for sal in package.by("service_at_location", "service_id").get(service_id, []):
        location = locations.get(sal.get("location_id"))
        if location is None:
            continue
        places.append(
            {
                **package.use([sal])[0],
                "location": _use_location(package, location),
                "schedules": package.use(schedules.get(sal.get("id"), [])),
            }
        )
    return places


def _left_out(package: _Tables) -> list[Ignored]:
    """Every row no record holds, with the reason."""
    left_out = []
    for table, rows in package.tables.items():
        for row in rows:
            if id(row) in package.used:
                continue
            reason = _why_left_out(package, table, row)
            left_out.append(
                Ignored(
                    table,
                    str(row.get("id") or ""),
                    WHOLE,
                    str(row.get("name") or ""),
                    reason,
                )
            )
    return left_out


def _why_left_out(package: _Tables, table: str, row: Record) -> str:
    if table in NOT_HELD_TABLES:
        return _("the catalogue does not hold %(what)s") % {
            "what": NOT_HELD_TABLES[table]
        }
    if table not in LINKS:
        return _("%(table)s is not an HSDS 3.0 table") % {"table": table}
    for column, target in LINKS[table]:
        value = row.get(column)
        if value and not package.has(target, value):
            return _("it refers to %(target)s %(id)s, which is not in the package") % {
                "target": target,
                "id": value,
            }
    for column, target in LINKS[table]:
        if row.get(column):
            return _("%(target)s %(id)s, which it belongs to, is not imported") % {
                "target": target,
                "id": row[column],
            }
    return _("it belongs to nothing the catalogue holds")

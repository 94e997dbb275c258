"""Import Open Referral HSDS 3.0 data into the catalogue.

Accepted input (see ``load_hsds``): one service object with its nested objects,
a list of them, a page of the HSDS API (``{"contents": [...]}``), or a data
package — a JSON object with one array per table, or a folder holding
``datapackage.json`` and the CSV files it lists.

One *record* is one service with everything nested in it (organization,
service_at_locations with their location and schedules, languages, phones,
cost options, taxonomy terms). A record is written in its own savepoint, every
object is ``full_clean()``-ed before it is saved, and a record that fails is
refused whole: nothing of it stays in the database.

Objects are matched by their HSDS id (``hsds_id``), so importing the same data
again creates nothing. Mapping decisions:

- ``summary`` is the HSDS ``short_description`` when given (not in HSDS 3.0,
  accepted for older data), else the first sentence of ``description``, cut to
  300 characters; ``description`` is kept whole.
- A service is free when it has cost options and every amount is 0, or when it
  has no positive amount and ``fees_description`` says it is free ("gratuito",
  "gratis", "free", …). ``fees_description`` becomes ``cost_description``; with
  none, the priced cost options are written there ("30 EUR, monthly").
- ``minimum_age``/``maximum_age`` are whole years: fractions widen the range
  (floor of the minimum, ceiling of the maximum).
- Languages keep their codes, lower-cased; codes the catalogue does not offer
  are dropped with a note. The first phone becomes ``phone``.
- ``status`` "active" publishes the service; any other status leaves it a draft.
- An organization new to the catalogue is a third-sector association; an update
  keeps the type and slug a coordinator may have chosen, and the fields the
  HSDS object leaves out (services nest organizations in short form). Services
  and locations, being the record itself, mirror the input: a field left out
  is cleared.
- A location takes its ``physical`` address (else the first): ``address_1``,
  ``postal_code``, ``city``; ``address_2`` has no place in the model. With no
  name, a location is named after its address. Virtual locations are skipped
  with a note. Coordinates outside ``CITY_BBOX`` fail ``Location.clean()``, so
  the record is refused with that reason.
- Weekly schedules (``freq`` WEEKLY or empty, ``byday``, ``opens_at``,
  ``closes_at``) become opening hours; others are skipped with a note. The
  service's service_at_locations and their hours mirror the import.
- Taxonomy terms become categories: first by ``hsds_id``; else an existing
  category with the same name (Italian or English, any case) is reused as it
  is — it keeps its own id, so the seeded categories are not duplicated; else a
  new category, its slug made from the name.
"""

from __future__ import annotations

import csv
import json
import math
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from retefamiglie.directory.models import (
    Category,
    Language,
    Location,
    OpeningHours,
    Service,
    ServiceAtLocation,
)
from retefamiglie.network.models import Organisation

Record = dict[str, Any]
Progress = Callable[[int, int], None]

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
KINDS = (
    "organization",
    "location",
    "service",
    "service_at_location",
    "taxonomy_term",
)
SUMMARY_MAX_LENGTH = 300
FREE_WORDS = re.compile(r"\b(gratuit[oaie]|gratis|free|senza costi?)\b", re.I)
WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

# Table names of a data package, singular, as HSDS 3.0 names its objects.
TABLE_ALIASES = {
    "addresses": "address",
    "service_attributes": "attribute",
    "taxonomies": "taxonomy",
}


class RecordRefusedError(Exception):
    """A record cannot be imported; the message says why."""


@dataclass
class Outcome:
    kind: str
    hsds_id: str
    name: str
    action: str
    reason: str = ""


@dataclass
class ImportReport:
    """What an import created, updated, left unchanged and refused."""

    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def of(self, action: str, kind: str | None = None) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if o.action == action and (kind is None or o.kind == kind)
        ]

    @property
    def created(self) -> list[Outcome]:
        return self.of(CREATED)

    @property
    def updated(self) -> list[Outcome]:
        return self.of(UPDATED)

    @property
    def unchanged(self) -> list[Outcome]:
        return self.of(UNCHANGED)

    @property
    def refused(self) -> list[Outcome]:
        return self.of(REFUSED)

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {action: n}}`` for every kind of object."""
        table = {k: dict.fromkeys((CREATED, UPDATED, UNCHANGED), 0) for k in KINDS}
        for o in self.outcomes:
            if o.action != REFUSED:
                table[o.kind][o.action] += 1
        return table

    def lines(self) -> list[str]:
        """The report as text lines, for the management command."""
        out = ["kind                 created  updated  unchanged"]
        for kind, n in self.counts().items():
            out.append(
                f"{kind:<20} {n[CREATED]:>7}  {n[UPDATED]:>7}  {n[UNCHANGED]:>9}"
            )
        out.append(f"refused records: {len(self.refused)}")
        for o in self.refused:
            out.append(f"  refused {o.kind} {o.hsds_id} ({o.name}): {o.reason}")
        for action in (CREATED, UPDATED):
            out.extend(
                f"  {action} {o.kind} {o.hsds_id} ({o.name})" for o in self.of(action)
            )
        out.extend(f"  note: {n}" for n in self.notes)
        return out


# --- reading the input -------------------------------------------------------


def load_hsds(path: str | Path) -> list[Record]:
    """The service records in a JSON file or a data package folder.

    Raises ``ValueError`` when the input is not one of the accepted shapes.
    """
    path = Path(path)
    if path.is_dir():
        return records_from_tables(read_datapackage(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            _("Cannot read %(path)s: %(error)s")
            % {
                "path": path,
                "error": exc,
            }
        ) from exc
    return records_from_json(data)


def records_from_json(data: Any) -> list[Record]:
    """Service records from parsed JSON: object, list, API page or package."""
    if isinstance(data, list):
        items: list[Any] = data
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, dict) and _looks_like_package(data):
        tables = {_table_name(k): v for k, v in data.items() if isinstance(v, list)}
        return records_from_tables(tables)
    elif isinstance(data, dict):
        items = [data]
    else:
        raise ValueError(_("Expected an HSDS object, a list or a data package."))
    if not all(isinstance(item, dict) for item in items):
        raise ValueError(_("Every item of the list must be an HSDS service object."))
    return items


def _looks_like_package(data: dict[str, Any]) -> bool:
    return "id" not in data and any(
        _table_name(k) in ("service", "organization") and isinstance(v, list)
        for k, v in data.items()
    )


def _table_name(name: str) -> str:
    name = Path(name).name.lower().removesuffix(".csv")
    if name in TABLE_ALIASES:
        return TABLE_ALIASES[name]
    return name.removesuffix("s")


def read_datapackage(folder: Path) -> dict[str, list[Record]]:
    """The tables of a data package folder, by singular HSDS table name."""
    descriptor = folder / "datapackage.json"
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(
            _("Cannot read %(path)s: %(error)s")
            % {
                "path": descriptor,
                "error": exc,
            }
        ) from exc
    tables: dict[str, list[Record]] = {}
    for resource in package.get("resources", []):
        relative = resource.get("path")
        if not isinstance(relative, str):
            continue
        csv_path = (folder / relative).resolve()
        if folder.resolve() not in csv_path.parents or not csv_path.is_file():
            raise ValueError(_("Missing data file %(path)s.") % {"path": relative})
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [
                {k: (v if v != "" else None) for k, v in row.items()}
                for row in csv.DictReader(handle)
            ]
        tables[_table_name(resource.get("name") or relative)] = rows
    return tables


def records_from_tables(tables: dict[str, list[Record]]) -> list[Record]:
    """Nest the flat tables of a data package into service records.

    Organizations that no service refers to become records of their own.
    """

    def by(table: str, key: str) -> dict[Any, list[Record]]:
        index: dict[Any, list[Record]] = defaultdict(list)
        for row in tables.get(table, []):
            index[row.get(key)].append(row)
        return index

    def one(table: str) -> dict[Any, Record]:
        return {row.get("id"): row for row in tables.get(table, [])}

    terms = one("taxonomy_term")
    attributes = by("attribute", "link_id")
    addresses = by("address", "location_id")
    locations = {
        key: {**row, "addresses": addresses.get(key, [])}
        for key, row in one("location").items()
    }
    phones_of_org = by("phone", "organization_id")
    organizations = {
        key: {**row, "phones": phones_of_org.get(key, [])}
        for key, row in one("organization").items()
    }
    schedules_of_sal = by("schedule", "service_at_location_id")
    sals = by("service_at_location", "service_id")
    nested = {
        "languages": by("language", "service_id"),
        "phones": by("phone", "service_id"),
        "cost_options": by("cost_option", "service_id"),
        "schedules": by("schedule", "service_id"),
    }
    records: list[Record] = []
    for service in tables.get("service", []):
        key = service.get("id")
        record: Record = {name: index.get(key, []) for name, index in nested.items()}
        record["schedules"] = [
            s for s in record["schedules"] if not s.get("service_at_location_id")
        ]
        record.update(service)
        if service.get("organization_id") in organizations:
            record["organization"] = organizations[service["organization_id"]]
        record["service_at_locations"] = [
            {
                **sal,
                "location": locations.get(sal.get("location_id")),
                "schedules": schedules_of_sal.get(sal.get("id"), []),
            }
            for sal in sals.get(key, [])
        ]
        record["attributes"] = [
            {**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id"))}
            for a in attributes.get(key, [])
        ]
        records.append(record)
    used = {s.get("organization_id") for s in tables.get("service", [])}
    records.extend(
        {"_organization_only": True, "organization": org}
        for key, org in organizations.items()
        if key not in used
    )
    return records


# --- small conversions -------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _uuid(value: Any, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(_text(value))
    except ValueError:
        raise RecordRefusedError(
            _("%(kind)s has an invalid id %(value)r.") % {"kind": kind, "value": value}
        ) from None


def _number(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordRefusedError(
            _("%(what)s is not a number: %(value)r.") % {"what": what, "value": value}
        ) from None
    if math.isnan(number) or math.isinf(number):
        raise RecordRefusedError(_("%(what)s is not a number.") % {"what": what})
    return number


def _age(value: Any, what: str, rounding: Callable[[float], int]) -> int | None:
    number = _number(value, what)
    return None if number is None else rounding(number)


def _coordinate(value: Any, what: str) -> Decimal | None:
    number = _number(value, what)
    if number is None:
        return None
    try:
        return Decimal(str(number)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise RecordRefusedError(
            _("%(what)s is out of range.") % {"what": what}
        ) from None


def _time(value: Any) -> time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", _text(value))
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def summary_from(description: str) -> str:
    """The first sentence of ``description``, at most 300 characters."""
    text = " ".join(description.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= SUMMARY_MAX_LENGTH:
        return sentence
    return sentence[: SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def unique_slug(model: type[models.Model], name: str, max_length: int) -> str:
    """A slug from ``name`` that no row of ``model`` uses yet."""
    base = slugify(name)[: max_length - 6].strip("-") or "hsds"
    taken = set(
        model._default_manager.filter(slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


# --- writing -----------------------------------------------------------------


class _Importer:
    """Writes records; one instance per import run."""

    def __init__(self, records: list[Record], report: ImportReport) -> None:
        self.report = report
        self.seen: set[tuple[str, str]] = set()
        self.organizations: dict[str, Record] = {}
        for record in records:
            org = record.get("organization")
            if isinstance(org, dict) and org.get("id"):
                self.organizations.setdefault(_text(org["id"]), org)
        self.pending: list[Outcome] = []
        self.notes: list[str] = []

    # Outcomes are kept only when the record's savepoint commits.
    def _note(self, kind: str, obj: Any, action: str) -> None:
        self.pending.append(Outcome(kind, str(obj.hsds_id), str(obj), action))

    def run(self, record: Record) -> None:
        self.pending, self.notes = [], []
        try:
            with transaction.atomic():
                if record.get("_organization_only"):
                    self.organization(record["organization"])
                else:
                    self.service(record)
        except RecordRefusedError as exc:
            self._refuse(record, str(exc))
            return
        except (AttributeError, TypeError, KeyError) as exc:
            # A nested value of the wrong JSON type (a string for a list, …).
            self._refuse(record, _("Malformed record: %(error)s") % {"error": exc})
            return
        for outcome in self.pending:
            key = (outcome.kind, outcome.hsds_id)
            if key not in self.seen:
                self.seen.add(key)
                self.report.outcomes.append(outcome)
        self.report.notes.extend(self.notes)

    def _refuse(self, record: Record, reason: str) -> None:
        if record.get("_organization_only"):
            kind, data = "organization", record["organization"]
        else:
            kind, data = "service", record
        self.report.outcomes.append(
            Outcome(
                kind, _text(data.get("id")), _text(data.get("name")), REFUSED, reason
            )
        )

    def save(
        self,
        kind: str,
        model: type[Any],
        hsds_id: uuid.UUID,
        values: dict[str, Any],
        on_create: Callable[[], dict[str, Any]] | None = None,
        changed: bool = False,
    ) -> Any:
        """Create or update the ``model`` row with ``hsds_id``, validated."""
        obj = model._default_manager.filter(hsds_id=hsds_id).first()
        if obj is None:
            extra = on_create() if on_create else {}
            obj, action = model(hsds_id=hsds_id, **values, **extra), CREATED
        else:
            changed = changed or any(getattr(obj, k) != v for k, v in values.items())
            for name, value in values.items():
                setattr(obj, name, value)
            action = UPDATED if changed else UNCHANGED
        if action != UNCHANGED:
            try:
                obj.full_clean()
            except ValidationError as exc:
                label = values.get("name") or hsds_id
                raise RecordRefusedError(f"{kind} {label}: {_describe(exc)}") from None
            obj.save()
        self._note(kind, obj, action)
        return obj

    def organization(self, data: Record) -> Organisation:
        hsds_id = _uuid(data.get("id"), "organization")
        phones = data.get("phones") or []
        given = {
            "name": _text(data.get("name")),
            "description": _text(data.get("description")),
            "email": _text(data.get("email")),
            "website": _text(data.get("website")),
            "phones": _text(phones[0].get("number")) if phones else "",
        }
        # Nested in a service, an organization often comes in short form:
        # a field it leaves out keeps the value the catalogue has.
        values = {
            "phone" if key == "phones" else key: value
            for key, value in given.items()
            if key in data or key == "name"
        }
        return self.save(
            "organization",
            Organisation,
            hsds_id,
            values,
            lambda: {
                "type": Organisation.Type.THIRD_SECTOR,
                "slug": unique_slug(Organisation, values["name"], 200),
            },
        )

    def organization_by_id(self, value: Any) -> Organisation:
        hsds_id = _uuid(value, "organization")
        if str(hsds_id) in self.organizations:
            return self.organization(self.organizations[str(hsds_id)])
        known = Organisation.objects.filter(hsds_id=hsds_id).first()
        if known is None:
            raise RecordRefusedError(
                _("Unknown organization %(id)s: it is neither in the file nor here.")
                % {"id": value}
            )
        return known

    def location(self, data: Record, organisation: Organisation) -> Location | None:
        if data.get("location_type") == "virtual":
            self.notes.append(
                _("Virtual location %(id)s skipped: it has no address.")
                % {"id": data.get("id")}
            )
            return None
        hsds_id = _uuid(data.get("id"), "location")
        if data.get("organization_id"):
            organisation = self.organization_by_id(data["organization_id"])
        addresses = data.get("addresses") or []
        address = next(
            (a for a in addresses if a.get("address_type") == "physical"),
            addresses[0] if addresses else {},
        )
        access = data.get("accessibility") or []
        values = {
            "organisation": organisation,
            "name": _text(data.get("name")) or _text(address.get("address_1")),
            "address": _text(address.get("address_1")),
            "postal_code": _text(address.get("postal_code")),
            "city": _text(address.get("city")) or "Lucca",
            "latitude": _coordinate(data.get("latitude"), "latitude"),
            "longitude": _coordinate(data.get("longitude"), "longitude"),
            "accessibility": "\n".join(
                _text(a.get("description")) for a in access if a.get("description")
            ),
        }
        return self.save("location", Location, hsds_id, values)

    def category(self, term: Record) -> Category:
        hsds_id = _uuid(term.get("id"), "taxonomy_term")
        name = _text(term.get("name"))
        existing = Category.objects.filter(hsds_id=hsds_id).first()
        if existing is None and name:
            existing = Category.objects.filter(
                models.Q(name__iexact=name) | models.Q(name_en__iexact=name)
            ).first()
            if existing is not None:
                self._note("taxonomy_term", existing, UNCHANGED)
                return existing
        values: dict[str, Any] = {
            "name": name,
            "description": _text(term.get("description")),
        }
        if term.get("parent_id"):
            values["parent"] = Category.objects.filter(
                hsds_id=_uuid(term["parent_id"], "taxonomy_term")
            ).first()
        return self.save(
            "taxonomy_term",
            Category,
            hsds_id,
            values,
            lambda: {"slug": unique_slug(Category, name, 120)},
        )

    def categories(self, record: Record) -> list[Category]:
        terms = [a.get("taxonomy_term") for a in record.get("attributes") or []]
        return [self.category(t) for t in terms if isinstance(t, dict)]

    def languages(self, record: Record) -> list[str]:
        known = set(Language.values)
        codes: list[str] = []
        for language in record.get("languages") or []:
            code = _text(language.get("code")).lower()
            if code in known and code not in codes:
                codes.append(code)
            elif code and code not in known:
                self.notes.append(
                    _("Language %(code)s of service %(id)s is not offered; dropped.")
                    % {"code": code, "id": record.get("id")}
                )
        return codes

    def service(self, record: Record) -> Service:
        hsds_id = _uuid(record.get("id"), "service")
        if isinstance(record.get("organization"), dict):
            organisation = self.organization(record["organization"])
        elif record.get("organization_id"):
            organisation = self.organization_by_id(record["organization_id"])
        else:
            raise RecordRefusedError(_("The service names no organization."))
        categories = self.categories(record)
        values = service_values(record)
        values["organisation"] = organisation
        values["languages"] = self.languages(record)
        existing = Service.objects.filter(hsds_id=hsds_id).first()
        categories_changed = existing is not None and set(
            existing.categories.all()
        ) != set(categories)
        service = self.save(
            "service",
            Service,
            hsds_id,
            values,
            lambda: {"slug": unique_slug(Service, values["name"], 220)},
            changed=categories_changed,
        )
        service.categories.set(categories)
        self.service_at_locations(service, record)
        return service

    def service_at_locations(self, service: Service, record: Record) -> None:
        loose = record.get("schedules") or []
        kept: list[uuid.UUID] = []
        for data in record.get("service_at_locations") or []:
            hsds_id = _uuid(data.get("id"), "service_at_location")
            location_data = data.get("location")
            if not isinstance(location_data, dict):
                raise RecordRefusedError(
                    _("Service at location %(id)s has no location.")
                    % {"id": data.get("id")}
                )
            location = self.location(location_data, service.organisation)
            if location is None:
                continue
            schedules = [
                *(data.get("schedules") or []),
                *(
                    s
                    for s in loose
                    if s.get("service_at_location_id") in (None, data.get("id"))
                ),
            ]
            self.service_at_location(hsds_id, service, location, data, schedules)
            kept.append(hsds_id)
        service.service_at_locations.exclude(hsds_id__in=kept).delete()

    def service_at_location(
        self,
        hsds_id: uuid.UUID,
        service: Service,
        location: Location,
        data: Record,
        schedules: list[Record],
    ) -> None:
        hours = self.opening_hours(schedules, location)
        existing = ServiceAtLocation.objects.filter(hsds_id=hsds_id).first()
        hours_changed = existing is not None and set(
            existing.opening_hours.values_list("weekday", "opens_at", "closes_at")
        ) != set(hours)
        sal = self.save(
            "service_at_location",
            ServiceAtLocation,
            hsds_id,
            {
                "service": service,
                "location": location,
                "description": _text(data.get("description")),
            },
            changed=hours_changed,
        )
        if existing is None or hours_changed:
            sal.opening_hours.all().delete()
            for weekday, opens_at, closes_at in sorted(hours):
                self.opening(sal, weekday, opens_at, closes_at)

    def opening(
        self, sal: ServiceAtLocation, weekday: int, opens_at: time, closes_at: time
    ) -> None:
        hours = OpeningHours(
            service_at_location=sal,
            weekday=weekday,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        try:
            hours.full_clean()
        except ValidationError as exc:
            raise RecordRefusedError(
                f"schedule {opens_at:%H:%M}-{closes_at:%H:%M}: {_describe(exc)}"
            ) from None
        hours.save()

    def opening_hours(
        self, schedules: Iterable[Record], location: Location
    ) -> set[tuple[int, time, time]]:
        hours: set[tuple[int, time, time]] = set()
        for schedule in schedules:
            where = schedule.get("location_id")
            if where and _text(where) != str(location.hsds_id):
                continue
            days = [d.strip().upper() for d in _text(schedule.get("byday")).split(",")]
            opens_at, closes_at = (
                _time(schedule.get("opens_at")),
                _time(schedule.get("closes_at")),
            )
            weekly = _text(schedule.get("freq")).upper() in ("", "WEEKLY")
            if not (weekly and opens_at and closes_at and set(days) <= set(WEEKDAYS)):
                self.notes.append(
                    _("Schedule %(id)s is not a weekly opening time; skipped.")
                    % {"id": schedule.get("id")}
                )
                continue
            hours.update((WEEKDAYS[day], opens_at, closes_at) for day in days)
        return hours


def service_values(record: Record) -> dict[str, Any]:
    """The Service fields an HSDS service maps to (no relations)."""
    description = _text(record.get("description"))
    phones = record.get("phones") or []
    is_free, cost_description = cost_of(record)
    return {
        "name": _text(record.get("name")),
        "description": description,
        "summary": _text(record.get("short_description")) or summary_from(description),
        "url": _text(record.get("url")),
        "email": _text(record.get("email")),
        "eligibility": _text(record.get("eligibility_description")),
        "age_min": _age(record.get("minimum_age"), "minimum_age", math.floor),
        "age_max": _age(record.get("maximum_age"), "maximum_age", math.ceil),
        "is_free": is_free,
        "cost_description": cost_description,
        "phone": _text(phones[0].get("number")) if phones else "",
        "how_to_access": _text(record.get("application_process")),
        "status": Service.Status.PUBLISHED
        if _text(record.get("status")) == "active"
        else Service.Status.DRAFT,
    }


def cost_of(record: Record) -> tuple[bool, str]:
    """``(is_free, cost_description)`` from fees and cost options."""
    fees = _text(record.get("fees_description"))
    options = record.get("cost_options") or []
    amounts = [_number(o.get("amount"), "amount") for o in options]
    priced = [a for a in amounts if a is not None and a > 0]
    if options and all(a == 0 for a in amounts):
        is_free = True
    else:
        is_free = not priced and bool(FREE_WORDS.search(fees))
    if not fees and priced:
        fees = "; ".join(_cost_text(o) for o in options if o.get("amount"))
    return is_free, fees


def _cost_text(option: Record) -> str:
    text = _text(option.get("amount_description"))
    if text:
        return text
    amount = f"{_number(option.get('amount'), 'amount'):g}"
    parts = [amount, _text(option.get("currency")), _text(option.get("option"))]
    return " ".join(p for p in parts if p)


def import_records(
    records: list[Record], *, progress: Progress | None = None
) -> ImportReport:
    """Import service records; each one whole or not at all."""
    report = ImportReport()
    importer = _Importer(records, report)
    for done, record in enumerate(records, start=1):
        importer.run(record)
        if progress:
            progress(done, len(records))
    return report


def import_hsds(path: str | Path, *, progress: Progress | None = None) -> ImportReport:
    """Import the HSDS file or data package folder at ``path``."""
    return import_records(load_hsds(path), progress=progress)

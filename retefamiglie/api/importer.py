"""Import Open Referral HSDS 3.0 data into the catalogue.

``hsds_input`` reads the input (one object, a list, an API page, a data
package in JSON or CSV) into *records*: one top-level object with everything
nested in it — a service (its organization, service_at_locations with their
location and schedules, languages, phones, cost options, taxonomy terms), an
organization (its phones, locations and services), a service_at_location (its
location, schedules and service) or a taxonomy term. A record is written in
its own savepoint, every object is ``full_clean()``-ed before it is saved, and
a record that fails is refused whole: nothing of it stays in the database.

Objects are matched by their HSDS id (``hsds_id``), so importing the same data
again creates nothing and changes nothing. What the catalogue does not keep is
listed in the report, object by object: fields it has no place for (``HELD``
names the fields each object has a place for), and values it cannot hold, with
the reason. Mapping decisions:

- ``summary`` is the HSDS ``short_description`` when given (not in HSDS 3.0,
  accepted for older data), else the first sentence of ``description``, cut to
  300 characters; ``description`` is kept whole.
- Long texts (descriptions, application process, eligibility, fees,
  accessibility) are kept exactly as written, so they come back unchanged;
  one-line values (names, e-mails, URLs, phones, addresses, codes) lose the
  spaces around them.
- A service is free when it has cost options and every amount is 0, or when it
  has no positive amount and ``fees_description`` says it is free ("gratuito",
  "gratis", "free", …). ``fees_description`` becomes ``cost_description``; with
  none, the priced cost options are written there ("30 EUR, monthly"). Of a
  cost option nothing else is kept.
- ``minimum_age``/``maximum_age`` are whole years: fractions widen the range
  (floor of the minimum, ceiling of the maximum). A maximum above ``MAX_AGE``
  is kept and read as "adults too"; one above ``OLDEST_AGE`` is dropped: no
  upper age.
- Languages keep their codes, lower-cased; codes the catalogue does not offer
  are dropped. The first phone becomes ``phone``; other phones are dropped.
- ``status`` "active" publishes the service; any other status leaves it a draft.
- The top-level object of a record mirrors the input: a field it leaves out is
  cleared, and a service's service_at_locations are those of the input. An
  object nested in a record of another kind (the organization of a service,
  the service of a service_at_location, the services of an organization) often
  comes in short form: a field it leaves out keeps the catalogue's value, and
  its places are added, never removed. Organizations always update this way.
- An organization new to the catalogue is a ``provider``: a third-sector
  association that is no member of the network (providing services does not
  make it one; only joining, by signing the pact, does), left out of the
  public member directory (``is_public`` off). Its services are published,
  coordinators edit them (it has no staff), and the HSDS API serves it
  (``selectors.organisations``); its contacts, published by the data's
  source, stay public (``show_contacts``). An update keeps the status, type,
  slug and flags a coordinator may have chosen, and never hides a member.
- A location takes its ``physical`` address (else the first): ``address_1``,
  ``postal_code``, ``city``. With no name, a location is named after its
  address. Virtual locations are skipped. Coordinates that are no point on
  Earth are dropped; coordinates outside ``CITY_BBOX`` fail
  ``Location.clean()``, so the record is refused with that reason.
- Weekly schedules (``freq`` WEEKLY or empty, ``byday``, ``opens_at``,
  ``closes_at``, interval 1) become opening hours; a schedule limited further
  (``byweekno``, ``bymonthday``, ``byyearday``, another frequency) is skipped.
  Validity dates, counts and notes are not kept. A schedule of the service
  applies at each of its places. The hours of a place mirror the import.
- Taxonomy terms become categories: first by ``hsds_id``; else an existing
  category with the same name (Italian or English, any case) is reused as it
  is — it keeps its own id, so the seeded categories are not duplicated; else a
  new category whose slug is the term's ``code`` when that is a free slug, else
  made from the name. A ``parent_id`` the catalogue does not hold is dropped.
"""

from __future__ import annotations

import math
import re
import uuid
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

from retefamiglie.core.slugs import unique_slug
from retefamiglie.directory.models import (
    OLDEST_AGE,
    Category,
    Language,
    Location,
    OpeningHours,
    Service,
    ServiceAtLocation,
)
from retefamiglie.network.models import Organisation

from .hsds_input import (
    LOCATION,
    ORGANIZATION,
    SERVICE,
    SERVICE_AT_LOCATION,
    TAXONOMY_TERM,
    WHOLE,
    Ignored,
    Record,
    load_hsds,
    record_kind,
)

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

# The fields of each HSDS object the catalogue has a place for (links to the
# parent object included). Every other field with a value is reported as not
# kept; a field here may still be dropped for its value, with the reason.
HELD: dict[str, frozenset[str]] = {
    "service": frozenset(
        {
            "id",
            "organization_id",
            "organization",
            "name",
            "description",
            "short_description",
            "url",
            "email",
            "status",
            "application_process",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "phones",
            "languages",
            "cost_options",
            "service_at_locations",
            "attributes",
            "schedules",
        }
    ),
    "organization": frozenset(
        {
            "id",
            "name",
            "description",
            "email",
            "website",
            "phones",
            "locations",
            "services",
        }
    ),
    "service_at_location": frozenset(
        {
            "id",
            "service_id",
            "location_id",
            "description",
            "location",
            "schedules",
            "service",
        }
    ),
    "location": frozenset(
        {
            "id",
            "location_type",
            "organization_id",
            "name",
            "latitude",
            "longitude",
            "addresses",
            "accessibility",
        }
    ),
    "address": frozenset({"location_id", "address_1", "city", "postal_code"}),
    "accessibility": frozenset({"location_id", "description"}),
    "phone": frozenset({"service_id", "organization_id", "number"}),
    "language": frozenset({"service_id", "code"}),
    # An amount tells whether the service is free; nothing else is kept.
    "cost_option": frozenset({"service_id", "amount"}),
    "schedule": frozenset(
        {
            "service_id",
            "location_id",
            "service_at_location_id",
            "freq",
            "interval",
            "byday",
            "opens_at",
            "closes_at",
        }
    ),
    "attribute": frozenset({"link_id", "taxonomy_term_id", "taxonomy_term"}),
    "taxonomy_term": frozenset({"id", "name", "description", "code", "parent_id"}),
}
# Fields that hold other HSDS objects, and the kind of those objects.
CHILDREN: dict[str, dict[str, str]] = {
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
# The Service fields each HSDS field feeds, for services in short form.
SERVICE_SOURCES = {
    "name": ("name",),
    "description": ("description",),
    "summary": ("short_description", "description"),
    "url": ("url",),
    "email": ("email",),
    "eligibility": ("eligibility_description",),
    "age_min": ("minimum_age",),
    "age_max": ("maximum_age",),
    "is_free": ("fees_description", "cost_options"),
    "cost_description": ("fees_description", "cost_options"),
    "phone": ("phones",),
    "how_to_access": ("application_process",),
    "status": ("status",),
    "languages": ("languages",),
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


def _who(kind: str, hsds_id: str, name: str) -> str:
    who = f"{kind} {hsds_id}".rstrip()
    return f"{who} ({name})" if name else who


def describe_ignored(entries: Iterable[Ignored]) -> list[str]:
    """One line per object for fields without a place, one per other entry."""
    lines: list[str] = []
    fields: dict[tuple[str, str, str], list[str]] = {}
    for entry in entries:
        who = (entry.kind, entry.hsds_id, entry.name)
        if entry.reason:
            what = _who(*who) + ("" if entry.field == WHOLE else f", {entry.field}")
            lines.append(f"{what}: {entry.reason}")
        else:
            fields.setdefault(who, []).append(entry.field)
    lines.extend(
        _("%(object)s: %(fields)s: the catalogue has no place for these fields")
        % {"object": _who(*who), "fields": ", ".join(names)}
        for who, names in fields.items()
    )
    return lines


@dataclass
class ImportReport:
    """What an import created, updated, left unchanged, refused and left out."""

    outcomes: list[Outcome] = field(default_factory=list)
    # What of the input the catalogue does not keep, and why.
    ignored: list[Ignored] = field(default_factory=list)

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

    @property
    def notes(self) -> list[str]:
        """What is not kept, as the operator reads it."""
        return describe_ignored(self.ignored)

    def ignored_keys(self) -> set[tuple[str, str, str]]:
        """``(kind, hsds_id, field)`` of everything not kept."""
        return {entry.key for entry in self.ignored}

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
        out.extend(f"  not kept: {line}" for line in self.notes)
        return out


# --- small conversions -------------------------------------------------------


def _line(value: Any) -> str:
    """A one-line value, without the spaces around it."""
    return "" if value is None else str(value).strip()


def _long(value: Any) -> str:
    """A long text as written; only blanks count as nothing."""
    text = "" if value is None else str(value)
    return text if text.strip() else ""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _uuid(value: Any, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(_line(value))
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
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", _line(value))
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


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def why_not_weekly(schedule: Record) -> str:
    """Why ``schedule`` is no weekly opening time; empty when it is one."""
    freq = _line(schedule.get("freq")).upper()
    if freq not in ("", "WEEKLY"):
        return _("its frequency is %(freq)s") % {"freq": freq}
    interval = _number(schedule.get("interval"), "interval")
    if interval not in (None, 1):
        return _("it repeats every %(n)s weeks") % {"n": schedule.get("interval")}
    limits = [
        name
        for name in ("byweekno", "bymonthday", "byyearday", "bymonth")
        if not _empty(schedule.get(name))
    ]
    if limits:
        return _("%(fields)s limit it to some weeks or days") % {
            "fields": ", ".join(limits)
        }
    if not (_time(schedule.get("opens_at")) and _time(schedule.get("closes_at"))):
        return _("it has no opening and closing time")
    if not set(_days(schedule)) <= set(WEEKDAYS):
        return _("%(byday)r are not days of the week") % {
            "byday": schedule.get("byday")
        }
    return ""


def _days(schedule: Record) -> list[str]:
    return [day.strip().upper() for day in _line(schedule.get("byday")).split(",")]


def audit(kind: str, data: Record, found: Callable[[Ignored], None]) -> None:
    """Report every field of ``data`` (and of what it nests) without a place."""
    held = HELD.get(kind, frozenset())
    children = CHILDREN.get(kind, {})
    for key, value in data.items():
        if key.startswith("_") or _empty(value):
            continue
        if key not in held:
            found(Ignored(kind, _line(data.get("id")), key, _line(data.get("name"))))
        elif key in children:
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, dict):
                    audit(children[key], child, found)


# --- writing -----------------------------------------------------------------


class _Importer:
    """Writes records; one instance per import run."""

    def __init__(self, records: list[Record], report: ImportReport) -> None:
        self.report = report
        self.seen: set[tuple[str, str]] = set()
        self.seen_ignored: set[tuple[str, str, str]] = set()
        self.organizations: dict[str, Record] = {}
        for record in records:
            org = record.get("organization")
            if record_kind(record) == ORGANIZATION:
                org = record
            if isinstance(org, dict) and org.get("id"):
                self.organizations.setdefault(_line(org["id"]), org)
        self.pending: list[Outcome] = []
        self.ignored: dict[tuple[str, str, str], Ignored] = {}

    # Outcomes and what is not kept count only when the record commits.
    def _note(self, kind: str, obj: Any, action: str) -> None:
        self.pending.append(Outcome(kind, str(obj.hsds_id), str(obj), action))

    def ignore(self, kind: str, data: Record, name: str, reason: str) -> None:
        """Report that ``name`` of ``data`` (``"*"``: all of it) is not kept."""
        self._found(
            Ignored(kind, _line(data.get("id")), name, _line(data.get("name")), reason)
        )

    def _found(self, entry: Ignored) -> None:
        self.ignored.setdefault(entry.key, entry)

    def run(self, record: Record) -> None:
        kind = record_kind(record)
        self.pending, self.ignored = [], {}
        try:
            with transaction.atomic():
                self.write(kind, record)
                audit(kind, record, self._found)
        except RecordRefusedError as exc:
            self._refuse(kind, record, str(exc))
            return
        except (AttributeError, TypeError, KeyError) as exc:
            # A nested value of the wrong JSON type (a string for a list, …).
            self._refuse(
                kind, record, _("Malformed record: %(error)s") % {"error": exc}
            )
            return
        for outcome in self.pending:
            key = (outcome.kind, outcome.hsds_id)
            if key not in self.seen:
                self.seen.add(key)
                self.report.outcomes.append(outcome)
        self.keep_ignored(self.ignored.values())

    def keep_ignored(self, entries: Iterable[Ignored]) -> None:
        entries = list(entries)
        # Of an object left out whole, its fields need no line of their own.
        whole = {(e.kind, e.hsds_id) for e in entries if e.field == WHOLE}
        for entry in entries:
            if entry.field != WHOLE and (entry.kind, entry.hsds_id) in whole:
                continue
            if entry.key not in self.seen_ignored:
                self.seen_ignored.add(entry.key)
                self.report.ignored.append(entry)

    def write(self, kind: str, record: Record) -> None:
        if kind == ORGANIZATION:
            self.organization(record)
        elif kind == SERVICE_AT_LOCATION:
            self.service_at_location_record(record)
        elif kind == TAXONOMY_TERM:
            self.category(record)
        else:
            self.service(record, partial=False)

    def _refuse(self, kind: str, record: Record, reason: str) -> None:
        self.report.outcomes.append(
            Outcome(
                kind,
                _line(record.get("id")),
                _line(record.get("name")),
                REFUSED,
                reason,
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

    # --- organizations and places ---------------------------------------------

    def first_phone(self, data: Record) -> str:
        """The number of the first phone; the others are reported."""
        phones = data.get("phones") or []
        for phone in phones[1:]:
            self.ignore("phone", phone, WHOLE, _("only the first phone is kept"))
        return _line(phones[0].get("number")) if phones else ""

    def organization(self, data: Record, *, with_children: bool = True) -> Organisation:
        hsds_id = _uuid(data.get("id"), "organization")
        given = {
            "name": _line(data.get("name")),
            "description": _long(data.get("description")),
            "email": _line(data.get("email")),
            "website": _line(data.get("website")),
            "phone": self.first_phone(data),
        }
        # An organization often comes in short form: a field it leaves out
        # keeps the value the catalogue has.
        values = {
            key: value
            for key, value in given.items()
            if (key if key != "phone" else "phones") in data or key == "name"
        }
        organisation = self.save(
            "organization",
            Organisation,
            hsds_id,
            values,
            lambda: {
                "type": Organisation.Type.THIRD_SECTOR,
                "slug": unique_slug(Organisation, values["name"], fallback="hsds"),
                # A provider, not a member: see the module's docstring.
                "is_public": False,
                "status": Organisation.Status.PROVIDER,
                "show_contacts": True,
            },
        )
        if with_children:
            for place in data.get("locations") or []:
                self.location(place, organisation)
            for service in data.get("services") or []:
                self.service(service, partial=True, organisation=organisation)
        return organisation

    def organization_by_id(self, value: Any) -> Organisation:
        hsds_id = _uuid(value, "organization")
        if str(hsds_id) in self.organizations:
            data = self.organizations[str(hsds_id)]
            return self.organization(data, with_children=False)
        known = Organisation.objects.filter(hsds_id=hsds_id).first()
        if known is None:
            raise RecordRefusedError(
                _("Unknown organization %(id)s: it is neither in the file nor here.")
                % {"id": value}
            )
        return known

    def address_of(self, data: Record) -> Record:
        """The address a place keeps: the physical one, else the first."""
        addresses = [a for a in data.get("addresses") or [] if isinstance(a, dict)]
        address = next(
            (a for a in addresses if a.get("address_type") == "physical"),
            addresses[0] if addresses else {},
        )
        for other in addresses:
            if other is not address:
                self.ignore("address", other, WHOLE, _("a place keeps one address"))
        return address

    def coordinates(self, data: Record) -> tuple[Decimal | None, Decimal | None]:
        """Latitude and longitude; both dropped when they are no point on Earth."""
        latitude = _coordinate(data.get("latitude"), "latitude")
        longitude = _coordinate(data.get("longitude"), "longitude")
        if (latitude is None or -90 <= latitude <= 90) and (
            longitude is None or -180 <= longitude <= 180
        ):
            return latitude, longitude
        reason = _("%(lat)s, %(lng)s is no point on Earth") % {
            "lat": data.get("latitude"),
            "lng": data.get("longitude"),
        }
        for name in ("latitude", "longitude"):
            if data.get(name) is not None:
                self.ignore(LOCATION, data, name, reason)
        return None, None

    def location(self, data: Record, organisation: Organisation) -> Location | None:
        location_type = _line(data.get("location_type"))
        if location_type == "virtual":
            self.ignore(
                LOCATION,
                data,
                WHOLE,
                _("a virtual location has no address, and places need one"),
            )
            return None
        if location_type not in ("", "physical"):
            self.ignore(
                LOCATION,
                data,
                "location_type",
                _("a %(type)s location is kept as a place services are given at")
                % {"type": location_type},
            )
        hsds_id = _uuid(data.get("id"), "location")
        if data.get("organization_id"):
            organisation = self.organization_by_id(data["organization_id"])
        address = self.address_of(data)
        latitude, longitude = self.coordinates(data)
        access = data.get("accessibility") or []
        values = {
            "organisation": organisation,
            "name": _line(data.get("name")) or _line(address.get("address_1")),
            "address": _line(address.get("address_1")),
            "postal_code": _line(address.get("postal_code")),
            "city": _line(address.get("city")) or "Lucca",
            "latitude": latitude,
            "longitude": longitude,
            "accessibility": "\n".join(
                _long(a.get("description")) for a in access if a.get("description")
            ),
        }
        return self.save("location", Location, hsds_id, values)

    # --- categories -------------------------------------------------------------

    def category(self, term: Record) -> Category:
        hsds_id = _uuid(term.get("id"), "taxonomy_term")
        name = _line(term.get("name"))
        existing = Category.objects.filter(hsds_id=hsds_id).first()
        if existing is None and name:
            same = Category.objects.filter(
                models.Q(name__iexact=name) | models.Q(name_en__iexact=name)
            ).first()
            if same is not None:
                self._note("taxonomy_term", same, UNCHANGED)
                self.ignore(
                    TAXONOMY_TERM,
                    term,
                    WHOLE,
                    _("the category %(name)s of the same name is used as it is")
                    % {"name": same.name},
                )
                return same
        values: dict[str, Any] = {
            "name": name,
            "description": _long(term.get("description")),
        }
        if term.get("parent_id"):
            parent = Category.objects.filter(
                hsds_id=_uuid(term["parent_id"], "taxonomy_term")
            ).first()
            if parent is None:
                self.ignore(
                    TAXONOMY_TERM,
                    term,
                    "parent_id",
                    _("parent term %(id)s is neither in the input before it nor here")
                    % {"id": term["parent_id"]},
                )
            else:
                values["parent"] = parent
        if existing is not None:
            self.check_code(term, existing.slug)
        return self.save(
            "taxonomy_term",
            Category,
            hsds_id,
            values,
            lambda: {"slug": self.new_category_slug(term, name)},
        )

    def new_category_slug(self, term: Record, name: str) -> str:
        code = _line(term.get("code"))
        if (
            code
            and slugify(code) == code
            and len(code) <= 120
            and not Category.objects.filter(slug=code).exists()
        ):
            return code
        slug = unique_slug(Category, name, fallback="hsds")
        self.check_code(term, slug)
        return slug

    def check_code(self, term: Record, slug: str) -> None:
        code = _line(term.get("code"))
        if code and code != slug:
            self.ignore(
                TAXONOMY_TERM,
                term,
                "code",
                _("the category's code is %(slug)s") % {"slug": slug},
            )

    def categories(self, record: Record) -> list[Category]:
        found = []
        for attribute in record.get("attributes") or []:
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                found.append(self.category(term))
                continue
            term_id = attribute.get("taxonomy_term_id")
            known = (
                Category.objects.filter(hsds_id=_uuid(term_id, "taxonomy_term")).first()
                if term_id
                else None
            )
            if known is None:
                self.ignore(
                    "attribute",
                    attribute,
                    WHOLE,
                    _("its taxonomy term %(id)s is neither in the input nor here")
                    % {"id": term_id},
                )
            else:
                found.append(known)
        return found

    # --- services ----------------------------------------------------------------

    def languages(self, record: Record) -> list[str]:
        known = set(Language.values)
        codes: list[str] = []
        for language in record.get("languages") or []:
            code = _line(language.get("code")).lower()
            if code in known and code not in codes:
                codes.append(code)
            elif code and code not in known:
                self.ignore(
                    "language",
                    language,
                    "code",
                    _("the catalogue does not offer language %(code)s")
                    % {"code": code},
                )
        return codes

    def ages(self, record: Record) -> tuple[int | None, int | None]:
        age_min = _age(record.get("minimum_age"), "minimum_age", math.floor)
        age_max = _age(record.get("maximum_age"), "maximum_age", math.ceil)
        if age_max is not None and age_max > OLDEST_AGE:
            self.ignore(
                SERVICE,
                record,
                "maximum_age",
                _(
                    "%(age)s is above %(max)s, the oldest age the catalogue records: "
                    "the service has no upper age"
                )
                % {"age": record.get("maximum_age"), "max": OLDEST_AGE},
            )
            age_max = None
        return age_min, age_max

    def cost_of(self, record: Record) -> tuple[bool, str]:
        """``(is_free, cost_description)`` from fees and cost options."""
        fees = _long(record.get("fees_description"))
        options = record.get("cost_options") or []
        amounts = [_number(o.get("amount"), "amount") for o in options]
        priced = [a for a in amounts if a is not None and a > 0]
        if options and all(a == 0 for a in amounts):
            is_free = True
        else:
            is_free = not priced and bool(FREE_WORDS.search(fees))
        for option, amount in zip(options, amounts, strict=True):
            if amount:
                self.ignore(
                    "cost_option",
                    option,
                    "amount",
                    _("the catalogue keeps only whether a service is free"),
                )
        if not fees and priced:
            fees = "; ".join(_cost_text(o) for o in options if o.get("amount"))
        return is_free, fees

    def service_values(self, record: Record, *, partial: bool) -> dict[str, Any]:
        """The Service fields an HSDS service maps to (no relations).

        ``partial``: only those the service gives (it is in short form).
        """
        description = _long(record.get("description"))
        is_free, cost_description = self.cost_of(record)
        age_min, age_max = self.ages(record)
        status = _line(record.get("status"))
        if status and status != "active":
            self.ignore(
                SERVICE,
                record,
                "status",
                _("a service that is %(status)s is kept as a draft")
                % {"status": status},
            )
        values = {
            "name": _line(record.get("name")),
            "description": description,
            "summary": _line(record.get("short_description"))
            or summary_from(description),
            "url": _line(record.get("url")),
            "email": _line(record.get("email")),
            "eligibility": _long(record.get("eligibility_description")),
            "age_min": age_min,
            "age_max": age_max,
            "is_free": is_free,
            "cost_description": cost_description,
            "phone": self.first_phone(record),
            "how_to_access": _long(record.get("application_process")),
            "status": Service.Status.PUBLISHED
            if status == "active"
            else Service.Status.DRAFT,
            "languages": self.languages(record),
        }
        if partial:
            values = {
                name: value
                for name, value in values.items()
                if any(source in record for source in SERVICE_SOURCES[name])
            }
        return values

    def service_organisation(
        self, record: Record, existing: Service | None
    ) -> Organisation:
        if isinstance(record.get("organization"), dict):
            return self.organization(record["organization"])
        if record.get("organization_id"):
            return self.organization_by_id(record["organization_id"])
        if existing is not None:
            return existing.organisation
        raise RecordRefusedError(_("The service names no organization."))

    def service(
        self,
        record: Record,
        *,
        partial: bool,
        organisation: Organisation | None = None,
    ) -> Service:
        """Write a service; ``partial``: it is in short form, nested in another
        kind of record, and what it leaves out stays as it is."""
        hsds_id = _uuid(record.get("id"), "service")
        existing = Service.objects.filter(hsds_id=hsds_id).first()
        if organisation is None:
            organisation = self.service_organisation(
                record, existing if partial else None
            )
        values = self.service_values(record, partial=partial)
        values["organisation"] = organisation
        categories = (
            self.categories(record) if "attributes" in record or not partial else None
        )
        categories_changed = (
            existing is not None
            and categories is not None
            and set(existing.categories.all()) != set(categories)
        )
        service = self.save(
            "service",
            Service,
            hsds_id,
            values,
            lambda: {
                "slug": unique_slug(Service, values.get("name", ""), fallback="hsds")
            },
            changed=categories_changed,
        )
        if categories is not None:
            service.categories.set(categories)
        if not partial or "service_at_locations" in record or "schedules" in record:
            self.service_at_locations(service, record, mirror=not partial)
        return service

    def service_at_location_record(self, record: Record) -> None:
        """A service_at_location: its service in short form, and this place."""
        place = {key: value for key, value in record.items() if key != "service"}
        nested = record.get("service")
        if isinstance(nested, dict):
            self.service({**nested, "service_at_locations": [place]}, partial=True)
            return
        service = Service.objects.filter(
            hsds_id=_uuid(record.get("service_id"), "service")
        ).first()
        if service is None:
            raise RecordRefusedError(
                _("Unknown service %(id)s: it is neither in the file nor here.")
                % {"id": record.get("service_id")}
            )
        self.service_at_locations(
            service, {"service_at_locations": [place]}, mirror=False
        )

    def service_at_locations(
        self, service: Service, record: Record, *, mirror: bool
    ) -> None:
        """The places of ``service``; ``mirror``: only those of the input."""
        loose = record.get("schedules") or []
        kept: list[uuid.UUID] = []
        for data in record.get("service_at_locations") or []:
            place = self.place(service, data, loose)
            if place is not None:
                kept.append(place.hsds_id)
        if mirror:
            service.service_at_locations.exclude(hsds_id__in=kept).delete()
        if not kept:
            for schedule in loose:
                self.ignore(
                    "schedule",
                    schedule,
                    WHOLE,
                    _("the service has no place for its opening hours"),
                )

    def place(
        self, service: Service, data: Record, loose: list[Record]
    ) -> ServiceAtLocation | None:
        hsds_id = _uuid(data.get("id"), "service_at_location")
        location_data = data.get("location")
        if not isinstance(location_data, dict):
            raise RecordRefusedError(
                _("Service at location %(id)s has no location.")
                % {"id": data.get("id")}
            )
        location = self.location(location_data, service.organisation)
        if location is None:
            self.ignore(
                SERVICE_AT_LOCATION,
                data,
                WHOLE,
                _("its location is virtual"),
            )
            return None
        schedules = [
            *(data.get("schedules") or []),
            *(
                s
                for s in loose
                if s.get("service_at_location_id") in (None, data.get("id"))
            ),
        ]
        return self.service_at_location(hsds_id, service, location, data, schedules)

    def service_at_location(
        self,
        hsds_id: uuid.UUID,
        service: Service,
        location: Location,
        data: Record,
        schedules: list[Record],
    ) -> ServiceAtLocation:
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
                "description": _long(data.get("description")),
            },
            changed=hours_changed,
        )
        if existing is None or hours_changed:
            sal.opening_hours.all().delete()
            for weekday, opens_at, closes_at in sorted(hours):
                self.opening(sal, weekday, opens_at, closes_at)
        return sal

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
            if where and _line(where) != str(location.hsds_id):
                continue
            why = why_not_weekly(schedule)
            if why:
                self.ignore(
                    "schedule",
                    schedule,
                    WHOLE,
                    _("not a weekly opening time (%(why)s)") % {"why": why},
                )
                continue
            opens_at = _time(schedule.get("opens_at"))
            closes_at = _time(schedule.get("closes_at"))
            if opens_at is None or closes_at is None:  # checked just above
                continue
            hours.update(
                (WEEKDAYS[day], opens_at, closes_at) for day in _days(schedule)
            )
        return hours


def _cost_text(option: Record) -> str:
    text = _long(option.get("amount_description")).strip()
    if text:
        return text
    amount = f"{_number(option.get('amount'), 'amount'):g}"
    parts = [amount, _line(option.get("currency")), _line(option.get("option"))]
    return " ".join(p for p in parts if p)


def import_records(
    records: list[Record],
    *,
    left_out: Iterable[Ignored] = (),
    progress: Progress | None = None,
) -> ImportReport:
    """Import records; each one whole or not at all.

    ``left_out``: what of the input no record holds (see ``HsdsInput``).
    """
    report = ImportReport()
    importer = _Importer(records, report)
    for done, record in enumerate(records, start=1):
        importer.run(record)
        if progress:
            progress(done, len(records))
    importer.keep_ignored(left_out)
    return report


def import_hsds(path: str | Path, *, progress: Progress | None = None) -> ImportReport:
    """Import the HSDS file or data package folder at ``path``."""
    data = load_hsds(path)
    return import_records(data.records, left_out=data.left_out, progress=progress)

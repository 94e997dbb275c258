"""Writing records into the catalogue, each in its own savepoint, through the
directory's services (directory/services/imports.py): a record that fails is
refused whole."""

import math
import uuid
from collections.abc import Callable, Iterable
from datetime import time
from decimal import Decimal
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
    Service,
    ServiceAtLocation,
)
from retefamiglie.directory.services import imports
from retefamiglie.network.models import Organisation

from ..hsds_input import (
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
from .conversion import (
    FREE_WORDS,
    WEEKDAYS,
    RecordRefusedError,
    as_age,
    as_coordinate,
    as_number,
    as_time,
    as_uuid,
    cost_text,
    summary_from,
    text_line,
    text_long,
    weekdays_of,
    why_not_weekly,
)
from .fields import SERVICE_SOURCES, audit
from .report import REFUSED, UNCHANGED, ImportReport, Outcome, Progress


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


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
                self.organizations.setdefault(text_line(org["id"]), org)
        self.pending: list[Outcome] = []
        self.ignored: dict[tuple[str, str, str], Ignored] = {}

    # Outcomes and what is not kept count only when the record commits.
    def _note(self, kind: str, obj: Any, action: str) -> None:
        self.pending.append(Outcome(kind, str(obj.hsds_id), str(obj), action))

    def ignore(self, kind: str, data: Record, name: str, reason: str) -> None:
        """Report that ``name`` of ``data`` (``"*"``: all of it) is not kept."""
        self._found(
            Ignored(
                kind,
                text_line(data.get("id")),
                name,
                text_line(data.get("name")),
                reason,
            )
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
                text_line(record.get("id")),
                text_line(record.get("name")),
                REFUSED,
                reason,
            )
        )

    def save[M: models.Model](
        self,
        kind: str,
        write: Callable[..., tuple[M, str]],
        hsds_id: uuid.UUID,
        values: dict[str, Any],
        **arguments: Any,
    ) -> M:
        """Write one object through the directory's import service ``write``,
        noting what happened; a ValidationError refuses the record."""
        label = values.get("name") or hsds_id
        try:
            obj, action = write(hsds_id=hsds_id, values=values, **arguments)
        except ValidationError as exc:
            raise RecordRefusedError(f"{kind} {label}: {_describe(exc)}") from None
        self._note(kind, obj, action)
        return obj

    # --- organizations and places ---------------------------------------------

    def first_phone(self, data: Record) -> str:
        """The number of the first phone; the others are reported."""
        phones = data.get("phones") or []
        for phone in phones[1:]:
            self.ignore("phone", phone, WHOLE, _("only the first phone is kept"))
        return text_line(phones[0].get("number")) if phones else ""

    def organization(self, data: Record, *, with_children: bool = True) -> Organisation:
        hsds_id = as_uuid(data.get("id"), "organization")
        given = {
            "name": text_line(data.get("name")),
            "description": text_long(data.get("description")),
            "email": text_line(data.get("email")),
            "website": text_line(data.get("website")),
            "phone": self.first_phone(data),
        }
        # An organization often comes in short form: a field it leaves out
        # keeps the value the catalogue has.
        values = {
            key: value
            for key, value in given.items()
            if (key if key != "phone" else "phones") in data or key == "name"
        }
        # New, it is a provider, not a member: see the package's docstring.
        organisation = self.save(
            "organization", imports.imported_organisation_save, hsds_id, values
        )
        if with_children:
            for place in data.get("locations") or []:
                self.location(place, organisation)
            for service in data.get("services") or []:
                self.service(service, partial=True, organisation=organisation)
        return organisation

    def organization_by_id(self, value: Any) -> Organisation:
        hsds_id = as_uuid(value, "organization")
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
        latitude = as_coordinate(data.get("latitude"), "latitude")
        longitude = as_coordinate(data.get("longitude"), "longitude")
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
        location_type = text_line(data.get("location_type"))
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
        hsds_id = as_uuid(data.get("id"), "location")
        if data.get("organization_id"):
            organisation = self.organization_by_id(data["organization_id"])
        address = self.address_of(data)
        latitude, longitude = self.coordinates(data)
        access = data.get("accessibility") or []
        values = {
            "organisation": organisation,
            "name": text_line(data.get("name")) or text_line(address.get("address_1")),
            "address": text_line(address.get("address_1")),
            "postal_code": text_line(address.get("postal_code")),
            "city": text_line(address.get("city")) or "Lucca",
            "latitude": latitude,
            "longitude": longitude,
            "accessibility": "\n".join(
                text_long(a.get("description")) for a in access if a.get("description")
            ),
        }
        return self.save("location", imports.imported_location_save, hsds_id, values)

    # --- categories -------------------------------------------------------------

    def category(self, term: Record) -> Category:
        hsds_id = as_uuid(term.get("id"), "taxonomy_term")
        name = text_line(term.get("name"))
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
            "description": text_long(term.get("description")),
        }
        if term.get("parent_id"):
            parent = Category.objects.filter(
                hsds_id=as_uuid(term["parent_id"], "taxonomy_term")
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
            imports.imported_category_save,
            hsds_id,
            values,
            new_slug=lambda: self.new_category_slug(term, name),
        )

    def new_category_slug(self, term: Record, name: str) -> str:
        code = text_line(term.get("code"))
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
        code = text_line(term.get("code"))
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
                Category.objects.filter(
                    hsds_id=as_uuid(term_id, "taxonomy_term")
                ).first()
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
            code = text_line(language.get("code")).lower()
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
        age_min = as_age(record.get("minimum_age"), "minimum_age", math.floor)
        age_max = as_age(record.get("maximum_age"), "maximum_age", math.ceil)
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
        fees = text_long(record.get("fees_description"))
        options = record.get("cost_options") or []
        amounts = [as_number(o.get("amount"), "amount") for o in options]
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
            fees = "; ".join(cost_text(o) for o in options if o.get("amount"))
        return is_free, fees

    def service_values(self, record: Record, *, partial: bool) -> dict[str, Any]:
        """The Service fields an HSDS service maps to (no relations).

        ``partial``: only those the service gives (it is in short form).
        """
        description = text_long(record.get("description"))
        is_free, cost_description = self.cost_of(record)
        age_min, age_max = self.ages(record)
        status = text_line(record.get("status"))
        if status and status != "active":
            self.ignore(
                SERVICE,
                record,
                "status",
                _("a service that is %(status)s is kept as a draft")
                % {"status": status},
            )
        values = {
            "name": text_line(record.get("name")),
            "description": description,
            "summary": text_line(record.get("short_description"))
            or summary_from(description),
            "url": text_line(record.get("url")),
            "email": text_line(record.get("email")),
            "eligibility": text_long(record.get("eligibility_description")),
            "age_min": age_min,
            "age_max": age_max,
            "is_free": is_free,
            "cost_description": cost_description,
            "phone": self.first_phone(record),
            "how_to_access": text_long(record.get("application_process")),
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
        self, record: Record, known_as: uuid.UUID | None
    ) -> Organisation:
        """The organization the service names; else, for a service in short
        form (``known_as`` its id), the one it has in the catalogue."""
        if isinstance(record.get("organization"), dict):
            return self.organization(record["organization"])
        if record.get("organization_id"):
            return self.organization_by_id(record["organization_id"])
        existing = (
            Service.objects.filter(hsds_id=known_as)
            .select_related("organisation")
            .first()
            if known_as is not None
            else None
        )
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
        hsds_id = as_uuid(record.get("id"), "service")
        if organisation is None:
            organisation = self.service_organisation(
                record, hsds_id if partial else None
            )
        values = self.service_values(record, partial=partial)
        values["organisation"] = organisation
        categories = (
            self.categories(record) if "attributes" in record or not partial else None
        )
        service = self.save(
            "service",
            imports.imported_service_save,
            hsds_id,
            values,
            categories=categories,
        )
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
            hsds_id=as_uuid(record.get("service_id"), "service")
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
            imports.imported_places_keep(service=service, hsds_ids=kept)
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
        hsds_id = as_uuid(data.get("id"), "service_at_location")
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
        values = {
            "service": service,
            "location": location,
            "description": text_long(data.get("description")),
        }
        try:
            sal, action, hours_anew = imports.imported_place_save(
                hsds_id=hsds_id, values=values, hours=hours
            )
        except ValidationError as exc:
            raise RecordRefusedError(
                f"service_at_location {hsds_id}: {_describe(exc)}"
            ) from None
        self._note("service_at_location", sal, action)
        if hours_anew:
            imports.opening_hours_clear(place=sal)
            for weekday, opens_at, closes_at in sorted(hours):
                self.opening(sal, weekday, opens_at, closes_at)
        return sal

    def opening(
        self, sal: ServiceAtLocation, weekday: int, opens_at: time, closes_at: time
    ) -> None:
        try:
            imports.opening_hours_add(
                place=sal, weekday=weekday, opens_at=opens_at, closes_at=closes_at
            )
        except ValidationError as exc:
            raise RecordRefusedError(
                f"schedule {opens_at:%H:%M}-{closes_at:%H:%M}: {_describe(exc)}"
            ) from None

    def opening_hours(
        self, schedules: Iterable[Record], location: Location
    ) -> set[tuple[int, time, time]]:
        hours: set[tuple[int, time, time]] = set()
        for schedule in schedules:
            where = schedule.get("location_id")
            if where and text_line(where) != str(location.hsds_id):
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
            opens_at = as_time(schedule.get("opens_at"))
            closes_at = as_time(schedule.get("closes_at"))
            if opens_at is None or closes_at is None:  # checked just above
                continue
            hours.update(
                (WEEKDAYS[day], opens_at, closes_at) for day in weekdays_of(schedule)
            )
        return hours


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

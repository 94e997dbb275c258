"""Our catalogue as Open Referral HSDS 3.0 objects (plain dicts, ready for JSON).

Every function takes model instances already loaded with what it reads (see
``selectors.py``) and runs no query of its own. Objects HSDS has and our models
do not (phones, addresses, languages, schedules, cost options, attributes) get
ids derived with uuid5 from their owner's ``hsds_id``, so they stay the same
from one request, or one export, to the next.

Contacts of an organisation that chose not to show them publicly
(``show_contacts``) are left out, on its services too.
"""

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from retefamiglie.directory.models import (
    Category,
    Language,
    Location,
    OpeningHours,
    Service,
    ServiceAtLocation,
)
from retefamiglie.network.models import Organisation

HSDS_VERSION = "3.0"
# The one taxonomy the categories form; its id is the same on every installation.
TAXONOMY_NAME = "rete-famiglie-categorie"
TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:retefamiglie:hsds:{TAXONOMY_NAME}")
TAXONOMY_VERSION = "1"
COUNTRY = "IT"
CURRENCY = "EUR"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LANGUAGE_NAMES = dict(Language.choices)

JSON = dict[str, Any]


def derived_id(owner: uuid.UUID, *parts: object) -> str:
    """A stable id for an object HSDS has and our models do not."""
    return str(uuid.uuid5(owner, ":".join(str(part) for part in parts)))


def _timestamp(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat()


def _without_empty(data: JSON) -> JSON:
    """HSDS fields are optional unless required: leave out what we do not know."""
    return {key: value for key, value in data.items() if value not in ("", None)}


# ------------------------------------------------------------------------------
# Taxonomy
# ------------------------------------------------------------------------------


def taxonomy_to_hsds() -> JSON:
    return {
        "id": str(TAXONOMY_ID),
        "name": TAXONOMY_NAME,
        "description": "Categorie dei servizi della rete per le famiglie "
        f"({settings.RETEFAMIGLIE['NETWORK_NAME']}).",
        "version": TAXONOMY_VERSION,
    }


def taxonomy_term_to_hsds(category: Category, *, parent_hsds_id: Any = None) -> JSON:
    """``parent_hsds_id``: the parent's hsds_id when known without a query.

    Without it the parent is read through ``category.parent`` (select_related
    it, or pass the ids).
    """
    if parent_hsds_id is None and category.parent_id is not None:
        parent_hsds_id = category.parent.hsds_id  # type: ignore[union-attr]
    return _without_empty(
        {
            "id": str(category.hsds_id),
            "code": category.slug,
            "name": category.name,
            "description": category.description,
            "parent_id": str(parent_hsds_id) if parent_hsds_id else None,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": str(TAXONOMY_ID),
            "taxonomy_detail": taxonomy_to_hsds(),
            "language": "it",
        }
    ) | {"description": category.description}


def _attributes(service: Service, categories: list[Category]) -> list[JSON]:
    return [
        {
            "id": derived_id(service.hsds_id, "attribute", category.hsds_id),
            "link_id": str(service.hsds_id),
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": str(category.hsds_id),
            "taxonomy_term": _term_inline(category),
        }
        for category in categories
    ]


def _term_inline(category: Category) -> JSON:
    # The parent's id is left out: reading it would cost a query per term.
    return _without_empty(
        {
            "id": str(category.hsds_id),
            "code": category.slug,
            "name": category.name,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": str(TAXONOMY_ID),
            "language": "it",
        }
    ) | {"description": category.description}


# ------------------------------------------------------------------------------
# Organisations and places
# ------------------------------------------------------------------------------


def _phone(owner: uuid.UUID, number: str, **links: str) -> list[JSON]:
    if not number:
        return []
    return [{"id": derived_id(owner, "phone"), "number": number, **links}]


def organization_to_hsds(
    organisation: Organisation,
    *,
    full: bool = True,
    locations: list[Location] | None = None,
    services: list[JSON] | None = None,
) -> JSON:
    """An HSDS organization; ``full`` adds phones, places and given services.

    ``locations`` are the organisation's places (prefetched by the caller);
    ``services`` the HSDS services to nest, already serialised.
    """
    contacts = organisation.show_contacts
    data = _without_empty(
        {
            "id": str(organisation.hsds_id),
            "name": organisation.name,
            "email": organisation.email if contacts else "",
            "website": organisation.website,
            "legal_status": organisation.get_type_display(),
            "logo": organisation.logo.url if organisation.logo else "",
        }
    ) | {"description": organisation.description}
    if not full:
        return data
    org_id = str(organisation.hsds_id)
    data["phones"] = (
        _phone(organisation.hsds_id, organisation.phone, organization_id=org_id)
        if contacts
        else []
    )
    data["locations"] = [location_to_hsds(place) for place in locations or []]
    if contacts and organisation.address:
        data["locations"].append(_postal_location(organisation))
    if services is not None:
        data["services"] = services
    return data


def _postal_location(organisation: Organisation) -> JSON:
    """The organisation's own address, a free text, as a postal location."""
    location_id = derived_id(organisation.hsds_id, "postal-location")
    return {
        "id": location_id,
        "location_type": "postal",
        "organization_id": str(organisation.hsds_id),
        "name": organisation.name,
        "addresses": [
            {
                "id": derived_id(organisation.hsds_id, "postal-address"),
                "location_id": location_id,
                "address_1": organisation.address,
                "city": "",
                "state_province": "",
                "postal_code": "",
                "country": COUNTRY,
                "address_type": "postal",
            }
        ],
    }


def location_to_hsds(location: Location, *, accessibility_note: str = "") -> JSON:
    """An HSDS location (physical) with its address and accessibility.

    ``accessibility_note``: what a service adds about access at this place.
    """
    location_id = str(location.hsds_id)
    data = _without_empty(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": str(location.organisation.hsds_id),
            "name": location.name,
            "latitude": float(location.latitude) if location.latitude else None,
            "longitude": float(location.longitude) if location.longitude else None,
        }
    )
    data["addresses"] = [
        {
            "id": derived_id(location.hsds_id, "address"),
            "location_id": location_id,
            "address_1": location.address,
            "city": location.city,
            "region": location.area.name if location.area_id else "",  # type: ignore[union-attr]
            "state_province": settings.RETEFAMIGLIE.get("PROVINCE", ""),
            "postal_code": location.postal_code,
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]
    accessibility = []
    if location.accessibility:
        accessibility.append(
            {
                "id": derived_id(location.hsds_id, "accessibility"),
                "location_id": location_id,
                "description": location.accessibility,
            }
        )
    if accessibility_note:
        accessibility.append(
            {
                "id": derived_id(location.hsds_id, "accessibility", accessibility_note),
                "location_id": location_id,
                "details": accessibility_note,
            }
        )
    data["accessibility"] = accessibility
    return data


# ------------------------------------------------------------------------------
# Schedules, service at a place, service
# ------------------------------------------------------------------------------


def _utc_offset_hours() -> float:
    """Today's offset of the site's time zone (HSDS wants a number)."""
    offset = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0


def schedule_to_hsds(hours: OpeningHours, at: ServiceAtLocation) -> JSON:
    """One weekly opening (a day, from, to) of a service at a place."""
    return {
        "id": derived_id(
            at.hsds_id, "schedule", hours.weekday, f"{hours.opens_at:%H:%M}"
        ),
        "service_id": str(at.service.hsds_id),
        "location_id": str(at.location.hsds_id),
        "service_at_location_id": str(at.hsds_id),
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": BYDAY[hours.weekday],
        "opens_at": f"{hours.opens_at:%H:%M}",
        "closes_at": f"{hours.closes_at:%H:%M}",
        "timezone": _utc_offset_hours(),
        "description": str(hours),
        "notes": f"Ora locale ({settings.TIME_ZONE}).",
    }


def service_at_location_to_hsds(
    at: ServiceAtLocation, *, full: bool = True, with_service: bool = True
) -> JSON:
    """The service at one place, with the place and its weekly openings.

    ``with_service`` nests the service (short form): off when the caller is
    the service itself.
    """
    service = at.service
    data = _without_empty(
        {
            "id": str(at.hsds_id),
            "service_id": str(service.hsds_id),
            "location_id": str(at.location.hsds_id),
            "description": at.description,
        }
    )
    data["location"] = location_to_hsds(
        at.location, accessibility_note=service.accessibility
    )
    if with_service:
        data["service"] = service_to_hsds(service, full=False)
    if full:
        data["schedules"] = [
            schedule_to_hsds(hours, at) for hours in at.opening_hours.all()
        ]
        data["phones"] = []
        data["contacts"] = []
    return data


def _cost_options(service: Service) -> list[JSON]:
    if service.is_free:
        return [
            {
                "id": derived_id(service.hsds_id, "cost", "free"),
                "service_id": str(service.hsds_id),
                "option": "Gratuito",
                "currency": CURRENCY,
                "amount": 0,
                "amount_description": service.cost_description or "Gratuito",
            }
        ]
    if service.cost_description:
        # No currency: the text may quote any (an imported "£50 per hour").
        return [
            {
                "id": derived_id(service.hsds_id, "cost"),
                "service_id": str(service.hsds_id),
                "amount_description": service.cost_description,
            }
        ]
    return []


def _languages(service: Service) -> list[JSON]:
    return [
        {
            "id": derived_id(service.hsds_id, "language", code),
            "service_id": str(service.hsds_id),
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
        }
        for code in service.languages or []
        if isinstance(code, str)
    ]


def _fees_description(service: Service) -> str:
    if service.cost_description:
        return service.cost_description
    return "Gratuito" if service.is_free else ""


def service_to_hsds(service: Service, *, full: bool = True) -> JSON:
    """An HSDS service; ``full`` nests its organisation, places, schedules,
    languages, costs, phones and categories (as attributes).

    Reads ``service.organisation``, ``service.categories.all()`` and
    ``service.service_at_locations.all()`` with each one's location and
    opening hours: prefetch them (``selectors.services()`` does).
    """
    organisation = service.organisation
    data = _without_empty(
        {
            "id": str(service.hsds_id),
            "organization_id": str(organisation.hsds_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": "active",
            "application_process": service.how_to_access,
            "fees_description": _fees_description(service),
            "eligibility_description": service.eligibility,
            "minimum_age": service.age_min,
            "maximum_age": service.age_max,
            "last_modified": _timestamp(service.updated_at),
        }
    )
    if not full:
        return data
    data["organization"] = organization_to_hsds(organisation, full=False)
    data["phones"] = _phone(
        service.hsds_id, service.phone, service_id=str(service.hsds_id)
    )
    data["languages"] = _languages(service)
    data["cost_options"] = _cost_options(service)
    data["service_at_locations"] = [
        service_at_location_to_hsds(at, with_service=False)
        for at in service.service_at_locations.all()
    ]
    data["attributes"] = _attributes(service, list(service.categories.all()))
    data["schedules"] = []
    data["contacts"] = []
    return data


def minimal_service_to_hsds(service: Service) -> JSON:
    """What ``minimal=true`` lists: the id, when it changed, and what the
    schema requires (name, status)."""
    return {
        "id": str(service.hsds_id),
        "name": service.name,
        "status": "active",
        "last_modified": _timestamp(service.updated_at),
    }

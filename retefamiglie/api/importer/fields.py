"""Which fields of each HSDS object the catalogue has a place for, and the
report of those it has none for."""

from collections.abc import Callable

from ..hsds_input import Ignored, Record
from .conversion import is_empty, text_line

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


def audit(kind: str, data: Record, found: Callable[[Ignored], None]) -> None:
    """Report every field of ``data`` (and of what it nests) without a place."""
    held = HELD.get(kind, frozenset())
    children = CHILDREN.get(kind, {})
    for key, value in data.items():
        if key.startswith("_") or is_empty(value):
            continue
        if key not in held:
            found(
                Ignored(
                    kind, text_line(data.get("id")), key, text_line(data.get("name"))
                )
            )
        elif key in children:
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, dict):
                    audit(children[key], child, found)

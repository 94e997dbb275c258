"""schema.org descriptions (JSON-LD) of services and events, for search engines.

Pages put them in a ``<script type="application/ld+json">``; ``as_script_text``
escapes the JSON as django.utils.html.json_script does, so no text of a
listing can close the element.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from .models import Event, Location, Service, ServiceAtLocation
from .services.events import Occurrence, city_tz

JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
SCHEMA_DAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


def as_script_text(data: dict[str, Any]) -> SafeString:
    """``data`` as JSON safe inside a script element."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308  (escaped above)


def postal_address(location: Location) -> dict[str, str]:
    return {
        "@type": "PostalAddress",
        "streetAddress": location.address,
        "postalCode": location.postal_code,
        "addressLocality": location.city,
        "addressCountry": "IT",
    }


def service_data(service: Service, url: str) -> dict[str, Any]:
    """A schema.org Service describing ``service`` (detail page, with ``url``).

    Reads prefetched categories and places, so it makes no query of its own.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": service.name,
        "description": service.summary,
        "url": url,
        "provider": {
            "@type": "Organization",
            "name": service.organisation.name,
        },
        "serviceType": [category.name for category in service.categories.all()],
        "availableLanguage": [
            {"@type": "Language", "alternateName": code}
            for code in service.languages or []
        ],
    }
    if service.age_min is not None or service.age_max is not None:
        audience: dict[str, Any] = {"@type": "PeopleAudience"}
        if service.age_min is not None:
            audience["suggestedMinAge"] = service.age_min
        if service.age_max is not None:
            audience["suggestedMaxAge"] = service.age_max
        data["audience"] = audience
    if service.is_free:
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    elif service.cost_description:
        data["offers"] = {"@type": "Offer", "description": service.cost_description}
    contact = {
        key: value
        for key, value in (("email", service.email), ("telephone", service.phone))
        if value
    }
    if contact:
        data["provider"]["contactPoint"] = {"@type": "ContactPoint", **contact}
    channels = [_place_channel(at) for at in service.service_at_locations.all()]
    if channels:
        data["availableChannel"] = channels
    return data


def _place_channel(service_at_location: ServiceAtLocation) -> dict[str, Any]:
    location = service_at_location.location
    place: dict[str, Any] = {
        "@type": "Place",
        "name": location.name,
        "address": postal_address(location),
    }
    if location.latitude is not None and location.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[h.weekday]}",
            "opens": h.opens_at.strftime("%H:%M"),
            "closes": h.closes_at.strftime("%H:%M"),
        }
        for h in service_at_location.opening_hours.all()
    ]
    if hours:
        place["openingHoursSpecification"] = hours
    return {"@type": "ServiceChannel", "serviceLocation": place}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_data(event: Event, occurrences: Sequence[Occurrence]) -> dict[str, Any]:
    """A schema.org Event: its next date first, every listed date in its
    ``eventSchedule`` when there are more."""
    first = occurrences[0] if occurrences else None
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.name,
        "description": event.summary,
        "url": _absolute(event.get_absolute_url()),
        "startDate": (first.starts_at if first else event.starts_at)
        .astimezone(city_tz())
        .isoformat(),
        "endDate": (first.ends_at if first else event.ends_at)
        .astimezone(city_tz())
        .isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": event.is_free,
        "organizer": {"@type": "Organization", "name": event.organisation.name},
    }
    if event.organisation.has_public_profile:
        data["organizer"]["url"] = _absolute(event.organisation.get_absolute_url())
    if event.location is not None:
        data["location"] = {
            "@type": "Place",
            "name": event.location.name,
            "address": postal_address(event.location),
        }
    if event.languages:
        data["inLanguage"] = event.languages
    if event.age_min is not None or event.age_max is not None:
        data["typicalAgeRange"] = (
            f"{event.age_min or 0}-{event.age_max if event.age_max is not None else ''}"
        )
    if len(occurrences) > 1:
        data["eventSchedule"] = [
            {
                "@type": "Schedule",
                "startDate": occurrence.starts_at.astimezone(city_tz()).isoformat(),
                "endDate": occurrence.ends_at.astimezone(city_tz()).isoformat(),
                "scheduleTimezone": settings.TIME_ZONE,
            }
            for occurrence in occurrences
        ]
    return data

"""Template helpers of the catalogue: ages, languages, hours, JSON-LD, QR codes."""

import json
from collections import defaultdict

import qrcode
import qrcode.image.svg
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from retefamiglie.core.vocabularies import Language

from ..models import Weekday

register = template.Library()

# The escapes of django.utils.html.json_script: no "</script>" can close the tag.
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


@register.simple_tag
def age_range(listing) -> str:
    """The ages a service or event is for, in words."""
    low, high = listing.age_min, listing.age_max
    if low is None and high is None:
        return _("Any age")
    if low is None:
        return _("Up to %(high)s years") % {"high": high}
    if high is None:
        return _("From %(low)s years") % {"low": low}
    if low == high:
        return _("%(age)s years") % {"age": low}
    return _("From %(low)s to %(high)s years") % {"low": low, "high": high}


@register.filter
def language_names(codes) -> list[str]:
    """The names of the languages in a list of codes, unknown ones left out."""
    names = dict(Language.choices)
    return [str(names[code]) for code in codes or [] if code in names]


@register.filter
def hours_by_day(service_at_location) -> list[tuple[str, list]]:
    """(day, [opening hours]) for each day the place is open, Monday first.

    Reads the prefetched ``opening_hours``, so it makes no query.
    """
    days = defaultdict(list)
    for hours in service_at_location.opening_hours.all():
        days[hours.weekday].append(hours)
    return [
        (str(Weekday(day).label), sorted(days[day], key=lambda h: h.opens_at))
        for day in sorted(days)
    ]


def service_jsonld_data(service, url: str) -> dict:
    """A schema.org Service describing ``service`` (detail page, with ``url``)."""
    data: dict = {
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
        audience = {"@type": "PeopleAudience"}
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


def _place_channel(service_at_location) -> dict:
    location = service_at_location.location
    place: dict = {
        "@type": "Place",
        "name": location.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.address,
            "postalCode": location.postal_code,
            "addressLocality": location.city,
            "addressCountry": "IT",
        },
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


@register.simple_tag(takes_context=True)
def service_jsonld(context, service) -> SafeString:
    """A ``<script type="application/ld+json">`` describing the service."""
    request = context["request"]
    url = request.build_absolute_uri(service.get_absolute_url())
    text = json.dumps(service_jsonld_data(service, url), ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        context.get("csp_nonce", ""),
        mark_safe(text.translate(JSON_ESCAPES)),  # noqa: S308 (escaped above)
    )


@register.simple_tag
def qr_svg(url: str, label: str) -> SafeString:
    """An inline SVG QR code of ``url``, announced as an image named ``label``."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # The generated markup holds only the path data; the label is escaped.
    return format_html(
        '<svg role="img" aria-label="{}" class="flyer-qr" {}',
        label,
        mark_safe(svg.removeprefix("<svg ")),  # noqa: S308
    )

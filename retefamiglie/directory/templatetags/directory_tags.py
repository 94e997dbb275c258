"""Template helpers of the catalogue: ages, languages, hours, JSON-LD (built by
jsonld.py), QR codes."""

from collections import defaultdict

import qrcode
import qrcode.image.svg
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from retefamiglie.core.vocabularies import Language

from .. import jsonld
from ..models import Weekday

register = template.Library()


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


@register.simple_tag(takes_context=True)
def service_jsonld(context, service) -> SafeString:
    """A ``<script type="application/ld+json">`` describing the service."""
    request = context["request"]
    url = request.build_absolute_uri(service.get_absolute_url())
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        context.get("csp_nonce", ""),
        jsonld.as_script_text(jsonld.service_data(service, url)),
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

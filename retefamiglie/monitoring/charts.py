"""Charts drawn on the server as SVG: bars with their labels above them, so
they read at 360 px as on a desktop; each chart has a title, a description and a
data table beside it (the template), and needs no script in the browser."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH = 320  # the viewBox; the SVG scales to its container
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
VALUE_ROOM = 56  # room right of the longest bar for its figure


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    shown: str
    width: float
    label_y: int
    bar_y: int
    value_x: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = WIDTH


def withheld_text() -> str:
    from .privacy import threshold

    return _("fewer than %(k)s") % {"k": threshold()}


def shown(value: int | float | None) -> str:
    if value is None:
        return withheld_text()
    return number_format(value, force_grouping=True)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: list[tuple[str, int | None]],
    unit: str,
) -> Chart:
    """Horizontal bars, largest first as given; a withheld figure has no bar."""
    largest = max((value or 0 for _label, value in rows), default=0)
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        width = round(room * (value or 0) / largest, 1) if largest else 0.0
        if value:
            width = max(width, 2.0)
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown(value),
                width=width,
                label_y=top + LABEL_HEIGHT - 4,
                bar_y=top + LABEL_HEIGHT,
                value_x=width + 6,
            )
        )
    described = "; ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    return Chart(
        id=chart_id,
        title=title,
        description=_("Bar chart, %(unit)s. %(values)s.")
        % {"unit": unit, "values": described or _("no data")},
        bars=bars,
        height=max(len(bars) * ROW_HEIGHT, ROW_HEIGHT),
    )


@dataclass(frozen=True)
class Dot:
    label: str
    x: float
    y: float
    r: float
    least: bool
    shown: str


def _box(points: list) -> tuple[float, float, float, float]:
    if len(points) < 2:
        west, south, east, north = settings.RETEFAMIGLIE["CITY_BBOX"]
        return west, south, east, north
    lats = [float(point[1]) for point in points]
    lons = [float(point[2]) for point in points]
    pad_lat = max((max(lats) - min(lats)) * 0.15, 0.005)
    pad_lon = max((max(lons) - min(lons)) * 0.15, 0.005)
    return (
        min(lons) - pad_lon,
        min(lats) - pad_lat,
        max(lons) + pad_lon,
        max(lats) + pad_lat,
    )


@dataclass(frozen=True)
class CoverageMap:
    title: str
    description: str
    dots: list[Dot]
    width: int = WIDTH
    height: int = 240


def coverage_map(
    *, title: str, points: list[tuple[str, Decimal, Decimal, float | None, bool]]
) -> CoverageMap:
    """Areas at their centres, in the box that holds them all (the city's box,
    settings CITY_BBOX, for a single area), a circle sized by services per 1,000
    children; least offer marked."""
    west, south, east, north = _box(points)
    largest = max((rate or 0 for *_rest, rate, _least in points), default=0) or 1
    height = 240
    dots = []
    for label, lat, lon, rate, least in points:
        x = 12 + (float(lon) - west) / (east - west) * (WIDTH - 24)
        y = 12 + (north - float(lat)) / (north - south) * (height - 24)
        dots.append(
            Dot(
                label=label,
                x=round(x, 1),
                y=round(y, 1),
                r=round(4 + 14 * (rate or 0) / largest, 1),
                least=least,
                shown="—" if rate is None else number_format(rate, 1),
            )
        )
    described = "; ".join(f"{dot.label}: {dot.shown}" for dot in dots)
    return CoverageMap(
        title=title,
        description=_(
            "Map of the areas; the larger the circle, the more services per "
            "1,000 children. %(values)s."
        )
        % {"values": described or _("no data")},
        dots=dots,
        height=height,
    )

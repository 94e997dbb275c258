"""Demo population of the Lucca areas, so the demo dashboard shows services
per 1,000 children. Invented round figures, labelled as such: a real network
uploads ISTAT's (/gestione/popolazione/)."""

from collections.abc import Callable

from django.utils import timezone

from retefamiglie.network.models import Area

from .models import AreaPopulation

DEMO_SOURCE = "Dati dimostrativi (non ISTAT)"
CHILDREN = {
    "centro-storico": 1100,
    "santanna": 2400,
    "san-vito": 1500,
    "san-concordio": 2000,
    "arancio": 1300,
    "san-marco": 1200,
    "santalessio": 600,
    "monte-san-quirico": 700,
    "ponte-a-moriano": 500,
    "picciorana": 650,
    "pontetetto": 900,
    "san-filippo": 800,
    "nozzano": 750,
    "mutigliano": 450,
    "san-pietro-a-vico": 550,
}


def seed(write: Callable[[str], None]) -> None:
    year = timezone.localdate().year - 1
    count = 0
    for area in Area.objects.filter(slug__in=CHILDREN):
        AreaPopulation.objects.get_or_create(
            area=area,
            defaults={
                "children": CHILDREN[area.slug],
                "year": year,
                "source": DEMO_SOURCE,
            },
        )
        count += 1
    write(f"monitoring: population of {count} areas (demo figures)")

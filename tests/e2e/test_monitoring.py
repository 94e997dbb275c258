"""A visitor reads what the network achieves and downloads its open data.

On a 360 px phone and on a desktop, in Italian and in English: the visitor
opens the dashboard, changes the period and the area, reads the data table of
a chart, then goes to the open data and downloads the events as iCalendar.
Every page is checked with axe-core and the Nu Html Checker.
"""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retefamiglie.directory.tests.factories import EventFactory, ServiceFactory
from retefamiglie.helprequests.tests.factories import HelpRequestFactory
from retefamiglie.monitoring import services
from retefamiglie.monitoring.models import AreaPopulation
from retefamiglie.monitoring.periods import Period, PeriodKind
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "it": {
        "prefix": "",
        "heading": "Cosa ottiene la rete",
        "period": "Periodo",
        "area": "Zona",
        "show": "Mostra i dati",
        "table": "Tabella dei dati: Servizi offerti per zona",
        "open_data": "Scarica questi dati e gli altri dati aperti della rete",
        "open_data_heading": "Dati aperti",
        "ics": "Calendario iCalendar",
        "services": "Servizi offerti",
    },
    "en": {
        "prefix": "/en",
        "heading": "What the network achieves",
        "period": "Period",
        "area": "Area",
        "show": "Show the figures",
        "table": "Data table: Services offered by area",
        "open_data": "Download these figures and the network's other open data",
        "open_data_heading": "Open data",
        "ics": "iCalendar feed",
        "services": "Services offered",
    },
}


def _network() -> None:
    centro = AreaFactory(
        name="Centro storico", slug="centro", latitude=43.843, longitude=10.505
    )
    arancio = AreaFactory(
        name="Arancio", slug="arancio", latitude=43.85, longitude=10.52
    )
    member = OrganisationFactory(name="Oratorio San Paolo", area=centro)
    for index in range(3):
        ServiceFactory(
            organisation=member, name=f"Doposcuola {index}", location__area=centro
        )
    ServiceFactory(organisation=member, name="Ludoteca", location__area=arancio)
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    EventFactory(
        organisation=member,
        name="Letture al parco",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    for _ in range(6):
        HelpRequestFactory(area=centro)
    HelpRequestFactory(area=arancio)
    AreaPopulation.objects.create(area=centro, children=1500, year=2025)
    AreaPopulation.objects.create(area=arancio, children=900, year=2025)
    services.snapshots_compute()


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_a_visitor_reads_the_dashboard_and_downloads_the_events(page, audit, language):
    words = WORDS[language]
    _network()
    quarter = Period.containing(PeriodKind.QUARTER, timezone.localdate())
    year = Period.containing(PeriodKind.YEAR, timezone.localdate())

    page.goto(f"{words['prefix']}/monitoraggio/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    expect(page.get_by_role("heading", name=words["services"], level=3)).to_be_visible()
    audit()

    # The whole year, in the Arancio area.
    page.get_by_label(words["period"], exact=True).select_option(year.key)
    page.get_by_label(words["area"], exact=True).select_option(label="Arancio")
    page.get_by_role("button", name=words["show"]).click()
    page.wait_for_url(re.compile(rf"periodo={year.key}.*zona=arancio"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile(year.label))
    ).to_be_visible()
    expect(page.get_by_label(words["area"], exact=True)).to_have_value("arancio")
    audit()

    # Back to the quarter for the whole city; read the services' table by area.
    page.get_by_label(words["period"], exact=True).select_option(quarter.key)
    page.get_by_label(words["area"], exact=True).select_option("")
    page.get_by_role("button", name=words["show"]).click()
    page.wait_for_url(re.compile(rf"periodo={quarter.key}"))
    page.get_by_text(words["table"]).click()
    table = page.get_by_role("region", name=re.compile(words["table"].split(": ")[1]))
    expect(
        table.get_by_role("row", name=re.compile(r"Centro storico\s+3"))
    ).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"Arancio\s+1"))).to_be_visible()
    audit()

    # The open data: download the events as iCalendar.
    page.get_by_role("link", name=words["open_data"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words["open_data_heading"]
    )
    audit()
    link = page.get_by_role("link", name=words["ics"])
    href = link.get_attribute("href")
    assert href
    assert href.endswith("/eventi/feed.ics")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    names = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert names == ["Letture al parco"]

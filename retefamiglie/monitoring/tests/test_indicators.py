"""Each indicator against figures counted by hand (clock: 15 November 2026)."""

import datetime as dt

import pytest

from retefamiglie.directory.models import Publishable
from retefamiglie.directory.tests.factories import (
    BookingFactory,
    CategoryFactory,
    EventFactory,
    LocationFactory,
    ServiceFactory,
)
from retefamiglie.helprequests.models import HelpKind, HelpRequest, Outcome
from retefamiglie.helprequests.tests.factories import HelpRequestFactory
from retefamiglie.monitoring import services
from retefamiglie.monitoring.models import Snapshot
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory
from retefamiglie.pacts.models import Commitment
from retefamiglie.pacts.tests.factories import CommitmentFactory

from .conftest import NOW, ROME

pytestmark = pytest.mark.django_db


def figures(key: str, period: str = "2026-11", area: str = "") -> dict:
    snapshot = Snapshot.objects.get(period_key=period, area=area)
    return snapshot.data["indicators"][key]


@pytest.fixture
def areas(db):
    return AreaFactory(name="Centro", slug="centro"), AreaFactory(
        name="Arancio", slug="arancio"
    )


@pytest.fixture
def member(areas):
    return OrganisationFactory(area=areas[0])


def test_services_offered_by_area_category_age_cost_and_language(clock, areas, member):
    centro, arancio = areas
    sport, school = CategoryFactory(slug="sport"), CategoryFactory(slug="scuola")
    ServiceFactory(
        organisation=member,
        categories=[sport],
        is_free=True,
        age_min=3,
        age_max=10,
        languages=["it", "en"],
        location__area=centro,
    )
    both = ServiceFactory(
        organisation=member,
        categories=[sport, school],
        is_free=False,
        languages=["it"],
        location=LocationFactory(organisation=member, area=centro),
    )
    from retefamiglie.directory.models import ServiceAtLocation

    ServiceAtLocation.objects.create(
        service=both, location=LocationFactory(organisation=member, area=arancio)
    )
    ServiceFactory(organisation=member, status=Publishable.Status.DRAFT)
    services.snapshots_compute()

    found = figures("services")
    assert found["total"] == 2
    breakdowns = found["breakdowns"]
    assert breakdowns["area"] == {"centro": 2, "arancio": 1}
    assert breakdowns["category"] == {"sport": 2, "scuola": 1}
    assert breakdowns["cost"] == {"free": 1, "paid": 1}
    assert breakdowns["language"] == {"it": 2, "en": 1}
    # 3-10 years covers two bands; no ages given covers every band.
    assert breakdowns["age_band"] == {
        "0-2": 1,
        "3-5": 2,
        "6-10": 2,
        "11-13": 1,
        "14-17": 1,
        "18-25": 1,
    }
    assert figures("services", area="arancio")["total"] == 1
    # Services are no figure about people: small counts are shown.
    assert figures("services", area="arancio")["breakdowns"]["cost"] == {
        "free": 0,
        "paid": 1,
    }


def test_a_service_created_after_the_period_is_not_in_it(clock, member):
    ServiceFactory(organisation=member)
    services.snapshots_compute()
    assert figures("services", period="2026-11")["total"] == 1
    assert figures("services", period="2026-10")["total"] == 0


def test_events_held_count_an_event_once_however_often_it_happens(clock, areas, member):
    place = LocationFactory(organisation=member, area=areas[0])
    EventFactory(
        organisation=member,
        location=place,
        starts_at=dt.datetime(2026, 11, 2, 17, tzinfo=ROME),
        ends_at=dt.datetime(2026, 11, 2, 19, tzinfo=ROME),
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    EventFactory(
        organisation=member,
        location=place,
        starts_at=dt.datetime(2026, 12, 5, 10, tzinfo=ROME),
        ends_at=dt.datetime(2026, 12, 5, 12, tzinfo=ROME),
    )
    services.snapshots_compute()
    assert figures("events")["total"] == 1
    # December has not begun: no snapshot yet; the quarter holds both.
    assert not Snapshot.objects.filter(period_key="2026-12").exists()
    assert figures("events", period="2026-Q4")["total"] == 2


def test_families_and_children_reached_with_small_cells_withheld(clock, areas, member):
    """Seven confirmed bookings: six with a child of 3-5, one with two of 6-10.
    Children: 8 in all, 6 aged 3-5 and 2 aged 6-10. The 2 is below 5, and
    would follow from 8 - 6: both are withheld, the total stays."""
    event = EventFactory(
        organisation=member,
        location=LocationFactory(organisation=member, area=areas[0]),
        booking_enabled=True,
        capacity=50,
    )
    for _ in range(6):
        BookingFactory(event=event, children={"3-5": 1})
    BookingFactory(event=event, children={"6-10": 2})
    BookingFactory(event=event, children={"6-10": 1}, status="cancelled")
    services.snapshots_compute()

    families = figures("families_booked")
    assert families["total"] == 7
    children = figures("children_booked")
    assert children["total"] == 8
    assert children["breakdowns"]["age_band"] == {"3-5": None, "6-10": None}
    assert children["breakdowns"]["area"] == {"centro": 8}


def _request(area, created, **fields) -> HelpRequest:
    request = HelpRequestFactory(area=area, **fields)
    HelpRequest.objects.filter(pk=request.pk).update(created_at=created)
    return request


def test_help_requests_received_answered_and_the_median_wait(clock, areas):
    """Centro: six requests, answered after 2, 4, 6, 8, 10 and 12 hours.
    Arancio: two, answered after 1 and 3 hours. City median of the eight waits
    (1 2 3 4 6 8 10 12): 5 hours. Arancio's two are below the threshold, and
    with them Centro's six (8 - 2 would give them away)."""
    centro, arancio = areas
    sent = dt.datetime(2026, 11, 3, 9, tzinfo=ROME)
    for hours in (2, 4, 6, 8, 10, 12):
        _request(centro, sent, first_answer_at=sent + dt.timedelta(hours=hours))
    for hours in (1, 3):
        _request(arancio, sent, first_answer_at=sent + dt.timedelta(hours=hours))
    services.snapshots_compute()

    received = figures("help_received")
    assert received["total"] == 8
    assert received["breakdowns"]["area"] == {"centro": None, "arancio": None}
    assert received["breakdowns"]["kind"] == {HelpKind.SCHOOL: 8}
    assert figures("help_answered")["total"] == 8
    assert figures("help_first_answer")["total"] == 5.0
    # Six waits in Centro: median 7 hours; two in Arancio: withheld.
    assert figures("help_first_answer", area="centro")["total"] == 7.0
    assert figures("help_first_answer", area="arancio")["total"] is None
    # Per area, Centro's own figures cannot show what the city's table hides.
    assert figures("help_received", area="centro")["total"] is None
    # The quarter holds the same eight, and October's zero gives nothing away.
    assert figures("help_received", period="2026-Q4")["total"] == 8
    assert figures("help_received", period="2026-10")["total"] == 0


def test_help_requests_closed_with_an_outcome(clock, areas):
    centro = areas[0]
    closed = dt.datetime(2026, 11, 10, 9, tzinfo=ROME)
    for _ in range(5):
        _request(
            centro,
            closed - dt.timedelta(days=20),
            status=HelpRequest.Status.CLOSED,
            outcome=Outcome.RESOLVED,
            closed_at=closed,
        )
    services.snapshots_compute()
    found = figures("help_closed")
    assert found["total"] == 5
    assert found["breakdowns"]["outcome"] == {Outcome.RESOLVED: 5}
    # Sent in October, closed in November: received in October.
    assert figures("help_received", period="2026-10")["total"] == 5


def test_help_request_figures_are_never_broken_down_by_organisation(clock, areas):
    for _ in range(6):
        _request(areas[0], NOW - dt.timedelta(days=2))
    services.snapshots_compute()
    for snapshot in Snapshot.objects.all():
        for key, found in snapshot.data["indicators"].items():
            if key.startswith("help_"):
                assert not {"organisation", "member"} & set(found["breakdowns"])


def test_commitments_done_late_and_on_time(clock, areas, member):
    """Due 1 November and not done: late on the 15th. Due 31 December: on time.
    Done: done. Dropped: not counted."""
    CommitmentFactory(organisation=member, area=areas[0], due_date=dt.date(2026, 11, 1))
    CommitmentFactory(
        organisation=member, area=areas[0], due_date=dt.date(2026, 12, 31)
    )
    CommitmentFactory(
        organisation=member,
        area=areas[1],
        due_date=dt.date(2026, 12, 31),
        status=Commitment.Status.DONE,
    )
    CommitmentFactory(organisation=member, status=Commitment.Status.DROPPED)
    services.snapshots_compute()
    found = figures("commitments")
    assert found["total"] == 3
    assert found["breakdowns"]["progress"] == {"done": 1, "late": 1, "on_time": 1}
    assert found["breakdowns"]["area"] == {"centro": 2, "arancio": 1}


def test_members_by_kind(clock, areas):
    OrganisationFactory(area=areas[0])
    OrganisationFactory(area=areas[0], type="school")
    OrganisationFactory(area=areas[1], status="provider")
    services.snapshots_compute()
    found = figures("members")
    assert found["total"] == 2
    assert found["breakdowns"]["type"] == {"third_sector": 1, "school": 1}


def test_recomputing_replaces_the_snapshots(clock, member):
    services.snapshots_compute()
    assert figures("services")["total"] == 0
    ServiceFactory(organisation=member, location__area=member.area)
    services.snapshots_compute()
    # 13 months, 5 quarters, 3 years; the city and each of the 2 areas.
    assert Snapshot.objects.count() == (13 + 5 + 3) * 3
    assert figures("services")["total"] == 1


def test_the_periodic_command_computes_the_snapshots(clock, member):
    from django.core.management import call_command

    ServiceFactory(organisation=member)
    call_command("monitoring_periodic", stdout=__import__("io").StringIO())
    assert figures("services")["total"] == 1


def test_a_section_of_an_app_without_the_contract_stays_out(monkeypatch):
    """Participation and exchange appear only once installed and exposing
    ``monitoring_facts``/``monitoring_labels`` (ADR 0018)."""
    import sys
    import types

    from django.apps import apps

    from retefamiglie.monitoring.indicators import all_indicators

    keys = {i.key for i in all_indicators()}
    assert "meetings" not in keys
    assert {"services", "help_received", "commitments", "members"} <= keys
    real = apps.is_installed
    monkeypatch.setattr(
        apps,
        "is_installed",
        lambda name: name == "retefamiglie.participation" or real(name),
    )
    selectors = types.ModuleType("retefamiglie.participation.selectors")
    monkeypatch.setitem(
        sys.modules, "retefamiglie.participation", types.ModuleType("p")
    )
    monkeypatch.setitem(sys.modules, "retefamiglie.participation.selectors", selectors)
    assert "meetings" not in {i.key for i in all_indicators()}
    selectors.monitoring_facts = lambda *, start, end: [
        ("meetings", "", {}, 1),
        ("meetings", "", {}, 1),
    ]
    selectors.monitoring_labels = lambda dimension: {}
    found = {i.key: i for i in all_indicators()}
    assert "meetings" in found
    facts = list(found["meetings"].facts(NOW, NOW))
    assert len(facts) == 2

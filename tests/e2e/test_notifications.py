"""Giulia's children, a saved search, a new event, the centre, the daily digest and
a one-click unsubscribe: on a 360 px phone, in Italian and English, every page
checked with axe-core and the Nu Html Checker."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.directory.models import Publishable
from retefamiglie.directory.services.listings import listing_publish
from retefamiglie.directory.tests.factories import CategoryFactory, EventFactory
from retefamiglie.network.tests.factories import AreaFactory
from retefamiglie.notifications.digests import digests_send
from retefamiglie.notifications.models import Child, SavedSearch
from retefamiglie.participation.tests.factories import (
    MeetingFactory,
    PhaseFactory,
    ProposalFactory,
)

from .helpers import check, field_label, open_as

pytestmark = pytest.mark.django_db(transaction=True)
ROME = ZoneInfo("Europe/Rome")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_giulia_follows_what_fits_her_children(
    browser, live_server, mailoutbox, viewport
):
    AreaFactory(name="Sant'Anna", slug="sant-anna")
    AreaFactory(name="Centro storico", slug="centro")
    giulia = UserFactory(email="giulia@example.org", display_name="Giulia")
    page, log = open_as(browser, live_server, giulia, viewport="phone")

    # Her children, by month and year of birth only (Italian).
    page.goto("/account/famiglia/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "I miei figli e interessi"
    )
    check(page, log)
    for year in ("2019", "2023"):
        page.get_by_label(field_label("Mese di nascita")).select_option(label="Marzo")
        page.get_by_label(field_label("Anno di nascita")).select_option(year)
        page.get_by_role("button", name="Aggiungi", exact=True).click()
        expect(page.get_by_text("Figlio aggiunto.")).to_be_visible()
    check(page, log)
    assert sorted(Child.objects.values_list("birth_year", flat=True)) == [2019, 2023]

    # "For your children" on the events list, then her saved search.
    page.goto("/eventi/?categoria=sport-movimento&eta=7&zona=sant-anna")
    expect(page.get_by_role("link", name=re.compile(r"^7 anni$"))).to_be_visible()
    check(page, log)
    page.get_by_role("link", name="Salva questa ricerca").click()
    check(page, log)
    page.get_by_label(field_label("Nome della ricerca")).fill("sport, age 7, Sant'Anna")
    page.get_by_label(field_label("Avvisami dei nuovi risultati")).select_option(
        "daily"
    )
    page.get_by_role("button", name="Salva la ricerca").click()
    expect(page.get_by_text("Ricerca salvata")).to_be_visible()
    check(page, log)
    search = SavedSearch.objects.get(user=giulia)
    assert search.query == "categoria=sport-movimento&eta=7&zona=sant-anna"

    # A matching event is published.
    event = EventFactory(
        name="Minivolley al parco",
        status=Publishable.Status.DRAFT,
        age_min=6,
        age_max=9,
        location__area__slug="sant-anna",
        categories=[CategoryFactory(slug="sport-movimento")],
    )
    listing_publish(actor=CoordinatorFactory(), listing=event)

    # She sees it in the centre, with the count in the header.
    page.goto("/")
    expect(page.locator("[data-unread]")).to_have_attribute("data-unread", "1")
    check(page, log)
    page.goto("/account/notifiche/")
    notice = page.get_by_role("link", name=re.compile("Minivolley al parco"))
    expect(notice).to_be_visible()
    check(page, log)
    assert mailoutbox == [], "a daily search waits for the digest"

    # The next daily digest e-mail carries it.
    tomorrow = dt.datetime.now(ROME).replace(hour=8) + dt.timedelta(days=1)
    assert digests_send(frequency="daily", now=tomorrow) == 1
    [digest] = mailoutbox
    assert digest.to == ["giulia@example.org"]
    assert "Minivolley al parco" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")

    # She opens the notice: it is read, and the event page is where it leads.
    notice.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minivolley al parco")
    check(page, log)

    # One click in the e-mail: the unsubscribe page, no login needed.
    stranger, stranger_log = open_as(browser, live_server, UserFactory(), "phone")
    stranger.context.clear_cookies()
    stranger.goto(
        unsubscribe.removeprefix(live_server.url).replace("http://127.0.0.1:8000", "")
    )
    expect(stranger.get_by_text("il riepilogo giornaliero")).to_be_visible()
    check(stranger, stranger_log)
    stranger.get_by_role("button", name="Annulla l'iscrizione").click()
    expect(stranger.get_by_text(re.compile("^Fatto"))).to_be_visible()
    check(stranger, stranger_log)
    search.refresh_from_db()
    assert search.frequency == "never"

    # English: the same pages, then the participatory process's.
    for path, heading in [
        ("/en/account/notifiche/", "Notifications"),
        ("/en/account/notifiche/preferenze/", "Notification preferences"),
        ("/en/account/famiglia/", "My children and interests"),
        ("/en/account/notifiche/ricerche/", "My saved searches"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check(page, log)
    expect(page.get_by_role("link", name="sport, age 7, Sant'Anna")).to_be_visible()

    phase = PhaseFactory(title="Proposte")
    proposal = ProposalFactory(process=phase.process, title="Cortili aperti")
    meeting = MeetingFactory(process=phase.process, title="Tavolo sui cortili")
    for path, heading in [
        ("/en/partecipa/", phase.process.title),
        ("/en/partecipa/proposte/", "Proposals"),
        (f"/en{proposal.get_absolute_url()}", "Cortili aperti"),
        ("/en/partecipa/incontri/", "Meetings"),
        (f"/en{meeting.get_absolute_url()}", "Tavolo sui cortili"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check(page, log)
    # She follows the proposal from its page; it joins what she follows.
    page.goto(f"/en{proposal.get_absolute_url()}")
    page.get_by_role("button", name="Follow Cortili aperti").click()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    check(page, log)
    page.goto("/en/account/notifiche/seguiti/")
    expect(page.get_by_role("link", name="Cortili aperti")).to_be_visible()
    check(page, log)

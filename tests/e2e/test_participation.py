"""The participatory process walked as people do it, at 360 px, in Italian and in
English, with axe-core and the Nu Html Checker on every page.

A family registers for a meeting without an account and asks for childcare for a
3-year-old; the coordinator records attendance and publishes minutes linking a
proposal; a family submits a proposal, another supports it and comments against
it, the coordinator answers "accepted"; the proposal shows as a suggestion in the
next pact version's draft; an objective's progress rises when an action is
updated. The meeting's calendar file parses with ``icalendar``.
"""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from icalendar import Calendar
from playwright.sync_api import expect

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.network.models import OrganisationStaff
from retefamiglie.network.tests.factories import StaffFactory
from retefamiglie.pacts.tests.factories import PactVersionFactory
from retefamiglie.participation.models import Proposal, Registration
from retefamiglie.participation.tests.factories import (
    ActionFactory,
    MeetingFactory,
    ObjectiveFactory,
    PhaseFactory,
    ProposalFactory,
)

from .helpers import check, field_label, open_as, tick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_participatory_process(
    page, page_log, browser, live_server, mailoutbox, language
):
    prefix = "" if language == "it" else "/en"

    def t(text: str, context: str = "") -> str:
        with translation.override(language):
            return pgettext(context, text) if context else gettext(text)

    phase = PhaseFactory(title="Co-progettazione")
    process = phase.process
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    coming = MeetingFactory(
        process=process,
        title="Spazi per l'estate",
        capacity=10,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    held_at = timezone.now() - datetime.timedelta(days=3)
    held = MeetingFactory(
        process=process,
        title="Ascolto delle famiglie",
        starts_at=held_at,
        ends_at=held_at + datetime.timedelta(hours=2),
    )
    discussed = ProposalFactory(process=process, title="Doposcuola il sabato")
    coordinator = CoordinatorFactory(display_name="Sara (referente)")
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={}
    )
    author = UserFactory(display_name="Giulia")
    supporter = UserFactory(display_name="Luca")
    staff = StaffFactory(
        organisation__name="Parrocchia di San Concordio",
        role=OrganisationStaff.Role.EDITOR,
    )
    objective = ObjectiveFactory(title="Ogni famiglia conosce il doposcuola")
    action = ActionFactory(
        objective=objective, owner=staff.organisation, title="Volantini nelle scuole"
    )
    draft = PactVersionFactory()

    # A family registers without an account and asks for childcare for a 3-year-old.
    page.goto(f"{prefix}/partecipa/")
    expect(page.get_by_role("heading", level=1)).to_have_text(process.title)
    check(page, page_log)
    page.get_by_role("link", name=coming.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(coming.title)
    check(page, page_log)
    page.get_by_label(field_label(t("Adults"))).fill("1")
    page.get_by_label(t("3–5 years")).fill("1")
    tick(
        page.get_by_label(
            t("We need someone to look after the children during the event")
        )
    )
    page.get_by_label(field_label(t("Name for the booking"))).fill("Famiglia Neri")
    page.get_by_label(field_label(t("E-mail address"))).fill("neri@example.org")
    page.get_by_role("button", name=t("Register")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your registration"))
    expect(page.get_by_text(t("Waiting for e-mail", "booking"))).to_be_visible()
    check(page, page_log)
    registration = Registration.objects.get()
    assert registration.children == {"3-5": 1}
    assert registration.needs_childcare
    confirm = next(
        re.search(r"https?://\S+/conferma/", m.body).group(0)
        for m in mailoutbox
        if "neri@example.org" in m.to
    )
    # The link is in the language the family registered in.
    page.goto(re.sub(r"^https?://[^/]+", "", confirm))
    expect(page.get_by_text(t("Confirmed", "booking"))).to_be_visible()
    check(page, page_log)

    # The meeting's calendar file parses.
    ics = page.request.get(f"{live_server.url}/partecipa/incontri/{coming.slug}.ics")
    events = Calendar.from_ical(ics.body()).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [coming.title]

    # The coordinator records attendance and publishes minutes linking a proposal.
    staff_page, staff_log = open_as(browser, live_server, coordinator, "phone")
    staff_page.goto(f"{prefix}/gestione/partecipazione/")
    check(staff_page, staff_log)
    staff_page.goto(f"{prefix}/gestione/partecipazione/incontri/{held.slug}/verbale/")
    check(staff_page, staff_log)
    staff_page.get_by_label(t("Families"), exact=True).fill("14")
    staff_page.get_by_label(t("Members of the network"), exact=True).fill("6")
    staff_page.get_by_label(t("Municipal officers"), exact=True).fill("1")
    staff_page.get_by_role("button", name=t("Record attendance")).click()
    expect(staff_page.get_by_text(t("Attendance has been recorded."))).to_be_visible()
    check(staff_page, staff_log)
    staff_page.get_by_role("textbox", name=field_label(t("Minutes"))).fill(
        "Le famiglie chiedono un doposcuola anche il sabato."
    )
    tick(staff_page.get_by_label(discussed.title))
    staff_page.get_by_role("button", name=t("Publish the minutes")).click()
    expect(
        staff_page.get_by_text(t("The minutes have been published."))
    ).to_be_visible()
    check(staff_page, staff_log)
    page.goto(f"{prefix}/partecipa/incontri/{held.slug}/")
    expect(page.get_by_text("anche il sabato")).to_be_visible()
    expect(page.get_by_role("link", name=discussed.title)).to_be_visible()
    check(page, page_log)
    page.get_by_role("link", name=t("Print the minutes")).click()
    check(page, page_log)
    pdf = page.request.get(
        f"{live_server.url}/partecipa/incontri/{held.slug}/verbale.pdf"
    )
    assert pdf.body().startswith(b"%PDF")

    # A family submits a proposal.
    author_page, author_log = open_as(browser, live_server, author, "phone")
    author_page.goto(f"{prefix}/partecipa/proposte/")
    check(author_page, author_log)
    author_page.get_by_role("link", name=t("Make a proposal")).first.click()
    check(author_page, author_log)
    author_page.get_by_label(field_label(t("title"))).fill("Cortili aperti d'estate")
    author_page.get_by_label(field_label(t("proposal"))).fill(
        "Aprire i cortili delle scuole il pomeriggio, con i volontari."
    )
    author_page.get_by_label(field_label(t("category"))).select_option(
        label=t("Places and spaces")
    )
    author_page.get_by_label(t("Pact section it would change")).select_option(
        label=t("Actions")
    )
    author_page.get_by_role("button", name=t("Publish the proposal")).click()
    expect(author_page.get_by_role("heading", level=1)).to_have_text(
        "Cortili aperti d'estate"
    )
    check(author_page, author_log)
    proposal = Proposal.objects.get(title="Cortili aperti d'estate")

    # Another supports it and comments against it.
    support_page, support_log = open_as(browser, live_server, supporter, "phone")
    support_page.goto(f"{prefix}/partecipa/proposte/{proposal.pk}/")
    check(support_page, support_log)
    support_page.get_by_role("button", name=t("Support this proposal")).click()
    expect(
        support_page.get_by_text(t("You support this proposal.")).first
    ).to_be_visible()
    check(support_page, support_log)
    tick(support_page.get_by_label(t("Against"), exact=True))
    support_page.get_by_label(field_label(t("comment"))).fill(
        "Senza volontari i cortili restano chiusi."
    )
    support_page.get_by_role("button", name=t("Publish the comment")).click()
    expect(support_page.get_by_text("Senza volontari")).to_be_visible()
    check(support_page, support_log)
    assert author.email not in support_page.content()

    # The coordinator answers "accepted".
    staff_page.goto(f"{prefix}/partecipa/proposte/{proposal.pk}/")
    check(staff_page, staff_log)
    tick(staff_page.get_by_label(t("Accepted", "proposal state"), exact=True))
    staff_page.get_by_label(t("Public answer")).fill("La inseriamo tra le azioni.")
    staff_page.get_by_role("button", name=t("Publish the answer")).click()
    expect(
        staff_page.get_by_role("paragraph").filter(has_text="La inseriamo tra le")
    ).to_be_visible()
    check(staff_page, staff_log)
    proposal.refresh_from_db()
    assert proposal.state == "accepted"
    assert {author.email, supporter.email} <= {m.to[0] for m in mailoutbox}

    # It shows as a suggestion in the next pact version's draft.
    staff_page.goto(f"{prefix}/gestione/patto/{draft.number}/modifica/")
    suggestions = staff_page.get_by_role(
        "complementary", name=t("Suggestions from the participatory process")
    )
    expect(
        suggestions.get_by_role("link", name="Cortili aperti d'estate")
    ).to_be_visible()
    check(staff_page, staff_log)

    # An objective's progress rises when an action is updated.
    owner_page, owner_log = open_as(browser, live_server, staff.user, "phone")
    owner_page.goto(f"{prefix}/partecipa/obiettivi/{objective.slug}/")
    progress = owner_page.get_by_role(
        "progressbar", name=t("Progress of the objective")
    )
    expect(progress).to_have_attribute("value", "0")
    check(owner_page, owner_log)
    owner_page.get_by_role("link", name=re.compile(action.title)).click()
    check(owner_page, owner_log)
    owner_page.get_by_label(field_label(t("What happened"))).fill(
        "Volantini consegnati in tre scuole."
    )
    owner_page.get_by_label(field_label(t("Progress (%)"))).fill("60")
    owner_page.get_by_label(field_label(t("Status"))).select_option(
        label=t("In progress", "action status")
    )
    owner_page.get_by_role("button", name=t("Save the update")).click()
    expect(progress).to_have_attribute("value", "60")
    expect(
        owner_page.get_by_text("Volantini consegnati in tre scuole.")
    ).to_be_visible()
    check(owner_page, owner_log)

    for url in ("/partecipa/incontri/", "/partecipa/obiettivi/"):
        page.goto(prefix + url)
        check(page, page_log)

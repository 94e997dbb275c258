"""A family asks for help and the network closes the loop, as people would do it.

The family uses a 360 px phone without an account; a coordinator refers the request
to two organisations; one declines with a reason, the other accepts, writes to the
family and closes it with an outcome; the family reads each step and replies.
Every page is checked with axe-core and the Nu Html Checker.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from retefamiglie.accounts.tests.factories import CoordinatorFactory
from retefamiglie.helprequests.models import HelpRequest, Referral
from retefamiglie.network.models import OrganisationStaff
from retefamiglie.network.tests.factories import AreaFactory, StaffFactory

from .helpers import check, field_label, open_as, tick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_family_asks_for_help_and_the_network_closes_the_loop(
    page, page_log, browser, live_server, mailoutbox
):
    area = AreaFactory(name="San Concordio", slug="san-concordio")
    coordinator = CoordinatorFactory()
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={}
    )
    parish = StaffFactory(
        organisation__name="Parrocchia di San Concordio",
        role=OrganisationStaff.Role.ADMIN,
    )
    association = StaffFactory(
        organisation__name="Genitori Insieme", role=OrganisationStaff.Role.ADMIN
    )

    # The family, on a phone, without an account.
    page.goto("/en/aiuto/")
    expect(page.get_by_role("heading", level=1, name="Ask for help")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("112"))).to_be_visible()
    check(page, page_log)
    tick(page.get_by_label("School, homework and after-school"))
    page.get_by_label(field_label("Tell us in a few words what is happening")).fill(
        "Nostro figlio di 7 anni ha bisogno di aiuto con i compiti."
    )
    page.get_by_label(field_label("Where do you live?")).select_option(label=area.name)
    tick(page.get_by_label("E-mail", exact=True))
    page.get_by_label(field_label("E-mail address")).fill("famiglia@example.org")
    tick(page.get_by_label(re.compile("privacy notice")))
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your request")
    check(page, page_log)
    status_url = page.url
    assert "/aiuto/stato/" in status_url
    help_request = HelpRequest.objects.get()
    assert any("famiglia@example.org" in message.to for message in mailoutbox), (
        "the family gets its private link by e-mail"
    )
    assert any(status_url.split("/en")[1] in m.body for m in mailoutbox)

    # The coordinator refers it to two organisations.
    staff_page, staff_log = open_as(browser, live_server, coordinator)
    staff_page.goto("/en/gestione/richieste/")
    check(staff_page, staff_log)
    staff_page.get_by_role("link", name=help_request.reference).click()
    expect(staff_page.get_by_text("bisogno di aiuto con i compiti")).to_be_visible()
    check(staff_page, staff_log)
    tick(staff_page.get_by_label(re.compile(parish.organisation.name)))
    tick(staff_page.get_by_label(re.compile(association.organisation.name)))
    staff_page.get_by_role("button", name="Send", exact=True).click()
    check(staff_page, staff_log)
    assert help_request.referrals.count() == 2

    # The parish cannot help and says why.
    parish_page, parish_log = open_as(browser, live_server, parish.user)
    parish_page.goto(f"/en/gestione/richieste/{help_request.public_id}/")
    check(parish_page, parish_log)
    parish_page.get_by_label(
        field_label("Why can't your organisation take it on?")
    ).fill("Il nostro doposcuola è pieno fino a gennaio.")
    parish_page.get_by_role("button", name="Decline").click()
    check(parish_page, parish_log)
    expect(parish_page.get_by_text(help_request.reference)).to_have_count(0)

    # The association accepts and writes to the family.
    association_page, association_log = open_as(browser, live_server, association.user)
    detail = f"/en/gestione/richieste/{help_request.public_id}/"
    association_page.goto(detail)
    association_page.get_by_role("button", name="Accept: we take it on").click()
    check(association_page, association_log)
    association_page.get_by_label(field_label("Message to the family")).fill(
        "Buongiorno, possiamo accogliere vostro figlio il martedì e il giovedì."
    )
    association_page.get_by_role("button", name="Send the message").click()
    check(association_page, association_log)

    # The family reads each step and replies.
    page.goto(status_url)
    expect(page.get_by_text("has taken on your request")).to_be_visible()
    expect(page.get_by_text("il martedì e il giovedì")).to_be_visible()
    expect(page.get_by_text("Il nostro doposcuola è pieno")).to_have_count(0)
    check(page, page_log)
    page.get_by_label(field_label("Your message")).fill("Grazie! Martedì va bene.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Grazie! Martedì va bene.")).to_be_visible()
    check(page, page_log)

    # The association reads the reply and closes the request with an outcome.
    association_page.goto(detail)
    expect(association_page.get_by_text("Grazie! Martedì va bene.")).to_be_visible()
    association_page.get_by_role("button", name="Close the request").click()
    expect(
        association_page.get_by_text(re.compile("Choose|required"))
    ).not_to_have_count(0)
    check(association_page, association_log)
    tick(association_page.get_by_label("Resolved", exact=True))
    association_page.get_by_role("button", name="Close the request").click()
    check(association_page, association_log)

    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CLOSED
    assert help_request.outcome == "resolved"
    assert set(help_request.referrals.values_list("status", flat=True)) == {
        Referral.Status.DECLINED,
        Referral.Status.CLOSED,
    }

    page.goto(status_url)
    expect(
        page.get_by_text(re.compile("has been closed. Outcome: Resolved"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Send message")).to_have_count(0)
    check(page, page_log)
    # Nothing about the decline reaches the family but the plain-words step.
    assert "pieno fino a gennaio" not in page.content()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_help_pages_are_accessible_in_both_languages(page, audit, prefix, live_server):
    page.goto(f"{prefix}/aiuto/")
    audit()
    # Sending an empty form keeps the page accessible with its error messages.
    page.get_by_role(
        "button", name=re.compile("Invia la mia richiesta|Send my request")
    ).click()
    page.wait_for_load_state("load")
    audit()

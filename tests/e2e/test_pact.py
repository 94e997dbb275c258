"""The network and its pact, walked as people would: join, comment, approve, re-sign,
keep a commitment, file a pre-filled report that the coordinator compiles and
publishes. axe-core and the Nu Html Checker run on every page."""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from retefamiglie.accounts.tests.factories import (
    CoordinatorFactory,
    MunicipalOfficerFactory,
    UserFactory,
)
from retefamiglie.helprequests.tests.factories import (
    HelpRequestFactory,
    ReferralFactory,
)
from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.pacts.models import (
    JoinApplication,
    NetworkReport,
    PactVersion,
    Report,
    SectionComment,
    Signature,
)
from retefamiglie.pacts.tests.factories import PactVersionFactory

from .helpers import check, field_label, open_as, tick

pytestmark = pytest.mark.django_db(transaction=True)


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


def test_join_comment_approve_resign_commit_and_report(browser, live_server):
    first = PactVersionFactory(in_force=True, number=1, title="Patto della rete")
    draft = PactVersionFactory(
        consultation=True,
        number=2,
        title="Patto della rete",
        valid_from=datetime.date(2027, 1, 1),
    )
    coordinator = with_mfa(CoordinatorFactory())
    officer = with_mfa(MunicipalOfficerFactory())
    citizen = UserFactory(display_name="Lucia Bianchi")

    # A citizen applies to join.
    page, log = open_as(browser, live_server, citizen, viewport="phone")
    page.goto("/en/rete/aderisci/")
    check(page, log)
    tick(page.get_by_label("Active citizen", exact=True))
    page.get_by_label(field_label("Name of the organisation, group or person")).fill(
        "Lucia Bianchi"
    )
    page.get_by_label(field_label("Who you are")).fill(
        "Mamma di due bambini, ex insegnante."
    )
    page.get_by_label(field_label("What you want to contribute")).fill(
        "Letture ad alta voce in biblioteca."
    )
    tick(page.get_by_label(re.compile("I have read the collaboration pact")))
    tick(page.get_by_label(re.compile("privacy notice")))
    page.get_by_role("button", name="Send my application").click()
    check(page, log)
    application = JoinApplication.objects.get()
    assert application.version == first

    # The coordinator asks for a change.
    staff, staff_log = open_as(browser, live_server, coordinator)
    staff.goto("/en/gestione/adesioni/")
    check(staff, staff_log)
    staff.get_by_role("link", name=re.compile("Lucia Bianchi")).first.click()
    check(staff, staff_log)
    tick(staff.get_by_label("Ask for changes"))
    staff.get_by_label(field_label("Message to the applicant")).fill(
        "Indica anche i giorni in cui sei disponibile."
    )
    staff.get_by_role("button", name="Confirm the decision").click()
    check(staff, staff_log)

    # The citizen reads the message and amends the application.
    page.goto(f"/en/rete/aderisci/{application.pk}/")
    expect(page.get_by_text("Indica anche i giorni")).to_be_visible()
    check(page, log)
    page.get_by_label(field_label("What you want to contribute")).fill(
        "Letture ad alta voce in biblioteca, il sabato mattina."
    )
    tick(page.get_by_label(re.compile("I have read the collaboration pact")))
    tick(page.get_by_label(re.compile("privacy notice")))
    page.get_by_role("button", name="Send it again").click()
    check(page, log)

    # The coordinator approves: the citizen becomes a member and signs version 1.
    staff.goto(f"/en/gestione/adesioni/{application.pk}/")
    tick(staff.get_by_label(re.compile("^Approve")))
    staff.get_by_role("button", name="Confirm the decision").click()
    check(staff, staff_log)
    member = Organisation.objects.get(type=Organisation.Type.CITIZEN)
    assert OrganisationStaff.objects.filter(
        organisation=member, user=citizen, role=OrganisationStaff.Role.ADMIN
    ).exists()
    assert Signature.objects.filter(organisation=member, version=first).exists()

    # The new member comments on the version in consultation.
    page.goto("/en/patto/versioni/2/")
    check(page, log)
    page.get_by_text(re.compile("^Comment on")).first.click()
    page.get_by_label(field_label("Your comment")).first.fill(
        "Proponiamo di citare anche le famiglie arrivate da poco."
    )
    page.get_by_role("button", name="Publish the comment").first.click()
    check(page, log)
    assert SectionComment.objects.filter(author=citizen).exists()

    # A municipal officer approves it and puts it in force.
    office, office_log = open_as(browser, live_server, officer)
    office.goto("/en/patto/versioni/2/")
    check(office, office_log)
    office.get_by_role("button", name="Approve").click()
    check(office, office_log)
    office.get_by_role("button", name="Put in force").click()
    check(office, office_log)
    draft.refresh_from_db()
    first.refresh_from_db()
    assert draft.status == PactVersion.Status.IN_FORCE
    assert first.status == PactVersion.Status.SUPERSEDED

    # The member is asked to re-sign, and does.
    page.goto("/en/patto/")
    expect(
        page.get_by_text(re.compile("signed version 1: sign version 2"))
    ).to_be_visible()
    check(page, log)
    page.get_by_label(field_label("You sign in the role of")).fill("Cittadina attiva")
    page.get_by_role("button", name="Sign the pact").click()
    check(page, log)
    assert Signature.objects.filter(organisation=member, version=draft).exists()

    continue_with_commitment_and_report(
        page, log, staff, staff_log, office, office_log, member, citizen
    )


def continue_with_commitment_and_report(
    page, log, staff, staff_log, office, office_log, member, citizen
):
    # The member commits to something measurable and records progress.
    page.goto("/en/patto/impegni/nuovo/")
    check(page, log)
    page.get_by_label(field_label("Objective of the pact")).select_option(
        label="Fighting educational poverty"
    )
    page.get_by_label(field_label("What")).fill("Letture ad alta voce il sabato")
    page.get_by_label(field_label("For whom")).fill("Bambini di 3-6 anni")
    page.get_by_label(field_label("Target")).fill("20")
    page.get_by_label(field_label("Unit")).fill("letture")
    page.get_by_label(field_label("Due date")).fill("2027-06-30")
    page.get_by_role("button", name="Publish the commitment").click()
    check(page, log)
    page.get_by_label(field_label("What was done")).fill(
        "Prime 6 letture in biblioteca."
    )
    page.get_by_label(field_label("Reached so far")).fill("6")
    page.get_by_role("button", name="Record progress").click()
    check(page, log)
    commitment = member.commitments.get()
    assert commitment.progress_value == 6
    assert commitment.status == "in_progress"

    # A help request the member handled in the first half of the year, so the
    # report has something to pre-fill.
    handled = HelpRequestFactory(children={"6-10": 2})
    ReferralFactory(
        request=handled,
        organisation=member,
        status="accepted",
        answered_at=datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC),
    )
    page.goto(
        f"/en/patto/rendiconti/nuovo/?organisation={member.slug}&year=2026&period=h1"
    )
    check(page, log)
    expect(page.get_by_label(field_label("Help requests handled"))).to_have_value("1")
    expect(page.get_by_label(field_label("Children reached"))).to_have_value("2")
    page.get_by_label(field_label("Volunteer hours")).fill("12")
    page.get_by_role("button", name="File the report").click()
    check(page, log)
    report = Report.objects.get(organisation=member)
    assert report.status == Report.Status.SUBMITTED
    assert report.help_requests_handled == 1

    # The coordinator compiles the network's report and publishes it.
    staff.goto("/en/patto/rendiconti/rete/2026/h1/")
    check(staff, staff_log)
    staff.get_by_role("button", name="Publish the report").click()
    check(staff, staff_log)
    assert NetworkReport.objects.get(year=2026, period="h1").status == "published"

    # Everyone can now read it, the municipality included.
    office.goto("/en/patto/rendiconti/rete/2026/h1/")
    expect(office.get_by_role("heading", level=1)).to_be_visible()
    check(office, office_log)
    page.goto("/en/patto/rendiconti/rete/2026/h1/")
    expect(page.get_by_text("12").first).to_be_visible()
    check(page, log)


PUBLIC_PAGES = [
    "/patto/",
    "/patto/versioni/",
    "/patto/versioni/2/",
    "/patto/versioni/2/confronta/",
    "/patto/impegni/",
    "/patto/rendiconti/",
    "/rete/",
    "/rete/panathlon-lucca/",
]


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pact_and_network_pages_are_accessible(page, audit, prefix, viewport):
    """With the Lucca demo loaded, in Italian and English, on desktop and phone."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    for path in PUBLIC_PAGES:
        response = page.goto(prefix + path)
        assert response is not None
        assert response.status == 200, path
        audit()

"""The staff side of help requests: the closed loop from triage to outcome."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from retefamiglie.core.testing import assert_constant_queries, with_mfa
from retefamiglie.helprequests import selectors, services
from retefamiglie.helprequests.models import (
    AccessLog,
    Activity,
    HelpOffer,
    HelpRequest,
    Outcome,
    Referral,
)
from retefamiglie.helprequests.tokens import make_token
from retefamiglie.network.tests.factories import (
    AreaFactory,
    OrganisationFactory,
    StaffFactory,
)

from .factories import HelpOfferFactory, HelpRequestFactory, ReferralFactory

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
DESCRIPTION = (
    "Mio figlio di 8 anni non riesce a fare i compiti e io lavoro fino a tardi."
)
FAMILY_EMAIL = "mamma@example.org"
INBOX = "/gestione/richieste/"


def url(name: str, help_request: HelpRequest, referral: Referral | None = None) -> str:
    kwargs = {"public_id": help_request.public_id}
    if referral is not None:
        kwargs["referral_id"] = referral.pk
    return reverse(f"helprequests:{name}", kwargs=kwargs)


def submit(**overrides) -> HelpRequest:
    data = {
        "kinds": ["school"],
        "description": DESCRIPTION,
        "children": {"6-10": 1},
        "contact_method": "email",
        "contact_email": FAMILY_EMAIL,
        "contact_phone": "333 1234567",
        "urgency": "normal",
        **overrides,
    }
    help_request, _token = services.request_submit(data=data)
    return help_request


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


@pytest.fixture
def coordinator(people):
    return with_mfa(people["coordinator"])


@pytest.fixture
def org_b():
    organisation = OrganisationFactory(name="Oratorio San Frediano")
    return organisation, StaffFactory(organisation=organisation).user


def test_the_closed_loop_from_triage_to_outcome(
    client, people, organisation, org_b, coordinator, django_capture_on_commit_callbacks
):
    """Triage, refer to two, one declines, the other accepts, writes and closes."""
    help_request = submit()
    organisation_b, staff_b = org_b
    org_a_staff = {people["org_editor"].email, people["org_admin"].email}
    detail = help_request.get_absolute_url()

    # The coordinator reads the request, triages it and sends it to A and B.
    client.force_login(coordinator)
    response = client.get(detail)
    assert response.status_code == 200
    assert DESCRIPTION in response.content.decode()
    assert "333 1234567" in response.content.decode()
    response = client.post(
        url("triage", help_request),
        {"triage-kinds": ["school", "childcare"], "triage-urgency": "high"},
    )
    assert response.status_code == 302
    assert response.url == detail
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.IN_TRIAGE
    assert help_request.kinds == ["school", "childcare"]
    assert help_request.urgency == "high"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("refer", help_request),
            {
                "refer-organisations": [organisation.pk, organisation_b.pk],
                "refer-note": "Famiglia seguita anche dai servizi sociali.",
            },
        )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.REFERRED
    assert recipients() == {*org_a_staff, staff_b.email}
    assert all(help_request.reference in m.subject for m in mail.outbox)
    # The e-mails say little: the description stays on the platform.
    assert all(DESCRIPTION not in m.body for m in mail.outbox)
    referral_a = help_request.referrals.get(organisation=organisation)
    referral_b = help_request.referrals.get(organisation=organisation_b)

    # Organisation A declines: a reason is required.
    client.force_login(people["org_editor"])
    response = client.post(
        url("decline", help_request, referral_a),
        {f"decline-{referral_a.pk}-reason": "  "},
    )
    assert response.status_code == 200
    assert f'id="id_decline-{referral_a.pk}-reason_error"' in response.content.decode()
    referral_a.refresh_from_db()
    assert referral_a.status == Referral.Status.PENDING

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("decline", help_request, referral_a),
            {f"decline-{referral_a.pk}-reason": "Non abbiamo volontari il pomeriggio."},
        )
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert referral_a.status == Referral.Status.DECLINED
    assert recipients() == {coordinator.email}
    assert "Non abbiamo volontari il pomeriggio." in mail.outbox[0].body
    help_request.refresh_from_db()
    # B has not answered yet: the request is still out, not back to the coordinator.
    assert help_request.status == HelpRequest.Status.REFERRED

    # Organisation B accepts: the family hears of it by e-mail.
    client.force_login(staff_b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("accept", help_request, referral_b))
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ACCEPTED
    assert help_request.first_answer_at is not None
    assert FAMILY_EMAIL in recipients()
    assert coordinator.email in recipients()

    # B writes to the family, who reads it on its private page.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("message", help_request),
            {"message-body": "Buongiorno, vi chiamiamo domani alle 17."},
        )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.IN_PROGRESS
    assert recipients() == {FAMILY_EMAIL}
    family_sees = selectors.activities_for(help_request=help_request, family_view=True)
    message = family_sees.get(kind=Activity.Kind.MESSAGE_TO_FAMILY)
    assert message.body == "Buongiorno, vi chiamiamo domani alle 17."
    assert message.organisation == organisation_b
    status_page = reverse(
        "helprequests:status", kwargs={"token": make_token(help_request.public_id)}
    )
    client.logout()
    assert "vi chiamiamo domani alle 17" in client.get(status_page).content.decode()
    client.force_login(staff_b)

    # B closes the request: the outcome is required, and what was typed stays.
    response = client.post(url("close", help_request), {"close-body": "Tutto a posto."})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_close-outcome_error"' in html
    assert "Tutto a posto." in html
    help_request.refresh_from_db()
    assert help_request.is_open

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("close", help_request),
            {"close-outcome": Outcome.RESOLVED, "close-body": "Tutto a posto."},
        )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CLOSED
    assert help_request.outcome == Outcome.RESOLVED
    assert help_request.closed_at is not None
    referral_b.refresh_from_db()
    assert referral_b.status == Referral.Status.CLOSED

    # Every read of the details by staff was logged: who, for which organisation.
    logs = AccessLog.objects.filter(request=help_request)
    assert {(log.user, log.organisation) for log in logs} == {
        (coordinator, None),
        (people["org_editor"], organisation),
        (staff_b, organisation_b),
    }

    # The closed request shows its history and no action.
    client.force_login(coordinator)
    html = client.get(detail).content.decode()
    assert "Famiglia seguita anche dai servizi sociali." in html
    assert "Non abbiamo volontari il pomeriggio." in html
    assert url("triage", help_request) not in html
    assert url("close", help_request) not in html
    assert url("message", help_request) not in html

    # And it counts in the figures.
    figures = selectors.statistics()
    assert figures.total == 1
    assert figures.closed_with_outcome_share == 1
    html = client.get(reverse("helprequests:statistics")).content.decode()
    assert "100%" in html


def test_detail_is_never_cached_and_every_read_is_logged(client, coordinator):
    help_request = HelpRequestFactory()
    client.force_login(coordinator)
    for _read in range(3):
        response = client.get(help_request.get_absolute_url())
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert AccessLog.objects.filter(request=help_request, user=coordinator).count() == 3


def test_detail_shows_internal_notes_as_internal(client, coordinator):
    help_request = HelpRequestFactory()
    services.note_add(
        actor=coordinator, help_request=help_request, body="Nota riservata"
    )
    client.force_login(coordinator)
    html = client.get(help_request.get_absolute_url()).content.decode()
    assert "Nota riservata" in html
    assert "bg-warning" in html
    assert not Activity.objects.get(kind=Activity.Kind.NOTE).visible_to_family


def test_a_closed_request_offers_no_action_even_to_a_superuser(client, people):
    """Superusers pass Django's has_perm for everything; the rules still apply."""
    superuser = with_mfa(people["superuser"])
    help_request = HelpRequestFactory(
        status=HelpRequest.Status.CLOSED, outcome=Outcome.RESOLVED
    )
    client.force_login(superuser)
    html = client.get(help_request.get_absolute_url()).content.decode()
    assert '<form method="post"' not in html
    response = client.post(
        url("triage", help_request),
        {"triage-kinds": ["money"], "triage-urgency": "low"},
    )
    assert response.status_code == 403
    help_request.refresh_from_db()
    assert help_request.kinds == ["school"]


def test_bad_triage_keeps_what_was_chosen(client, coordinator):
    help_request = HelpRequestFactory()
    client.force_login(coordinator)
    response = client.post(url("triage", help_request), {"triage-urgency": "high"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_triage-kinds_error"' in html
    assert re.search(r'<input[^>]*value="high"[^>]*checked', html)
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.NEW


def test_refer_requires_an_organisation(client, coordinator):
    help_request = HelpRequestFactory()
    client.force_login(coordinator)
    response = client.post(url("refer", help_request), {"refer-note": "Urgente"})
    assert response.status_code == 200
    assert 'id="id_refer-organisations_error"' in response.content.decode()
    assert "Urgente" in response.content.decode()
    assert not help_request.referrals.exists()


def test_refer_form_suggests_organisations_that_fit(client, coordinator):
    area = AreaFactory()
    help_request = HelpRequestFactory(kinds=["school"], area=area)
    fits = HelpOfferFactory(
        organisation=OrganisationFactory(name="Doposcuola Insieme"),
        kinds=["school"],
        areas=[area],
    ).organisation
    OrganisationFactory(name="Banco Alimentare")
    client.force_login(coordinator)
    html = client.get(help_request.get_absolute_url()).content.decode()
    assert "Doposcuola Insieme" in html
    assert "Banco Alimentare" in html
    found = re.findall(r'<label for="id_refer-organisations_\d+">([^<]*)</label>', html)
    labels = {label.split(" ")[0]: label for label in found}
    # The suggested one comes first, with why and how busy it is.
    assert html.index("Doposcuola Insieme") < html.index("Banco Alimentare")
    assert labels["Doposcuola"] != fits.name
    assert labels["Doposcuola"].startswith(fits.name)
    assert "(" in labels["Doposcuola"]
    assert labels["Banco"] == "Banco Alimentare"


def test_an_organisation_already_working_on_it_is_not_offered_again(
    client, coordinator, organisation
):
    referral = ReferralFactory(organisation=organisation)
    client.force_login(coordinator)
    html = client.get(referral.request.get_absolute_url()).content.decode()
    assert f'name="refer-organisations" value="{organisation.pk}"' not in html


def test_inbox_puts_new_and_returned_requests_first(client, coordinator):
    old_referred = HelpRequestFactory(status=HelpRequest.Status.REFERRED)
    new = HelpRequestFactory()
    returned = HelpRequestFactory(status=HelpRequest.Status.DECLINED)
    client.force_login(coordinator)
    html = client.get(INBOX).content.decode()
    assert html.index(new.reference) < html.index(old_referred.reference)
    assert html.index(returned.reference) < html.index(old_referred.reference)


def test_inbox_filters_by_status_without_javascript(client, coordinator):
    open_request = HelpRequestFactory()
    closed = HelpRequestFactory(status=HelpRequest.Status.CLOSED, outcome="resolved")
    client.force_login(coordinator)
    html = client.get(INBOX).content.decode()
    assert open_request.reference in html
    assert closed.reference not in html
    html = client.get(INBOX, {"status": "closed"}).content.decode()
    assert closed.reference in html
    assert open_request.reference not in html
    html = client.get(INBOX, {"status": "all"}).content.decode()
    assert closed.reference in html
    assert open_request.reference in html


def test_inbox_answers_htmx_with_the_results_only(client, coordinator):
    help_request = HelpRequestFactory()
    client.force_login(coordinator)
    response = client.get(INBOX, {"status": "open"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert help_request.reference in html
    assert "<html" not in html
    assert 'id="results"' in html


def test_inbox_is_paginated(client, coordinator):
    for _ in range(27):
        HelpRequestFactory()
    client.force_login(coordinator)
    first = client.get(INBOX).content.decode()
    assert first.count('<th scope="row">') == 25
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert second.count('<th scope="row">') == 2


def test_org_staff_inbox_shows_only_what_was_referred_to_them(
    client, people, organisation
):
    mine = ReferralFactory(organisation=organisation).request
    not_mine = ReferralFactory().request
    never_referred = HelpRequestFactory()
    client.force_login(people["org_admin"])
    html = client.get(INBOX, {"status": "all"}).content.decode()
    assert mine.reference in html
    assert not_mine.reference not in html
    assert never_referred.reference not in html


@pytest.mark.parametrize("role", ["coordinator", "org_editor"])
def test_inbox_keeps_a_constant_number_of_queries(client, people, organisation, role):
    client.force_login(
        with_mfa(people[role]) if role == "coordinator" else people[role]
    )
    other = OrganisationFactory()

    def make_rows(count):
        for _ in range(count):
            referral = ReferralFactory(organisation=organisation)
            ReferralFactory(request=referral.request, organisation=other)

    assert_constant_queries(client, INBOX, make_rows, n=3)


def test_access_log_keeps_a_constant_number_of_queries(client, people, coordinator):
    client.force_login(coordinator)

    def make_rows(count):
        for _ in range(count):
            referral = ReferralFactory()
            staff = StaffFactory(organisation=referral.organisation).user
            services.access_record(user=staff, help_request=referral.request)
            services.access_record(user=coordinator, help_request=referral.request)

    assert_constant_queries(client, reverse("helprequests:access_log"), make_rows, n=3)


def test_access_log_lists_who_read_what(client, people, organisation, coordinator):
    referral = ReferralFactory(organisation=organisation)
    client.force_login(people["org_editor"])
    client.get(referral.request.get_absolute_url())
    client.force_login(coordinator)
    html = client.get(reverse("helprequests:access_log")).content.decode()
    assert str(people["org_editor"]) in html
    assert organisation.name in html
    assert referral.request.get_absolute_url() in html


def test_statistics_count_and_filter_by_period(client, coordinator):
    area = AreaFactory(name="Sant'Anna", slug="santanna")
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ROME), tick=False):
        HelpRequestFactory(kinds=["school", "money"], area=area)
    with time_machine.travel(datetime(2026, 5, 10, 10, tzinfo=ROME), tick=False):
        request = HelpRequestFactory(kinds=["money"], area=area)
        request.first_answer_at = request.created_at + timedelta(hours=30)
        request.status = HelpRequest.Status.CLOSED
        request.outcome = Outcome.PARTLY_RESOLVED
        request.save()
    client.force_login(coordinator)
    statistics = reverse("helprequests:statistics")
    response = client.get(statistics)
    assert response.status_code == 200
    assert response.context["figures"].total == 2
    html = response.content.decode()
    assert "<caption>" in html
    assert '<meter min="0" max="100" value="100"' in html  # money: 2 of 2
    assert "Sant&#x27;Anna" in html

    response = client.get(statistics, {"since": "2026-05-01", "until": "2026-05-10"})
    figures = response.context["figures"]
    assert figures.total == 1
    assert figures.median_first_answer == timedelta(hours=30)
    assert figures.closed_with_outcome_share == 1

    response = client.get(statistics, {"since": "2026-06-01", "until": "2026-05-01"})
    assert response.status_code == 200
    assert 'id="id_until_error"' in response.content.decode()


def test_offers_list_and_edit_create_the_offer(client, coordinator, organisation):
    area = AreaFactory()
    client.force_login(coordinator)
    html = client.get(reverse("helprequests:offers")).content.decode()
    assert organisation.name in html
    edit = reverse("helprequests:offer_edit", kwargs={"slug": organisation.slug})
    assert edit in html

    response = client.post(
        edit,
        {
            "kinds": ["school", "free_time"],
            "areas": [area.pk],
            "languages": ["it", "ar"],
            "accepts_referrals": "on",
        },
    )
    assert response.status_code == 302
    offer = HelpOffer.objects.get(organisation=organisation)
    assert offer.kinds == ["school", "free_time"]
    assert offer.languages == ["it", "ar"]
    assert list(offer.areas.all()) == [area]
    assert offer.accepts_referrals

    response = client.post(edit, {"kinds": ["nonsense"]})
    assert response.status_code == 200
    assert 'id="id_kinds_error"' in response.content.decode()
    offer.refresh_from_db()
    assert offer.kinds == ["school", "free_time"]


def test_offers_keep_a_constant_number_of_queries(client, coordinator):
    client.force_login(coordinator)

    def make_rows(count):
        for _ in range(count):
            HelpOfferFactory(areas=[AreaFactory(), AreaFactory()])
            OrganisationFactory()

    assert_constant_queries(client, reverse("helprequests:offers"), make_rows, n=3)


def test_unanswered_referrals_are_reminded_after_48_hours(people, organisation):
    sent_at = datetime(2026, 4, 1, 9, tzinfo=ROME)
    with time_machine.travel(sent_at, tick=False):
        referral = ReferralFactory(organisation=organisation)
        answered = ReferralFactory(
            organisation=organisation, status=Referral.Status.ACCEPTED
        )
    with time_machine.travel(sent_at + timedelta(hours=47), tick=False):
        assert services.referrals_remind() == 0
    assert mail.outbox == []

    with time_machine.travel(sent_at + timedelta(hours=49), tick=False):
        assert services.referrals_remind() == 1
    # The remind service sends after commit; the test transaction never commits.
    referral.refresh_from_db()
    assert referral.reminded_at == sent_at + timedelta(hours=49)
    answered.refresh_from_db()
    assert answered.reminded_at is None

    with time_machine.travel(sent_at + timedelta(hours=72), tick=False):
        assert services.referrals_remind() == 0


def test_reminder_e_mails_the_organisation_staff(
    people, organisation, django_capture_on_commit_callbacks
):
    sent_at = datetime(2026, 4, 1, 9, tzinfo=ROME)
    with time_machine.travel(sent_at, tick=False):
        referral = ReferralFactory(organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.referrals_remind(now=sent_at + timedelta(hours=49))
    assert recipients() == {people["org_editor"].email, people["org_admin"].email}
    assert referral.request.reference in mail.outbox[0].subject


def test_retention_erases_personal_data_of_old_closed_requests(coordinator):
    """Twelve months after closing, only what the figures need is left."""
    closed_at = datetime(2025, 2, 1, 12, tzinfo=ROME)
    area = AreaFactory()
    with time_machine.travel(closed_at, tick=False):
        help_request = submit(
            kinds=["money", "school"], area=area, contact_name="Giulia"
        )
        services.note_add(actor=coordinator, help_request=help_request, body="Nota")
        services.request_close(
            actor=coordinator,
            help_request=help_request,
            outcome=Outcome.PUBLIC_SERVICES,
            body="Inviata ai servizi sociali.",
        )
        still_open = submit()

    with time_machine.travel(closed_at + timedelta(days=330), tick=False):
        assert services.requests_anonymise() == 0
    help_request.refresh_from_db()
    assert help_request.description == DESCRIPTION

    later = closed_at + timedelta(days=370)
    with time_machine.travel(later, tick=False):
        assert services.requests_anonymise() == 1
    help_request.refresh_from_db()
    assert help_request.description == ""
    assert help_request.contact_email == ""
    assert help_request.contact_phone == ""
    assert help_request.contact_name == ""
    assert help_request.children == {}
    assert help_request.anonymised_at == later
    assert help_request.kinds == ["money", "school"]
    assert help_request.area == area
    assert help_request.outcome == Outcome.PUBLIC_SERVICES
    assert not help_request.activities.exclude(body="").exists()
    still_open.refresh_from_db()
    assert still_open.description == DESCRIPTION
    # The figures still count it.
    assert selectors.statistics().by_outcome == [
        (str(dict(Outcome.choices)[Outcome.PUBLIC_SERVICES]), 1)
    ]

"""Members' reports, pre-filled from the platform, and the network's report."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from retefamiglie.core.testing import ROLES, assert_constant_queries
from retefamiglie.core.testing import login_as as login
from retefamiglie.helprequests.models import Referral
from retefamiglie.helprequests.tests.factories import ReferralFactory
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory
from retefamiglie.pacts import selectors
from retefamiglie.pacts.models import (
    Commitment,
    CommitmentUpdate,
    NetworkReport,
    Report,
)

from .factories import CommitmentFactory, PactVersionFactory, ReportFactory

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
# Early autumn 2026: the report due is the one for January-June 2026.
TODAY = datetime.datetime(2026, 9, 15, 10, tzinfo=ROME)


@pytest.fixture(autouse=True)
def _september():
    with time_machine.travel(TODAY, tick=False):
        yield


def en(name: str, query: dict | None = None, **kwargs) -> str:
    """The English page, so assertions read the source text of the interface."""
    with translation.override("en"):
        url = reverse(f"pacts:{name}", kwargs=kwargs or None)
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=ROME)


def handled(organisation, when, children=None, status=Referral.Status.ACCEPTED):
    return ReferralFactory(
        organisation=organisation,
        status=status,
        answered_at=when,
        request__children=children if children is not None else {"6-10": 1},
    )


def report_post(action: str = "draft", **overrides) -> dict:
    return {
        "activities": "Doposcuola due pomeriggi a settimana.",
        "volunteer_hours": 120,
        "families_reached": 14,
        "children_reached": 20,
        "help_requests_handled": 3,
        "resources": "",
        "difficulties": "",
        "action": action,
        **overrides,
    }


H1 = {"year": 2026, "period": "h1"}


# ------------------------------------------------------------------------------
# Pre-filling
# ------------------------------------------------------------------------------


def test_the_report_is_prefilled_from_help_requests_handled_in_the_period(
    organisation,
):
    """Referrals accepted (or since closed) in the period count; others do not."""
    handled(organisation, at(2026, 2, 3, 9), {"0-2": 1, "6-10": 2})
    handled(organisation, at(2026, 6, 30, 23), {"3-5": 1}, Referral.Status.CLOSED)
    handled(organisation, at(2026, 7, 1, 0, 30))  # the next period
    handled(organisation, at(2026, 3, 1), status=Referral.Status.PENDING)
    ReferralFactory(
        organisation=organisation,
        status=Referral.Status.DECLINED,
        answered_at=at(2026, 3, 2),
    )
    handled(OrganisationFactory(), at(2026, 3, 3))  # another member
    initial = selectors.report_prefill(organisation=organisation, **H1)
    assert initial["help_requests_handled"] == 2
    assert initial["families_reached"] == 2
    assert initial["children_reached"] == 4
    assert "volunteer_hours" not in initial  # never guessed


def test_the_report_is_prefilled_with_the_commitments_progress(organisation):
    version = PactVersionFactory(in_force=True, sections=False)
    commitment = CommitmentFactory(
        organisation=organisation,
        version=version,
        title="Doposcuola",
        target_value=20,
        target_unit="famiglie",
        progress_value=12,
        status=Commitment.Status.IN_PROGRESS,
    )
    CommitmentFactory(
        organisation=organisation,
        version=version,
        title="Abbandonato",
        status=Commitment.Status.DROPPED,
    )
    in_period = CommitmentUpdate.objects.create(
        commitment=commitment, text="Aperto il secondo gruppo.", progress_value=12
    )
    before = CommitmentUpdate.objects.create(
        commitment=commitment, text="Riunione di avvio.", progress_value=0
    )
    CommitmentUpdate.objects.filter(pk=in_period.pk).update(created_at=at(2026, 4, 2))
    CommitmentUpdate.objects.filter(pk=before.pk).update(created_at=at(2025, 11, 2))
    activities = selectors.report_prefill(organisation=organisation, **H1)["activities"]
    assert "Doposcuola: 12/20 famiglie" in activities
    assert "Aperto il secondo gruppo." in activities
    assert "Riunione di avvio." not in activities
    assert "Abbandonato" not in activities


def test_the_form_comes_prefilled_for_the_member(client, people, organisation):
    handled(organisation, at(2026, 5, 5), {"6-10": 3})
    login(client, people, "org_editor")
    response = client.get(
        en("report_create", {"organisation": organisation.slug, **H1})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="help_requests_handled" value="1"' in page
    assert 'name="children_reached" value="3"' in page
    # Nobody recorded volunteer hours: left for the member to write, not zero.
    assert 'name="volunteer_hours" min="0"' in page
    assert "Report of Panathlon Club Lucca, January–June 2026" in page


# ------------------------------------------------------------------------------
# Writing and filing
# ------------------------------------------------------------------------------


def test_staff_save_a_draft_then_file_it(client, people, organisation):
    editor = login(client, people, "org_editor")
    response = client.post(
        en("report_create", {"organisation": organisation.slug, **H1}),
        report_post("draft"),
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == en("report", pk=report.pk)
    assert report.status == Report.Status.DRAFT
    assert (report.organisation, report.year, report.period) == (
        organisation,
        2026,
        "h1",
    )
    assert report.volunteer_hours == 120

    response = client.post(
        en("report_edit", pk=report.pk), report_post("file", volunteer_hours=130)
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.volunteer_hours == 130
    assert report.submitted_by == editor
    assert report.submitted_at == TODAY
    page = client.get(en("report", pk=report.pk)).content.decode()
    assert "A filed report can no longer change." in page
    assert "Edit and file the report" not in page


def test_a_filed_report_is_read_only(client, people, organisation):
    report = ReportFactory(organisation=organisation, status=Report.Status.SUBMITTED)
    login(client, people, "org_admin")
    assert client.get(en("report_edit", pk=report.pk)).status_code == 403
    response = client.post(en("report_edit", pk=report.pk), report_post("file"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.volunteer_hours == 40
    # Asking to write it again leads to the filed report.
    response = client.get(
        en("report_create", {"organisation": organisation.slug, **H1})
    )
    assert response.status_code == 302
    assert f"/{report.pk}/" in response.url


def test_no_report_for_a_period_that_has_not_begun(client, people, organisation):
    login(client, people, "org_admin")
    with time_machine.travel(at(2026, 3, 1, 10), tick=False):
        response = client.get(
            en("report_create", {"organisation": organisation.slug, "year": 2026})
            + "&period=h2",
            follow=True,
        )
    assert "Reports can be written only for periods that began." in (
        response.content.decode()
    )
    response = client.post(
        en("report_create", {"organisation": organisation.slug, "year": 2027})
        + "&period=h1",
        report_post(),
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("family", 403),
        ("other_org_staff", 403),
        ("org_editor", 200),
        ("org_admin", 200),
        ("coordinator", 403),
        ("municipal_officer", 403),
        ("superuser", 403),
    ],
)
def test_only_the_members_staff_write_its_report(
    client, people, organisation, role, status
):
    login(client, people, role)
    url = en("report_create", {"organisation": organisation.slug, **H1})
    assert client.get(url).status_code == status
    client.post(url, report_post())
    assert Report.objects.exists() is (status == 200)


@pytest.mark.parametrize(
    ("role", "reads", "edits"),
    [
        ("anonymous", 302, 302),
        ("family", 403, 403),
        ("other_org_staff", 403, 403),
        ("org_editor", 200, 200),
        ("org_admin", 200, 200),
        ("coordinator", 200, 403),
        ("municipal_officer", 200, 403),
        ("superuser", 200, 403),
    ],
)
def test_who_reads_and_who_edits_a_draft_report(
    client, people, organisation, role, reads, edits
):
    """Nobody edits another member's report: not coordinators, not a superuser."""
    report = ReportFactory(organisation=organisation)
    login(client, people, role)
    assert client.get(en("report", pk=report.pk)).status_code == reads
    assert client.get(en("report_edit", pk=report.pk)).status_code == edits
    client.post(en("report_edit", pk=report.pk), report_post(volunteer_hours=999))
    report.refresh_from_db()
    assert (report.volunteer_hours == 999) is (edits == 200)


# ------------------------------------------------------------------------------
# The list of reports
# ------------------------------------------------------------------------------


def test_staff_see_the_button_to_file_the_report_due(client, people, organisation):
    login(client, people, "org_admin")
    page = client.get(en("reports")).content.decode()
    assert "File the report for January–June 2026" in page
    assert f"organisation={organisation.slug}" in page
    ReportFactory(organisation=organisation, **H1)
    page = client.get(en("reports")).content.decode()
    assert "Continue the draft" in page
    assert "File the report for January–June 2026" not in page


def test_coordinators_see_who_has_not_filed(client, people, organisation):
    late_member = OrganisationFactory(name="Oratorio San Frediano")
    ReportFactory(organisation=organisation, status=Report.Status.SUBMITTED, **H1)
    login(client, people, "coordinator")
    page = client.get(en("reports")).content.decode()
    assert "1 member has filed, 2 not yet." in page
    row = page[page.index("Oratorio San Frediano") :]
    assert row.index("Not filed") < row.index("</tr>")
    # Another period chosen in the form.
    page = client.get(en("reports"), {"year": 2025, "period": "h2"}).content.decode()
    assert "0 members have filed, 3 not yet." in page
    assert late_member.name in page


def test_the_public_sees_only_published_network_reports(client, people):
    NetworkReport.objects.create(year=2025, period="h2", status="published")
    NetworkReport.objects.create(year=2026, period="h1")
    page = client.get(en("reports")).content.decode()
    assert "The network in July–December 2025" in page
    assert "January–June 2026" not in page
    assert "Who has filed" not in page


def test_the_list_of_reports_keeps_a_constant_number_of_queries(client, people):
    login(client, people, "coordinator")

    def make_rows(n):
        for _ in range(n):
            ReportFactory(organisation=OrganisationFactory(), **H1)
            ReportFactory(
                organisation=OrganisationFactory(), status="submitted", year=2025
            )

    assert_constant_queries(client, en("reports"), make_rows, n=3)


# ------------------------------------------------------------------------------
# The network's report
# ------------------------------------------------------------------------------


@pytest.fixture
def filed(organisation):
    """Two members filed for January-June 2026, one only drafted."""
    centro = AreaFactory(name="Centro storico", slug="centro")
    organisation.area = centro
    organisation.save()
    other = OrganisationFactory(name="Oratorio San Frediano", area=centro)
    citizen = OrganisationFactory(
        name="Maria Bianchi",
        type=Organisation.Type.CITIZEN,
        is_public=False,
        area=AreaFactory(name="Sant'Anna", slug="santanna"),
    )
    reports = [
        ReportFactory(
            organisation=organisation,
            status=Report.Status.SUBMITTED,
            submitted_at=at(2026, 7, 10),
            volunteer_hours=100,
            families_reached=10,
            children_reached=15,
            help_requests_handled=2,
            **H1,
        ),
        ReportFactory(
            organisation=citizen,
            status=Report.Status.SUBMITTED,
            submitted_at=at(2026, 7, 12),
            volunteer_hours=30,
            families_reached=4,
            children_reached=5,
            help_requests_handled=0,
            **H1,
        ),
        ReportFactory(organisation=other, volunteer_hours=999, **H1),  # a draft
    ]
    return reports


def test_totals_add_up_filed_reports_only(filed, organisation):
    version = PactVersionFactory(in_force=True, sections=False)
    done = CommitmentFactory(
        organisation=organisation,
        version=version,
        objective="community",
        target_value=10,
        progress_value=10,
        status=Commitment.Status.DONE,
        due_date=datetime.date(2026, 12, 31),
    )
    late = CommitmentFactory(
        organisation=organisation,
        version=version,
        objective="community",
        target_value=20,
        progress_value=5,
        due_date=datetime.date(2026, 12, 31),
    )
    Commitment.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 3, 1))
    # Made after the period: not part of it.
    CommitmentFactory(organisation=organisation, version=version, objective="community")
    Commitment.objects.filter(pk__in=[done.pk, late.pk]).update(
        created_at=at(2026, 1, 10)
    )
    totals = selectors.network_report_totals(**H1)
    assert totals.filed == 2
    assert totals.total.volunteer_hours == 130
    assert totals.total.families_reached == 14
    assert totals.total.children_reached == 20
    assert totals.total.help_requests_handled == 2
    areas = {area.area: area for area in totals.areas}
    assert areas["Centro storico"].volunteer_hours == 100
    assert areas["Centro storico"].members == 1
    assert areas["Sant'Anna"].families_reached == 4
    community = next(o for o in totals.objectives if o.objective == "community")
    assert (community.count, community.done, community.late) == (2, 1, 1)
    assert (community.progress, community.target, community.percent) == (15, 30, 50)
    by_member = {m.organisation.name: m for m in totals.members}
    assert set(by_member) == {"Panathlon Club Lucca", "Maria Bianchi"}


NETWORK_ROLES = [
    ("anonymous", 302),
    ("family", 403),
    ("other_org_staff", 403),
    ("org_editor", 403),
    ("org_admin", 403),
    ("coordinator", 200),
    ("municipal_officer", 200),
    ("superuser", 200),
]


@pytest.mark.parametrize(("role", "status"), NETWORK_ROLES)
@pytest.mark.parametrize("page", ["network_report", "network_report_csv"])
def test_before_publication_only_coordinators_and_officers_read_it(
    client, people, filed, role, status, page
):
    NetworkReport.objects.create(introduction="Bozza riservata.", **H1)
    login(client, people, role)
    response = client.get(en(page, **H1))
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response.url


@pytest.mark.parametrize("role", ROLES)
def test_once_published_everyone_reads_it(client, people, filed, role):
    NetworkReport.objects.create(
        introduction="Sei mesi di rete.",
        status=NetworkReport.Status.PUBLISHED,
        published_at=at(2026, 8, 1),
        **H1,
    )
    login(client, people, role)
    response = client.get(en("network_report", **H1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sei mesi di rete." in page
    assert "Compile the report" not in page
    assert client.get(en("network_report_csv", **H1)).status_code == 200


def test_a_coordinator_compiles_and_publishes_the_network_report(client, people, filed):
    coordinator = login(client, people, "coordinator")
    url = en("network_report", **H1)
    page = client.get(url).content.decode()
    assert "Compile the report" in page
    assert "Not published" in page
    assert 'role="img"' in page
    assert "<title id=" in page
    # Volunteer hours by member: 100 fills the bar, 30 is 30% of it.
    assert '<rect x="220" y="5" width="102"' in page
    assert '<rect x="220" y="33" width="340"' in page
    assert "style=" not in page[page.index("<h1>") :]
    client.post(url, {"introduction": "Primo semestre.", "action": "save"})
    report = NetworkReport.objects.get()
    assert report.status == NetworkReport.Status.DRAFT
    assert report.introduction == "Primo semestre."
    # Still hidden from the public.
    client.logout()
    assert client.get(url).status_code == 302

    client.force_login(coordinator)
    response = client.post(
        url, {"introduction": "Primo semestre.", "action": "publish"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == NetworkReport.Status.PUBLISHED
    assert report.published_by == coordinator
    assert report.published_at == TODAY
    # Published is final.
    response = client.post(url, {"introduction": "Cambiato.", "action": "save"})
    assert response.status_code == 403
    client.logout()
    page = client.get(url).content.decode()
    assert "Primo semestre." in page
    assert "Published" in page


@pytest.mark.parametrize("role", ["municipal_officer", "org_admin", "family"])
def test_only_coordinators_compile_the_network_report(client, people, filed, role):
    login(client, people, role)
    response = client.post(
        en("network_report", **H1), {"introduction": "X", "action": "publish"}
    )
    assert response.status_code == 403
    assert not NetworkReport.objects.exists()


def test_nothing_to_publish_without_filed_reports(client, people):
    login(client, people, "coordinator")
    response = client.post(
        en("network_report", **H1), {"introduction": "", "action": "publish"}
    )
    assert response.status_code == 200
    assert "No member has filed a report for this period yet" in (
        response.content.decode()
    )
    assert not NetworkReport.objects.filter(status="published").exists()


def test_reports_filed_after_publication_do_not_change_it(client, people, filed):
    NetworkReport.objects.create(
        status=NetworkReport.Status.PUBLISHED, published_at=at(2026, 8, 1), **H1
    )
    ReportFactory(
        organisation=OrganisationFactory(),
        status=Report.Status.SUBMITTED,
        submitted_at=at(2026, 8, 20),
        volunteer_hours=500,
        **H1,
    )
    page = client.get(en("network_report", **H1)).content.decode()
    assert "Figures from the reports filed by 2 members." in page
    assert ">130<" in page


def test_the_csv_has_one_row_per_member_that_filed(client, people, filed):
    login(client, people, "coordinator")
    response = client.get(en("network_report_csv", **H1))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="rendiconto-rete-2026-h1.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Member",
        "Type",
        "Area",
        "Volunteer hours",
        "Families reached",
        "Children reached",
        "Help requests handled",
        "Filed",
    ]
    assert rows[1:] == [
        # A citizen not listed publicly is not named, even in the data.
        [
            "An active citizen",
            "Active citizen",
            "Sant'Anna",
            "30",
            "4",
            "5",
            "0",
            "2026-07-12",
        ],
        [
            "Panathlon Club Lucca",
            "Third-sector association",
            "Centro storico",
            "100",
            "10",
            "15",
            "2",
            "2026-07-10",
        ],
    ]


def test_the_pdf_is_a_pdf(client, people, filed):
    login(client, people, "municipal_officer")
    response = client.get(en("network_report_pdf", **H1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="rendiconto-rete-2026-h1.pdf"' in response["Content-Disposition"]


def test_an_unknown_period_is_not_found(client, people):
    login(client, people, "coordinator")
    assert client.get(en("network_report", year=2026, period="q3")).status_code == 404


def test_the_network_report_keeps_a_constant_number_of_queries(client, people):
    login(client, people, "coordinator")
    version = PactVersionFactory(in_force=True, sections=False)

    def make_rows(n):
        for _ in range(n):
            member = OrganisationFactory()
            ReportFactory(organisation=member, status="submitted", **H1)
            CommitmentFactory(organisation=member, version=version)

    assert_constant_queries(client, en("network_report", **H1), make_rows, n=3)

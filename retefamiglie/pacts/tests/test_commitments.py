"""Members' commitments: the public list, adding, progress with evidence, edits."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from retefamiglie.core.testing import assert_constant_queries, sample_file
from retefamiglie.core.testing import login_as as login
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import OrganisationFactory
from retefamiglie.pacts.models import Commitment, CommitmentUpdate, PactVersion
from retefamiglie.pacts.services import commitments as services

from .factories import CommitmentFactory, PactVersionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def en(name: str, **kwargs) -> str:
    """The English page, so assertions read the source text of the interface."""
    with translation.override("en"):
        return reverse(f"pacts:{name}", kwargs=kwargs or None)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def version():
    return PactVersionFactory(in_force=True, sections=False)


@pytest.fixture
def commitment(organisation, version):
    return CommitmentFactory(
        organisation=organisation,
        version=version,
        title="Doposcuola del martedì",
        target_value=20,
        target_unit="famiglie",
        due_date=days(60),
    )


def progress_post(**overrides) -> dict:
    return {
        "text": "Dieci famiglie hanno partecipato al primo ciclo.",
        "progress_value": 10,
        "link": "",
        **overrides,
    }


# ------------------------------------------------------------------------------
# The public list
# ------------------------------------------------------------------------------


def test_anyone_reads_the_commitments_with_their_progress(client, commitment):
    """The list shows what, for whom, the member (linked) and progress as text."""
    commitment.progress_value = 5
    commitment.save()
    response = client.get(en("commitments"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Doposcuola del martedì" in page
    assert commitment.beneficiaries in page
    assert f'href="{commitment.organisation.get_absolute_url()}"' in page
    assert "Panathlon Club Lucca" in page
    assert re.search(r'<progress max="20" value="5"', page)
    assert "5 of 20 famiglie" in page


def test_a_citizen_not_listed_publicly_is_not_named(client, version):
    citizen = OrganisationFactory(
        name="Maria Bianchi", type=Organisation.Type.CITIZEN, is_public=False
    )
    CommitmentFactory(organisation=citizen, version=version, title="Letture in piazza")
    page = client.get(en("commitments")).content.decode()
    assert "Letture in piazza" in page
    assert "An active citizen" in page
    assert "Maria Bianchi" not in page


def test_filters_by_member_objective_and_status(client, organisation, version):
    other = OrganisationFactory(name="Oratorio San Frediano")
    CommitmentFactory(
        organisation=organisation, version=version, title="Uno", objective="community"
    )
    CommitmentFactory(
        organisation=other,
        version=version,
        title="Due",
        objective="educational_poverty",
        status=Commitment.Status.IN_PROGRESS,
    )
    url = en("commitments")
    by_member = client.get(url, {"member": organisation.pk}).content.decode()
    assert ">Uno<" in by_member
    assert ">Due<" not in by_member
    by_objective = client.get(url, {"objective": "educational_poverty"})
    assert ">Due<" in by_objective.content.decode()
    assert ">Uno<" not in by_objective.content.decode()
    by_status = client.get(url, {"status": "planned"}).content.decode()
    assert ">Uno<" in by_status
    assert ">Due<" not in by_status


@pytest.mark.parametrize(
    ("role", "sees_late"),
    [
        ("anonymous", False),
        ("family", False),
        ("org_admin", False),
        ("coordinator", True),
        ("municipal_officer", True),
    ],
)
def test_late_commitments_are_flagged_and_first_for_those_who_follow_the_pact(
    client, people, organisation, version, role, sees_late
):
    """Late: due date passed and not done or dropped. Flagged, counted, first."""
    CommitmentFactory(
        organisation=organisation, version=version, title="In tempo", due_date=days(5)
    )
    late = CommitmentFactory(
        organisation=organisation, version=version, title="In ritardo"
    )
    Commitment.objects.filter(pk=late.pk).update(due_date=days(-10))
    done = CommitmentFactory(
        organisation=organisation,
        version=version,
        title="Concluso",
        status=Commitment.Status.DONE,
    )
    Commitment.objects.filter(pk=done.pk).update(due_date=days(-20))
    login(client, people, role)
    page = client.get(en("commitments")).content.decode()
    assert (">Late<" in page) is sees_late
    assert ("1 commitment is late" in page) is sees_late
    assert ('name="late"' in page) is sees_late
    if sees_late:
        assert (
            page.index("In ritardo") < page.index("Concluso") < page.index("In tempo")
        )
        late_only = client.get(en("commitments"), {"late": "on"}).content.decode()
        assert "In ritardo" in late_only
        assert "In tempo" not in late_only
        assert "Concluso" not in late_only
    else:
        # Ordered by due date, nothing singled out.
        assert (
            page.index("Concluso") < page.index("In ritardo") < page.index("In tempo")
        )


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_the_list_keeps_a_constant_number_of_queries(client, people, version, role):
    login(client, people, role)

    def make_rows(n):
        for _ in range(n):
            CommitmentFactory(version=version, organisation=OrganisationFactory())

    assert_constant_queries(client, en("commitments"), make_rows, n=3)


# ------------------------------------------------------------------------------
# Adding a commitment
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("family", 403),
        ("other_org_staff", 200),
        ("org_editor", 200),
        ("org_admin", 200),
        ("coordinator", 200),
        ("municipal_officer", 403),
        ("superuser", 200),
    ],
)
def test_who_may_add_a_commitment(client, people, version, role, status):
    login(client, people, role)
    response = client.get(en("commitment_create"))
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response.url


def new_commitment(organisation, **overrides) -> dict:
    return {
        "organisation": organisation.pk,
        "objective": "no_family_alone",
        "title": "Sportello di ascolto",
        "beneficiaries": "genitori di bambini 0-6 anni",
        "target_value": 30,
        "target_unit": "incontri",
        "due_date": days(90).isoformat(),
        "area": "",
        **overrides,
    }


def test_staff_add_a_commitment_under_the_version_in_force(
    client, people, organisation, version
):
    login(client, people, "org_editor")
    response = client.post(en("commitment_create"), new_commitment(organisation))
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response.url == commitment.get_absolute_url()
    assert commitment.organisation == organisation
    assert commitment.version == version
    assert commitment.status == Commitment.Status.PLANNED
    assert commitment.history.get().history_user == people["org_editor"]


def test_staff_cannot_add_a_commitment_for_another_member(
    client, people, organisation, version
):
    login(client, people, "other_org_staff")
    response = client.post(en("commitment_create"), new_commitment(organisation))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_coordinator_adds_a_commitment_for_any_active_member(client, people, version):
    member = OrganisationFactory()
    OrganisationFactory(name="Uscita dalla rete", status=Organisation.Status.LEFT)
    login(client, people, "coordinator")
    page = client.get(en("commitment_create")).content.decode()
    assert "Uscita dalla rete" not in page
    client.post(en("commitment_create"), new_commitment(member))
    assert Commitment.objects.get().organisation == member


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_value", "0", "The target must be a number greater than zero."),
        ("due_date", "2020-01-01", "The due date cannot be in the past."),
    ],
)
def test_a_commitment_needs_a_positive_target_and_a_future_due_date(
    client, people, organisation, version, field, value, message
):
    login(client, people, "org_admin")
    response = client.post(
        en("commitment_create"), new_commitment(organisation, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Commitment.objects.exists()


def test_no_commitment_without_a_version_in_force(client, people, organisation):
    PactVersionFactory(status=PactVersion.Status.CONSULTATION, sections=False)
    login(client, people, "org_admin")
    response = client.post(en("commitment_create"), new_commitment(organisation))
    assert response.status_code == 200
    assert "No version of the pact is in force" in response.content.decode()
    assert not Commitment.objects.exists()


# ------------------------------------------------------------------------------
# Detail, progress and evidence
# ------------------------------------------------------------------------------


def test_the_detail_shows_progress_updates_with_their_evidence(
    client, people, commitment
):
    services.commitment_update_progress(
        actor=people["org_editor"],
        commitment=commitment,
        text="Primo incontro con dodici famiglie.",
        progress_value=12,
        link="https://example.org/foto",
        file=SimpleUploadedFile("verbale.pdf", PDF, "application/pdf"),
    )
    page = client.get(en("commitment", pk=commitment.pk)).content.decode()
    update = CommitmentUpdate.objects.get()
    assert "Primo incontro con dodici famiglie." in page
    assert "Reached: 12 famiglie" in page
    assert 'href="https://example.org/foto"' in page
    assert f'href="{update.file.url}"' in page
    assert people["org_editor"].short_name in page
    assert "<time datetime=" in page
    # The public reads progress, not the form nor the change history.
    assert "Record progress" not in page
    assert "Changes to the commitment" not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("family", 403),
        ("other_org_staff", 403),
        ("org_editor", 302),
        ("org_admin", 302),
        ("coordinator", 302),
        ("municipal_officer", 403),
        ("superuser", 302),
    ],
)
def test_who_may_record_progress(client, people, commitment, role, status):
    login(client, people, role)
    response = client.post(en("commitment", pk=commitment.pk), progress_post())
    assert response.status_code == status
    commitment.refresh_from_db()
    recorded = status == 302 and role != "anonymous"
    assert (commitment.progress_value == 10) is recorded
    assert CommitmentUpdate.objects.exists() is recorded
    if recorded:
        assert response.url == commitment.get_absolute_url()
        assert commitment.status == Commitment.Status.IN_PROGRESS


def test_staff_of_the_member_see_the_progress_form(client, people, commitment):
    login(client, people, "org_editor")
    page = client.get(en("commitment", pk=commitment.pk)).content.decode()
    assert "Record progress" in page
    assert 'enctype="multipart/form-data"' in page


def test_reaching_the_target_marks_the_commitment_done(client, people, commitment):
    login(client, people, "org_admin")
    client.post(en("commitment", pk=commitment.pk), progress_post(progress_value=20))
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DONE
    assert commitment.progress_value == 20
    # Done is final: no more progress, no more edits, not even for a superuser.
    response = client.post(
        en("commitment", pk=commitment.pk), progress_post(progress_value=25)
    )
    assert response.status_code == 403
    login(client, people, "superuser")
    assert client.get(en("commitment_edit", pk=commitment.pk)).status_code == 403
    assert (
        client.post(en("commitment", pk=commitment.pk), progress_post()).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("name", "content", "size", "message"),
    [
        ("grande.pdf", None, 10 * 1024 * 1024 + 1, "the limit is 10.0"),
        ("programma.exe", b"MZ\x90\x00", None, "This type of file is not accepted"),
        ("finto.pdf", b"<html>ciao</html>", None, "does not look like a PDF file"),
        (
            "finto.pdf",
            b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
            None,
            "does not look like a PDF file",
        ),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, None, "not look like a PNG"),
    ],
)
def test_evidence_files_are_checked(
    client, people, commitment, name, content, size, message
):
    """At most 10 MB, and only PDF, JPG, PNG, DOCX, XLSX or ODT that are what they
    claim to be."""
    if content is None:
        content = PDF + b"0" * (size - len(PDF))
    login(client, people, "org_admin")
    response = client.post(
        en("commitment", pk=commitment.pk),
        progress_post(file=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommitmentUpdate.objects.exists()
    commitment.refresh_from_db()
    assert commitment.progress_value == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", sample_file("jpeg")),
        ("foto.png", sample_file("png")),
        ("tabella.xlsx", sample_file("xlsx")),
        ("lettera.odt", sample_file("odt")),
    ],
)
def test_accepted_evidence_files_are_kept(client, people, commitment, name, content):
    login(client, people, "org_admin")
    response = client.post(
        en("commitment", pk=commitment.pk),
        progress_post(file=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 302
    assert CommitmentUpdate.objects.get().file.name.endswith(name.rsplit(".")[-1])


# ------------------------------------------------------------------------------
# Editing, dropping, history
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("family", 403),
        ("other_org_staff", 403),
        ("org_editor", 200),
        ("org_admin", 200),
        ("coordinator", 200),
        ("municipal_officer", 403),
        ("superuser", 200),
    ],
)
def test_who_may_edit_a_commitment(client, people, commitment, role, status):
    """Nobody edits another member's commitment; coordinators may."""
    login(client, people, role)
    assert client.get(en("commitment_edit", pk=commitment.pk)).status_code == status


def edit_post(commitment, **overrides) -> dict:
    return {
        "objective": commitment.objective,
        "title": commitment.title,
        "beneficiaries": commitment.beneficiaries,
        "target_value": commitment.target_value,
        "target_unit": commitment.target_unit,
        "due_date": commitment.due_date.isoformat(),
        "area": "",
        "status": commitment.status,
        "drop_reason": "",
        **overrides,
    }


def test_another_members_staff_cannot_change_a_commitment(client, people, commitment):
    login(client, people, "other_org_staff")
    response = client.post(
        en("commitment_edit", pk=commitment.pk), edit_post(commitment, title="Mio")
    )
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.title == "Doposcuola del martedì"


def test_the_change_history_shows_who_changed_which_field(client, people, commitment):
    login(client, people, "org_admin")
    response = client.post(
        en("commitment_edit", pk=commitment.pk),
        edit_post(commitment, title="Doposcuola del giovedì", target_value=25),
    )
    assert response.status_code == 302
    login(client, people, "coordinator")
    page = client.get(en("commitment", pk=commitment.pk)).content.decode()
    assert "Changes to the commitment" in page
    history = page[page.index("Changes to the commitment") :]
    assert people["org_admin"].short_name in history
    assert "Doposcuola del martedì → Doposcuola del giovedì" in history
    assert "20 → 25" in history
    # The public does not read who changed what.
    client.logout()
    assert (
        "Changes to the commitment"
        not in client.get(en("commitment", pk=commitment.pk)).content.decode()
    )


def test_dropping_a_commitment_needs_a_reason_kept_as_its_last_update(
    client, people, commitment
):
    login(client, people, "org_editor")
    url = en("commitment_edit", pk=commitment.pk)
    response = client.post(url, edit_post(commitment, status="dropped"))
    assert response.status_code == 200
    assert "Say why the commitment is dropped" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.PLANNED

    response = client.post(
        url,
        edit_post(
            commitment, status="dropped", drop_reason="La sala non è più libera."
        ),
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DROPPED
    update = CommitmentUpdate.objects.get()
    assert "La sala non è più libera." in update.text
    assert update.author == people["org_editor"]
    page = client.get(en("commitment", pk=commitment.pk)).content.decode()
    assert "La sala non è più libera." in page
    assert "Edit the commitment" not in page

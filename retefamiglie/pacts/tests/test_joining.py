"""Joining the network: apply, review, amend, approve or reject; every role."""

import pytest
from allauth.mfa.models import Authenticator

from retefamiglie.core.testing import ROLES
from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory
from retefamiglie.pacts.models import JoinApplication, PactVersion, Signature
from retefamiglie.pacts.services import joining as services
from retefamiglie.pacts.tests.factories import PactVersionFactory

pytestmark = pytest.mark.django_db

MFA_ROLES = ("coordinator", "municipal_officer", "superuser")
REVIEWERS = ("coordinator", "superuser")


@pytest.fixture
def staff_people(people):
    for role in MFA_ROLES:
        Authenticator.objects.create(
            user=people[role], type=Authenticator.Type.TOTP, data={}
        )
    return people


@pytest.fixture
def version(db):
    return PactVersionFactory(in_force=True)


def form_data(version, **overrides):
    data = {
        "version": version.pk,
        "type": Organisation.Type.THIRD_SECTOR,
        "name": "Associazione Girasole",
        "description": "Doposcuola e laboratori per bambini dal 2015.",
        "area": "",
        "website": "https://girasole.example.org/",
        "contact_name": "Maria Bianchi",
        "contact_email": "maria@girasole.example.org",
        "contact_phone": "0583 123456",
        "proposed_commitments": "Un pomeriggio di doposcuola gratuito a settimana.",
        "is_public": "on",
        "accept_pact": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_application(applicant, version, **fields):
    data = {
        "type": Organisation.Type.THIRD_SECTOR,
        "name": "Associazione Girasole",
        "description": "Doposcuola.",
        "area": None,
        "website": "",
        "contact_name": "Maria Bianchi",
        "contact_email": "maria@girasole.example.org",
        "contact_phone": "",
        "proposed_commitments": "Doposcuola gratuito.",
        "is_public": True,
    }
    data.update(fields)
    return services.application_submit(applicant=applicant, data=data, version=version)


def login(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])


# ------------------------------------------------------------------------------
# Every role on every URL
# ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_join_page_for_every_role(client, staff_people, version, role):
    login(client, staff_people, role)
    response = client.get("/rete/aderisci/")
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=/rete/aderisci/")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_application_page_is_for_its_applicant_only(
    client, staff_people, version, role
):
    application = make_application(staff_people["family"], version)
    login(client, staff_people, role)
    response = client.get(f"/rete/aderisci/{application.pk}/")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role == "family" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_application_list_for_every_role(client, staff_people, version, role):
    make_application(staff_people["family"], version)
    login(client, staff_people, role)
    response = client.get("/gestione/adesioni/")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in REVIEWERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_review_page_for_every_role(client, staff_people, version, role):
    application = make_application(staff_people["family"], version)
    login(client, staff_people, role)
    response = client.get(f"/gestione/adesioni/{application.pk}/")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in REVIEWERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_reviewers_can_approve(client, staff_people, version, role):
    application = make_application(staff_people["family"], version)
    login(client, staff_people, role)
    client.post(f"/gestione/adesioni/{application.pk}/", {"decision": "approve"})
    application.refresh_from_db()
    approved = application.status == JoinApplication.Status.APPROVED
    assert approved is (role in REVIEWERS)


@pytest.mark.parametrize("role", ROLES)
def test_only_its_applicant_can_amend(client, staff_people, version, role):
    application = make_application(staff_people["family"], version)
    services.application_request_changes(
        application=application,
        reviewer=staff_people["coordinator"],
        message="Aggiungete il sito.",
    )
    login(client, staff_people, role)
    client.post(
        f"/rete/aderisci/{application.pk}/", form_data(version, name="Cambiato")
    )
    application.refresh_from_db()
    assert (application.name == "Cambiato") is (role == "family")


def test_coordinator_without_mfa_is_sent_to_set_it_up(client, people, version):
    client.force_login(people["coordinator"])
    response = client.get("/gestione/adesioni/")
    assert response.status_code == 302
    assert "next=" in response["Location"]


# ------------------------------------------------------------------------------
# The applicant
# ------------------------------------------------------------------------------


def test_join_form_is_prefilled_and_shows_the_pact_in_force(client, people, version):
    user = people["family"]
    client.force_login(user)
    html = client.get("/rete/aderisci/").content.decode()
    assert f'value="{user.email}"' in html
    assert f'value="{user.display_name}"' in html
    assert "<details" in html
    for section in version.sections.all():
        assert section.title in html
    assert version.title in html


def test_joining_is_closed_without_a_pact_in_force(client, people):
    PactVersionFactory(status=PactVersion.Status.CONSULTATION)
    client.force_login(people["family"])
    response = client.get("/en/rete/aderisci/")
    html = response.content.decode()
    assert "Joining opens when a collaboration pact is in force" in html
    assert '<form method="post"' not in html


def test_pact_and_privacy_must_be_accepted(client, people, version):
    client.force_login(people["family"])
    response = client.post(
        "/en/rete/aderisci/", form_data(version, accept_pact=None, accept_privacy=None)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "To join the network, accept the collaboration pact." in html
    assert "confirm you read the privacy notice" in html
    assert "Doposcuola e laboratori" in html  # nothing typed is lost
    assert not JoinApplication.objects.exists()


def test_a_pact_that_changed_meanwhile_must_be_read_again(client, people, version):
    client.force_login(people["family"])
    version.status = PactVersion.Status.SUPERSEDED
    version.save()
    PactVersionFactory(in_force=True)
    # The form was filled in while ``version`` was in force.
    response = client.post("/en/rete/aderisci/", form_data(version))
    assert response.status_code == 200
    assert "read the new text and accept it again" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_submitting_records_the_versions_and_emails_the_coordinators(
    client, people, version, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://rete.example.org"
    settings.RETEFAMIGLIE = {**settings.RETEFAMIGLIE, "PRIVACY_NOTICE_VERSION": "v9"}
    area = AreaFactory(slug="centro", name="Centro")
    client.force_login(people["family"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/rete/aderisci/", form_data(version, area=area.pk))
    application = JoinApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rete/aderisci/{application.pk}/"
    assert application.applicant == people["family"]
    assert application.version == version
    assert application.privacy_version == "v9"
    assert application.area == area
    assert application.status == JoinApplication.Status.SUBMITTED
    assert [m.to for m in mailoutbox] == [[people["coordinator"].email]]
    assert "Associazione Girasole" in mailoutbox[0].subject
    assert (
        f"https://rete.example.org/gestione/adesioni/{application.pk}/"
        in mailoutbox[0].body
    )
    html = client.get(f"/rete/aderisci/{application.pk}/").content.decode()
    assert 'data-status="submitted"' in html
    # The join page links to the applications already sent.
    assert (
        f"/rete/aderisci/{application.pk}/"
        in client.get("/rete/aderisci/").content.decode()
    )


def test_an_organisation_is_always_public_a_citizen_may_not_be(people, version):
    group = make_application(people["family"], version, is_public=False)
    assert group.is_public is True
    citizen = make_application(
        people["family"], version, type=Organisation.Type.CITIZEN, is_public=False
    )
    assert citizen.is_public is False


# ------------------------------------------------------------------------------
# The whole journey
# ------------------------------------------------------------------------------


def test_changes_then_amend_then_approve_creates_member_admin_and_signature(
    client, staff_people, version, mailoutbox, django_capture_on_commit_callbacks
):
    family = staff_people["family"]
    coordinator = staff_people["coordinator"]
    OrganisationFactory(slug="associazione-girasole")  # the natural slug is taken
    client.force_login(family)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/rete/aderisci/", form_data(version))
    application = JoinApplication.objects.get()

    # The coordinator asks for changes; a message is required.
    client.force_login(coordinator)
    review_url = f"/en/gestione/adesioni/{application.pk}/"
    response = client.post(review_url, {"decision": "changes", "message": ""})
    assert "Tell the applicant what to change." in response.content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            review_url,
            {"decision": "changes", "message": "Indicate gli orari del doposcuola."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.CHANGES_REQUESTED
    assert application.reviewed_by == coordinator
    assert [m.to for m in mailoutbox] == [["maria@girasole.example.org"]]
    assert "Indicate gli orari del doposcuola." in mailoutbox[0].body
    assert f"/rete/aderisci/{application.pk}/" in mailoutbox[0].body

    # While the applicant is changing it, it cannot be reviewed.
    response = client.post(review_url, {"decision": "approve"})
    assert "already reviewed" in response.content.decode()

    # The applicant reads the message and amends the prefilled form.
    client.force_login(family)
    html = client.get(f"/rete/aderisci/{application.pk}/").content.decode()
    assert "Indicate gli orari del doposcuola." in html
    assert 'value="Associazione Girasole"' in html
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/rete/aderisci/{application.pk}/",
            form_data(
                version,
                proposed_commitments="Doposcuola il martedì, 15-18, gratuito.",
            ),
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.SUBMITTED
    assert application.proposed_commitments.startswith("Doposcuola il martedì")
    assert [m.to for m in mailoutbox] == [[coordinator.email]]

    # The coordinator approves.
    client.force_login(coordinator)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {"decision": "approve"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.APPROVED
    member = application.organisation
    assert member.name == "Associazione Girasole"
    assert member.slug == "associazione-girasole-2"
    assert member.status == Organisation.Status.ACTIVE
    assert member.email == "maria@girasole.example.org"
    assert member.is_public
    assert member.show_contacts
    staff = OrganisationStaff.objects.get(organisation=member)
    assert (staff.user, staff.role) == (family, OrganisationStaff.Role.ADMIN)
    signature = Signature.objects.get(organisation=member)
    assert signature.version == version
    assert signature.signed_by == family
    assert signature.signer_name == "Maria Bianchi"
    assert signature.signer_role
    assert [m.to for m in mailoutbox] == [["maria@girasole.example.org"]]
    assert "/rete/associazione-girasole-2/" in mailoutbox[0].body

    # It is now in the public directory, and cannot be reviewed again.
    assert "Associazione Girasole" in client.get("/rete/").content.decode()
    response = client.post(review_url, {"decision": "reject", "message": "No."})
    assert "already reviewed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.APPROVED
    assert Organisation.objects.filter(name="Associazione Girasole").count() == 1

    # The new admin manages the member.
    client.force_login(family)
    assert family.has_perm("network.change_organisation", member)


def test_approving_a_citizen_keeps_their_contacts_private(people, version):
    application = make_application(
        people["family"],
        version,
        type=Organisation.Type.CITIZEN,
        name="Giulia Verdi",
        is_public=False,
    )
    member = services.application_approve(
        application=application, reviewer=people["coordinator"]
    )
    assert member.type == Organisation.Type.CITIZEN
    assert member.is_public is False
    assert member.show_contacts is False


def test_reject_needs_a_reason_and_tells_the_applicant(
    client, staff_people, version, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(staff_people["family"], version)
    client.force_login(staff_people["coordinator"])
    url = f"/en/gestione/adesioni/{application.pk}/"
    response = client.post(url, {"decision": "reject", "message": "  "})
    assert "why the application is rejected" in response.content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "message": "Fuori dal territorio."})
    application.refresh_from_db()
    assert application.status == JoinApplication.Status.REJECTED
    assert application.coordinator_message == "Fuori dal territorio."
    assert application.organisation is None
    assert not Organisation.objects.filter(name=application.name).exists()
    assert [m.to for m in mailoutbox] == [["maria@girasole.example.org"]]
    assert "Fuori dal territorio." in mailoutbox[0].body
    # The applicant reads the reason and cannot amend a rejected application.
    client.force_login(staff_people["family"])
    html = client.get(f"/rete/aderisci/{application.pk}/").content.decode()
    assert "Fuori dal territorio." in html
    client.post(f"/rete/aderisci/{application.pk}/", form_data(version, name="X"))
    application.refresh_from_db()
    assert application.name == "Associazione Girasole"


def test_application_list_puts_waiting_ones_first(client, staff_people, version):
    family = staff_people["family"]
    decided = make_application(family, version, name="Già decisa")
    services.application_reject(
        application=decided, reviewer=staff_people["coordinator"], reason="No."
    )
    make_application(family, version, name="In attesa")
    client.force_login(staff_people["coordinator"])
    html = client.get("/gestione/adesioni/").content.decode()
    assert html.index("In attesa") < html.index("Già decisa")


def test_application_list_keeps_a_constant_number_of_queries(
    client, staff_people, version
):
    from retefamiglie.core.testing import assert_constant_queries

    client.force_login(staff_people["coordinator"])

    def make_rows(count):
        for index in range(count):
            make_application(
                staff_people["family"], version, area=AreaFactory(), name=f"A{index}"
            )

    assert_constant_queries(client, "/gestione/adesioni/", make_rows, n=3)

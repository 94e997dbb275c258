"""Public member directory and profile, staff invitations, leaving the network."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.core.testing import ROLES, assert_constant_queries
from retefamiglie.network.models import Organisation, OrganisationStaff, StaffInvitation
from retefamiglie.network.tests.factories import (
    AreaFactory,
    OrganisationFactory,
    StaffFactory,
)
from retefamiglie.pacts.tests.factories import (
    CommitmentFactory,
    PactVersionFactory,
    SignatureFactory,
)

pytestmark = pytest.mark.django_db

MFA_ROLES = ("coordinator", "municipal_officer", "superuser")


@pytest.fixture
def staff_people(people):
    for role in MFA_ROLES:
        Authenticator.objects.create(
            user=people[role], type=Authenticator.Type.TOTP, data={}
        )
    return people


def login(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])


def as_user(people, role):
    return people[role] or AnonymousUser()


# ------------------------------------------------------------------------------
# Directory
# ------------------------------------------------------------------------------


def test_directory_lists_public_active_members_only(client, organisation):
    hidden = OrganisationFactory(
        name="Cittadina riservata", type=Organisation.Type.CITIZEN, is_public=False
    )
    gone = OrganisationFactory(name="Associazione uscita", status="left")
    suspended = OrganisationFactory(name="Associazione sospesa", status="suspended")
    html = client.get("/rete/").content.decode()
    assert organisation.name in html
    assert organisation.get_absolute_url() in html
    for other in (hidden, gone, suspended):
        assert other.name not in html


def test_directory_filters_by_type_and_area_without_javascript(client):
    centre = AreaFactory(name="Centro storico", slug="centro")
    school = OrganisationFactory(
        name="Scuola Carducci", type=Organisation.Type.SCHOOL, area=centre
    )
    far_school = OrganisationFactory(name="Scuola Pascoli", type="school")
    association = OrganisationFactory(name="Associazione Girasole", area=centre)

    html = client.get("/rete/", {"type": "school"}).content.decode()
    assert school.name in html
    assert far_school.name in html
    assert association.name not in html

    html = client.get("/rete/", {"type": "school", "area": "centro"}).content.decode()
    assert school.name in html
    assert far_school.name not in html
    assert association.name not in html
    # The form is a plain GET form that keeps the chosen values.
    assert 'method="get"' in html
    assert re.search(r'<option value="centro" selected>', html)


def test_directory_ignores_an_unknown_filter_value(client, organisation):
    response = client.get("/rete/", {"area": "nowhere", "type": "martian"})
    assert response.status_code == 200
    assert organisation.name in response.content.decode()


def test_directory_pages_by_24_and_keeps_filters_in_page_links(client):
    OrganisationFactory.create_batch(30, type=Organisation.Type.BUSINESS)
    html = client.get("/rete/", {"type": "business"}).content.decode()
    assert html.count('class="card-title') == 24
    assert "type=business&amp;page=2" in html
    html = client.get("/rete/", {"type": "business", "page": 2}).content.decode()
    assert html.count('class="card-title') == 6


def test_directory_htmx_request_gets_only_the_results(client, organisation):
    response = client.get("/rete/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert organisation.name in html
    assert "<html" not in html


def test_directory_keeps_a_constant_number_of_queries(client):
    def make_rows(count):
        OrganisationFactory.create_batch(count)

    assert_constant_queries(client, "/rete/", make_rows, n=4)


def test_directory_is_in_the_main_navigation_and_footer(client):
    html = client.get("/").content.decode()
    assert html.count('href="/rete/"') >= 2


# ------------------------------------------------------------------------------
# Member profile
# ------------------------------------------------------------------------------


def test_profile_shows_who_they_are_signature_and_commitments(client, organisation):
    organisation.description = "Sport per tutti i bambini."
    organisation.email = "info@panathlon.example.org"
    organisation.save()
    signature = SignatureFactory(organisation=organisation)
    CommitmentFactory(
        organisation=organisation, version=signature.version, title="Calcio al parco"
    )
    html = client.get("/rete/panathlon/").content.decode()
    assert "Sport per tutti i bambini." in html
    assert "info@panathlon.example.org" in html
    assert signature.version.title in html
    assert "Calcio al parco" in html
    assert "Zona" in html  # the area


def test_profile_hides_contacts_when_the_member_chose_so(client, organisation):
    organisation.email = "info@panathlon.example.org"
    organisation.show_contacts = False
    organisation.save()
    html = client.get("/rete/panathlon/").content.decode()
    assert "info@panathlon.example.org" not in html


def test_profile_keeps_a_constant_number_of_queries(client, organisation):
    def make_rows(count):
        for _ in range(count):
            version = PactVersionFactory(status="superseded", sections=False)
            SignatureFactory(organisation=organisation, version=version)
            CommitmentFactory(organisation=organisation, version=version)

    assert_constant_queries(client, "/rete/panathlon/", make_rows, n=2)


@pytest.mark.parametrize("status", ["suspended"])
def test_profile_of_a_suspended_member_is_not_found(client, organisation, status):
    organisation.status = status
    organisation.save()
    assert client.get("/rete/panathlon/").status_code == 404


def test_profile_of_a_non_public_citizen_is_not_found(client):
    OrganisationFactory(slug="giulia", type="citizen", is_public=False)
    assert client.get("/rete/giulia/").status_code == 404


def test_profile_of_a_member_that_left_says_so_without_contacts(
    client, organisation, people
):
    from retefamiglie.network.services import organisation_leave

    organisation.email = "info@panathlon.example.org"
    organisation.save()
    organisation_leave(
        organisation=organisation, reason="Chiudiamo", actor=people["org_admin"]
    )
    response = client.get("/en/rete/panathlon/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This member left the network on" in html
    assert "info@panathlon.example.org" not in html
    assert "Chiudiamo" not in html  # the reason is for the coordinators only


# ------------------------------------------------------------------------------
# Staff and invitations
# ------------------------------------------------------------------------------

MANAGE_STAFF = {
    "anonymous": False,
    "family": False,
    "other_org_staff": False,
    "org_editor": False,
    "org_admin": True,
    "coordinator": True,
    "municipal_officer": False,
    "superuser": True,
}
# Django's ModelBackend grants every permission to an active superuser.
LEAVE = {**dict.fromkeys(ROLES, False), "org_admin": True, "superuser": True}


@pytest.mark.parametrize("role", ROLES)
def test_manage_staff_permission(people, organisation, role):
    assert (
        as_user(people, role).has_perm("network.manage_staff", organisation)
        is MANAGE_STAFF[role]
    )


@pytest.mark.parametrize("role", ROLES)
def test_leave_permission(people, organisation, role):
    assert (
        as_user(people, role).has_perm("network.leave_network", organisation)
        is LEAVE[role]
    )


@pytest.mark.parametrize("role", ROLES)
def test_nobody_may_leave_twice(people, organisation, role):
    organisation.status = Organisation.Status.LEFT
    organisation.save()
    allowed = as_user(people, role).has_perm("network.leave_network", organisation)
    assert allowed is (role == "superuser")


@pytest.mark.parametrize("role", ROLES)
def test_staff_page_for_every_role(client, staff_people, organisation, role):
    login(client, staff_people, role)
    response = client.get("/gestione/organizzazioni/panathlon/staff/")
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    else:
        assert response.status_code == (200 if MANAGE_STAFF[role] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_invite_for_every_role(client, staff_people, organisation, role):
    login(client, staff_people, role)
    response = client.post(
        "/gestione/organizzazioni/panathlon/staff/",
        {"email": "collega@example.org", "role": "editor"},
    )
    invited = StaffInvitation.objects.filter(email="collega@example.org").exists()
    assert invited is MANAGE_STAFF[role]
    if role == "anonymous":
        assert response.status_code == 302
    elif not MANAGE_STAFF[role]:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_remove_staff_for_every_role(client, staff_people, organisation, role):
    login(client, staff_people, role)
    editor = OrganisationStaff.objects.get(user=staff_people["org_editor"])
    client.post(f"/gestione/organizzazioni/panathlon/staff/{editor.pk}/rimuovi/")
    removed = not OrganisationStaff.objects.filter(pk=editor.pk).exists()
    assert removed is MANAGE_STAFF[role]


@pytest.mark.parametrize("role", ROLES)
def test_leave_page_for_every_role(client, staff_people, organisation, role):
    login(client, staff_people, role)
    response = client.get("/gestione/organizzazioni/panathlon/lascia/")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if LEAVE[role] else 403)


def test_staff_page_lists_staff_and_pending_invitations(client, people, organisation):
    client.force_login(people["org_admin"])
    client.post(
        "/gestione/organizzazioni/panathlon/staff/",
        {"email": "Collega@Example.org", "role": "admin"},
    )
    html = client.get("/gestione/organizzazioni/panathlon/staff/").content.decode()
    assert people["org_editor"].email in html
    assert people["org_admin"].email in html
    assert "collega@example.org" in html
    assert people["other_org_staff"].email not in html


def test_invitation_sends_an_email_with_an_absolute_link(
    client,
    people,
    organisation,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://rete.example.org"
    client.force_login(people["org_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/gestione/organizzazioni/panathlon/staff/",
            {"email": "collega@example.org", "role": "editor"},
        )
    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    assert len(invitation.token) >= 40
    assert invitation.invited_by == people["org_admin"]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["collega@example.org"]
    assert organisation.name in message.subject
    assert f"https://rete.example.org/rete/invito/{invitation.token}/" in message.body


def test_inviting_someone_already_on_staff_is_refused(client, people, organisation):
    client.force_login(people["org_admin"])
    response = client.post(
        "/en/gestione/organizzazioni/panathlon/staff/",
        {"email": people["org_editor"].email.upper(), "role": "editor"},
    )
    assert response.status_code == 200
    assert "already works for the organisation" in response.content.decode()
    assert not StaffInvitation.objects.exists()


def test_a_new_invitation_replaces_the_pending_one(client, people, organisation):
    client.force_login(people["org_admin"])
    url = "/gestione/organizzazioni/panathlon/staff/"
    client.post(url, {"email": "collega@example.org", "role": "editor"})
    first = StaffInvitation.objects.get().token
    client.post(url, {"email": "collega@example.org", "role": "admin"})
    invitation = StaffInvitation.objects.get()
    assert invitation.token != first
    assert invitation.role == "admin"


def _invite(organisation, people, email="collega@example.org", role="editor"):
    from retefamiglie.network.services import staff_invite

    return staff_invite(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=people["org_admin"],
    )


def test_accepting_an_invitation_makes_the_person_staff(client, people, organisation):
    invitation = _invite(organisation, people, email="collega@example.org")
    colleague = UserFactory(email="Collega@example.org")
    client.force_login(colleague)
    url = f"/rete/invito/{invitation.token}/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    staff = OrganisationStaff.objects.get(user=colleague)
    assert staff.organisation == organisation
    assert staff.role == OrganisationStaff.Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague
    assert invitation.accepted_at is not None
    # A used link is gone.
    assert client.get(url).status_code == 404


def test_invitation_for_another_address_is_explained_and_not_accepted(
    client, people, organisation
):
    invitation = _invite(organisation, people)
    client.force_login(people["family"])
    url = f"/rete/invito/{invitation.token}/"
    response = client.get(f"/en{url}")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This invitation was sent to another e-mail address" in html
    client.post(url)
    assert not OrganisationStaff.objects.filter(user=people["family"]).exists()


def test_invitation_needs_login(client, people, organisation):
    invitation = _invite(organisation, people)
    response = client.get(f"/rete/invito/{invitation.token}/")
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_unknown_invitation_is_not_found(client, people):
    client.force_login(people["family"])
    assert client.get("/rete/invito/nonesiste/").status_code == 404


def test_an_admin_accepting_an_editor_invitation_stays_admin(
    client, people, organisation
):
    admin = people["org_admin"]
    invitation = _invite(organisation, people, email="other@example.org")
    StaffInvitation.objects.filter(pk=invitation.pk).update(email=admin.email)
    client.force_login(admin)
    client.post(f"/rete/invito/{invitation.token}/")
    assert OrganisationStaff.objects.get(user=admin).role == "admin"


def test_withdrawn_invitation_no_longer_works(client, people, organisation):
    invitation = _invite(organisation, people)
    client.force_login(people["org_admin"])
    client.post(f"/gestione/organizzazioni/panathlon/inviti/{invitation.pk}/ritira/")
    assert not StaffInvitation.objects.exists()


def test_the_last_admin_cannot_be_removed(client, people, organisation):
    client.force_login(people["org_admin"])
    admin = OrganisationStaff.objects.get(user=people["org_admin"])
    response = client.post(
        f"/en/gestione/organizzazioni/panathlon/staff/{admin.pk}/rimuovi/", follow=True
    )
    assert OrganisationStaff.objects.filter(pk=admin.pk).exists()
    assert "The last administrator cannot be removed" in response.content.decode()


def test_an_admin_can_be_removed_when_another_remains(client, people, organisation):
    second = StaffFactory(organisation=organisation, role="admin")
    client.force_login(people["org_admin"])
    response = client.post(
        f"/gestione/organizzazioni/panathlon/staff/{second.pk}/rimuovi/"
    )
    assert response.status_code == 302
    assert not OrganisationStaff.objects.filter(pk=second.pk).exists()


def test_staff_of_another_organisation_cannot_be_removed_through_this_one(
    client, people, organisation
):
    other = OrganisationStaff.objects.get(user=people["other_org_staff"])
    client.force_login(people["org_admin"])
    response = client.post(
        f"/gestione/organizzazioni/panathlon/staff/{other.pk}/rimuovi/"
    )
    assert response.status_code == 404
    assert OrganisationStaff.objects.filter(pk=other.pk).exists()


# ------------------------------------------------------------------------------
# Leaving the network
# ------------------------------------------------------------------------------


def test_leaving_needs_a_reason_and_a_confirmation(client, people, organisation):
    client.force_login(people["org_admin"])
    response = client.post("/gestione/organizzazioni/panathlon/lascia/", {})
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ACTIVE


def test_leaving_the_network(
    client, people, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    signature = SignatureFactory(organisation=organisation)
    client.force_login(people["org_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/gestione/organizzazioni/panathlon/lascia/",
            {"reason": "Non abbiamo più volontari.", "confirm": "on"},
        )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.LEFT
    assert organisation.left_at is not None
    assert organisation.left_reason == "Non abbiamo più volontari."
    # The signature stays on record.
    assert organisation.signatures.get() == signature
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == sorted([coordinator.email, people["coordinator"].email])
    assert "Non abbiamo più volontari." in mailoutbox[0].body
    # It is no longer in the directory, nor can it leave again.
    assert 'href="/rete/panathlon/"' not in client.get("/rete/").content.decode()
    assert client.get("/gestione/organizzazioni/panathlon/lascia/").status_code == 403


def test_staff_home_offers_staff_and_leave_links_to_admins_only(
    client, people, organisation
):
    client.force_login(people["org_admin"])
    html = client.get("/gestione/").content.decode()
    assert "/gestione/organizzazioni/panathlon/staff/" in html
    assert "/gestione/organizzazioni/panathlon/lascia/" in html
    client.force_login(people["org_editor"])
    html = client.get("/gestione/").content.decode()
    assert "/staff/" not in html
    assert "/lascia/" not in html

"""The pact's versions: state machine, signing, consultation, diff, PDF, pages."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from retefamiglie.core.testing import ROLES, assert_constant_queries
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import OrganisationFactory, StaffFactory
from retefamiglie.pacts import selectors
from retefamiglie.pacts.models import (
    PactSection,
    PactVersion,
    SectionComment,
    SectionKind,
    Signature,
)
from retefamiglie.pacts.services import versions as services
from retefamiglie.pacts.tests.factories import (
    PactVersionFactory,
    SectionCommentFactory,
    SignatureFactory,
)
from retefamiglie.pacts.views.versions import diff_versions, diff_words


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English interface: messages and pages under /en/."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
Status = PactVersion.Status


def _login(client, people, role):
    user = people[role]
    if user is not None:
        if user.requires_mfa:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={}
            )
        client.force_login(user)
    return user


def _actor(people, role):
    return people[role] or AnonymousUser()


def _section(version, kind=SectionKind.ACTIONS) -> PactSection:
    return version.sections.get(kind=kind)


# ------------------------------------------------------------------------------
# State machine
# ------------------------------------------------------------------------------

LEGAL = [
    (Status.DRAFT, Status.CONSULTATION, "coordinator"),
    (Status.CONSULTATION, Status.DRAFT, "coordinator"),
    (Status.CONSULTATION, Status.APPROVED, "municipal_officer"),
    (Status.APPROVED, Status.IN_FORCE, "coordinator"),
    (Status.APPROVED, Status.IN_FORCE, "municipal_officer"),
    (Status.IN_FORCE, Status.EXPIRED, "coordinator"),
]
LEGAL_STEPS = {(source, target) for source, target, _role in LEGAL}
ILLEGAL = [
    (source, target)
    for source in Status.values
    for target in Status.values
    if (source, target) not in LEGAL_STEPS
]
# Who may take each legal step; everyone else is refused.
ALLOWED = {
    (Status.DRAFT, Status.CONSULTATION): {"coordinator", "superuser"},
    (Status.CONSULTATION, Status.DRAFT): {"coordinator", "superuser"},
    (Status.CONSULTATION, Status.APPROVED): {"municipal_officer"},
    (Status.APPROVED, Status.IN_FORCE): {
        "coordinator",
        "superuser",
        "municipal_officer",
    },
    (Status.IN_FORCE, Status.EXPIRED): {"coordinator", "superuser"},
}


@pytest.mark.parametrize(("source", "target", "role"), LEGAL)
def test_legal_transitions(people, source, target, role):
    """Each legal step moves the version, taken by a role allowed to."""
    version = PactVersionFactory(status=source)
    services.version_transition(version=version, to=target, actor=people[role])
    version.refresh_from_db()
    assert version.status == target


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_transitions_are_refused(people, source, target):
    """Every other step is refused with a translated message, even to a superuser."""
    version = PactVersionFactory(status=source)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.version_transition(
            version=version, to=target, actor=people["superuser"]
        )
    version.refresh_from_db()
    assert version.status == source


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_who_may_take_each_step(people, role, source, target):
    """Only the roles of a step take it; only a municipal officer approves."""
    version = PactVersionFactory(status=source)
    actor = _actor(people, role)
    if role in ALLOWED[(source, target)]:
        services.version_transition(version=version, to=target, actor=actor)
        version.refresh_from_db()
        assert version.status == target
    else:
        with pytest.raises(PermissionDenied):
            services.version_transition(version=version, to=target, actor=actor)
        version.refresh_from_db()
        assert version.status == source


def test_approval_records_the_officer(people):
    officer = people["municipal_officer"]
    version = PactVersionFactory(consultation=True)
    services.version_transition(version=version, to=Status.APPROVED, actor=officer)
    version.refresh_from_db()
    assert version.approved_by == officer
    assert version.approved_at is not None


def test_new_version_in_force_supersedes_the_old_one_and_asks_to_sign(
    people, organisation, django_capture_on_commit_callbacks
):
    """One version in force at a time; admins of active members are e-mailed."""
    old = PactVersionFactory(in_force=True)
    new = PactVersionFactory(status=Status.APPROVED)
    suspended = OrganisationFactory(status=Organisation.Status.SUSPENDED)
    StaffFactory(organisation=suspended, user__email="sospesa@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.version_transition(
            version=new, to=Status.IN_FORCE, actor=people["coordinator"]
        )
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert new.status == Status.IN_FORCE
    assert new.in_force_at is not None
    assert PactVersion.objects.filter(status=Status.IN_FORCE).count() == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [people["org_admin"].email, people["other_org_staff"].email]
    )
    assert f"Firma la versione {new.number}" in mail.outbox[0].subject
    assert reverse("pacts:current") in mail.outbox[0].body


def test_going_in_force_needs_a_start_date(people):
    version = PactVersionFactory(status=Status.APPROVED, valid_from=None)
    with pytest.raises(ValidationError, match="valid from"):
        services.version_transition(
            version=version, to=Status.IN_FORCE, actor=people["coordinator"]
        )


def test_consultation_needs_every_section_written(people):
    version = services.version_create(actor=people["coordinator"])
    with pytest.raises(ValidationError, match="Write every section"):
        services.version_transition(
            version=version, to=Status.CONSULTATION, actor=people["coordinator"]
        )


def test_consultation_until_is_set_when_opening(people):
    version = PactVersionFactory()
    until = datetime.date(2026, 3, 31)
    services.version_transition(
        version=version,
        to=Status.CONSULTATION,
        actor=people["coordinator"],
        consultation_until=until,
    )
    version.refresh_from_db()
    assert version.consultation_until == until


# ------------------------------------------------------------------------------
# Transitions through the staff pages
# ------------------------------------------------------------------------------

APPROVE_STATUS = {
    "anonymous": 302,
    "family": 403,
    "other_org_staff": 403,
    "org_editor": 403,
    "org_admin": 403,
    "coordinator": 403,
    "municipal_officer": 302,
    "superuser": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_a_municipal_officer_approves_through_the_page(client, people, role):
    version = PactVersionFactory(consultation=True)
    _login(client, people, role)
    response = client.post(
        reverse("pacts:version_transition", kwargs={"number": version.number}),
        {"to": Status.APPROVED},
    )
    assert response.status_code == APPROVE_STATUS[role]
    version.refresh_from_db()
    expected = Status.APPROVED if role == "municipal_officer" else Status.CONSULTATION
    assert version.status == expected


def test_officer_sees_the_approve_button_on_the_version_page(client, people):
    version = PactVersionFactory(consultation=True)
    _login(client, people, "municipal_officer")
    response = client.get(version.get_absolute_url())
    assert response.status_code == 200
    assert b'value="approved"' in response.content
    _login(client, people, "coordinator")
    response = client.get(version.get_absolute_url())
    assert b'value="approved"' not in response.content
    assert b'value="draft"' in response.content


def test_illegal_step_through_the_page_shows_a_message(client, people):
    version = PactVersionFactory()
    _login(client, people, "coordinator")
    response = client.post(
        reverse("pacts:version_transition", kwargs={"number": version.number}),
        {"to": Status.IN_FORCE},
        follow=True,
    )
    assert "cannot go from" in response.content.decode()
    version.refresh_from_db()
    assert version.status == Status.DRAFT


MANAGE_STATUS = {
    "anonymous": 302,
    "family": 403,
    "other_org_staff": 403,
    "org_editor": 403,
    "org_admin": 403,
    "coordinator": 200,
    "municipal_officer": 403,
    "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_manage_page_is_for_coordinators(client, people, role):
    PactVersionFactory(in_force=True)
    _login(client, people, role)
    response = client.get(reverse("pacts:manage_versions"))
    assert response.status_code == MANAGE_STATUS[role]


def test_manage_page_asks_for_mfa(client, people):
    client.force_login(people["coordinator"])
    response = client.get(reverse("pacts:manage_versions"))
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response.url


def test_create_copies_the_version_in_force(client, people):
    current = PactVersionFactory(in_force=True)
    PactSection.objects.filter(version=current, kind=SectionKind.ACTIONS).update(
        body="Azioni del patto in vigore."
    )
    _login(client, people, "coordinator")
    response = client.post(reverse("pacts:version_create"))
    draft = PactVersion.objects.get(number=current.number + 1)
    assert response.url == reverse(
        "pacts:version_edit", kwargs={"number": draft.number}
    )
    assert draft.status == Status.DRAFT
    assert draft.sections.count() == len(SectionKind)
    assert _section(draft).body == "Azioni del patto in vigore."


def test_create_without_a_version_in_force_has_every_section_empty(people):
    draft = services.version_create(actor=people["coordinator"])
    assert draft.number == 1
    assert sorted(draft.sections.values_list("kind", flat=True)) == sorted(
        SectionKind.values
    )
    assert set(draft.sections.values_list("body", flat=True)) == {""}


def _edit_data(version, **changes):
    data = {
        "title": version.title,
        "summary": "Cambia il capitolo delle azioni.",
        "valid_from": "2027-01-01",
        "valid_until": "2029-12-31",
        "consultation_until": "",
    }
    for section in version.sections.all():
        data[f"section_{section.kind}"] = section.body
    data.update(changes)
    return data


def test_edit_saves_sections_and_history_records_who(client, people):
    """The history of a section says who changed it."""
    version = PactVersionFactory()
    coordinator = _login(client, people, "coordinator")
    response = client.post(
        reverse("pacts:version_edit", kwargs={"number": version.number}),
        _edit_data(version, section_actions="Nuove azioni per le famiglie."),
    )
    assert response.status_code == 302
    section = _section(version)
    section.refresh_from_db()
    assert section.body == "Nuove azioni per le famiglie."
    assert section.history.first().history_user == coordinator
    # Unchanged sections gain no history.
    assert _section(version, SectionKind.PARTIES).history.count() == 0
    version.refresh_from_db()
    assert version.valid_from == datetime.date(2027, 1, 1)


def test_service_edit_records_the_actor_without_a_request(people):
    version = PactVersionFactory()
    coordinator = people["coordinator"]
    services.version_update(
        version=version,
        actor=coordinator,
        title=version.title,
        summary="",
        valid_from=None,
        valid_until=None,
        consultation_until=None,
        sections={SectionKind.DISPUTES: "Le controversie si risolvono insieme."},
    )
    section = _section(version, SectionKind.DISPUTES)
    assert section.history.first().history_user == coordinator


@pytest.mark.parametrize(
    "status", [Status.APPROVED, Status.IN_FORCE, Status.SUPERSEDED, Status.EXPIRED]
)
def test_only_drafts_and_consultations_are_edited(client, people, status):
    version = PactVersionFactory(status=status)
    _login(client, people, "superuser")
    url = reverse("pacts:version_edit", kwargs={"number": version.number})
    assert client.get(url).status_code == 403
    with pytest.raises(ValidationError):
        services.version_update(
            version=version,
            actor=people["coordinator"],
            title="Altro",
            summary="",
            valid_from=None,
            valid_until=None,
            consultation_until=None,
            sections={},
        )


# ------------------------------------------------------------------------------
# Signing
# ------------------------------------------------------------------------------

SIGN_STATUS = {
    "anonymous": 302,
    "family": 403,
    "other_org_staff": 302,  # admin of another member: may not sign for this one
    "org_editor": 403,
    "org_admin": 302,
    "coordinator": 403,
    "municipal_officer": 403,
    "superuser": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_an_admin_of_the_member_signs(client, people, organisation, role):
    version = PactVersionFactory(in_force=True)
    _login(client, people, role)
    response = client.post(
        reverse("pacts:sign", kwargs={"number": version.number}),
        {"sign-organisation": organisation.pk, "sign-signer_role": "presidente"},
    )
    assert response.status_code == SIGN_STATUS[role]
    signed = Signature.objects.filter(version=version, organisation=organisation)
    assert signed.exists() == (role == "org_admin")
    if role == "org_admin":
        signature = signed.get()
        assert signature.signer_role == "presidente"
        assert signature.signer_name == people["org_admin"].display_name
        assert signature.signed_by == people["org_admin"]


def test_signing_twice_is_refused(client, people, organisation):
    version = PactVersionFactory(in_force=True)
    admin = people["org_admin"]
    services.version_sign(
        version=version, organisation=organisation, user=admin, signer_role="x"
    )
    with pytest.raises(ValidationError, match="already signed"):
        services.version_sign(
            version=version, organisation=organisation, user=admin, signer_role="x"
        )
    _login(client, people, "org_admin")
    response = client.post(
        reverse("pacts:sign", kwargs={"number": version.number}),
        {"sign-organisation": organisation.pk, "sign-signer_role": "presidente"},
        follow=True,
    )
    assert "already signed" in response.content.decode()
    assert Signature.objects.filter(version=version).count() == 1


def test_a_suspended_member_cannot_sign(client, people, organisation):
    version = PactVersionFactory(in_force=True)
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save()
    with pytest.raises(ValidationError, match="active member"):
        services.version_sign(
            version=version,
            organisation=organisation,
            user=people["org_admin"],
            signer_role="presidente",
        )
    _login(client, people, "org_admin")
    response = client.post(
        reverse("pacts:sign", kwargs={"number": version.number}),
        {"sign-organisation": organisation.pk, "sign-signer_role": "presidente"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.IN_FORCE])
def test_only_the_version_in_force_is_signed(people, organisation, status):
    version = PactVersionFactory(status=status)
    with pytest.raises(ValidationError, match="in force"):
        services.version_sign(
            version=version,
            organisation=organisation,
            user=people["org_admin"],
            signer_role="presidente",
        )


def test_members_to_resign(people, organisation):
    """An admin's active members that have not signed the version in force."""
    admin = people["org_admin"]
    assert list(selectors.members_to_resign(admin)) == []  # nothing in force
    first = PactVersionFactory(in_force=True)
    SignatureFactory(version=first, organisation=organisation, signed_by=admin)
    assert list(selectors.members_to_resign(admin)) == []
    second = PactVersionFactory(status=Status.APPROVED)
    services.version_transition(
        version=second, to=Status.IN_FORCE, actor=people["coordinator"]
    )
    [member] = selectors.members_to_resign(admin)
    assert member == organisation
    assert member.last_signed_number == first.number
    # Editors, families and suspended members are not asked.
    assert list(selectors.members_to_resign(people["org_editor"])) == []
    assert list(selectors.members_to_resign(people["family"])) == []
    assert list(selectors.members_to_resign(AnonymousUser())) == []
    services.version_sign(
        version=second, organisation=organisation, user=admin, signer_role="x"
    )
    assert list(selectors.members_to_resign(admin)) == []


def test_suspended_members_are_not_asked_to_resign(people, organisation):
    PactVersionFactory(in_force=True)
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save()
    assert list(selectors.members_to_resign(people["org_admin"])) == []


def test_banner_on_the_pact_page(client, people, organisation):
    first = PactVersionFactory(in_force=True)
    SignatureFactory(version=first, organisation=organisation)
    first.status = Status.SUPERSEDED
    first.save()
    second = PactVersionFactory(in_force=True)
    _login(client, people, "org_admin")
    content = client.get(reverse("pacts:current")).content.decode()
    assert (
        f"{organisation.name} signed version {first.number}: sign version "
        f"{second.number} now."
    ) in content
    assert reverse("pacts:sign", kwargs={"number": second.number}) in content
    _login(client, people, "org_editor")
    content = client.get(reverse("pacts:current")).content.decode()
    assert "now." not in content


# ------------------------------------------------------------------------------
# Consultation: comments and answers
# ------------------------------------------------------------------------------

COMMENT_ALLOWED = {"other_org_staff", "org_editor", "org_admin", "coordinator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_comments_in_consultation(client, people, role):
    version = PactVersionFactory(consultation=True)
    section = _section(version)
    _login(client, people, role)
    response = client.post(
        reverse(
            "pacts:comment",
            kwargs={"number": version.number, "section_id": section.pk},
        ),
        {f"comment-{section.pk}-body": "Aggiungere il doposcuola del sabato."},
    )
    created = SectionComment.objects.filter(section=section).exists()
    # Superusers also manage the network (rules.is_manager).
    if role in COMMENT_ALLOWED or role == "superuser":
        assert response.status_code == 302, response.content
        assert created
    else:
        assert response.status_code in (302, 403)
        assert not created
        if role != "anonymous":
            assert response.status_code == 403


def test_staff_comment_on_behalf_of_their_member(client, people, organisation):
    version = PactVersionFactory(consultation=True)
    section = _section(version)
    _login(client, people, "org_editor")
    client.post(
        reverse(
            "pacts:comment",
            kwargs={"number": version.number, "section_id": section.pk},
        ),
        {
            f"comment-{section.pk}-body": "Proposta.",
            f"comment-{section.pk}-organisation": organisation.pk,
        },
    )
    comment = SectionComment.objects.get()
    assert comment.organisation == organisation
    assert comment.author == people["org_editor"]
    content = client.get(version.get_absolute_url()).content.decode()
    assert "Proposta." in content


@pytest.mark.parametrize(
    "status", [s for s in Status.values if s != Status.CONSULTATION]
)
def test_comments_only_in_consultation(client, people, status):
    version = PactVersionFactory(status=status)
    section = _section(version)
    with pytest.raises(ValidationError, match="consultation"):
        services.comment_add(section=section, author=people["org_editor"], body="x")
    _login(client, people, "coordinator")
    response = client.post(
        reverse(
            "pacts:comment",
            kwargs={"number": version.number, "section_id": section.pk},
        ),
        {f"comment-{section.pk}-body": "Commento."},
    )
    assert response.status_code == 403
    assert not SectionComment.objects.exists()


ANSWER_ALLOWED = {"coordinator", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_coordinators_answer_comments(client, people, role):
    version = PactVersionFactory(consultation=True)
    comment = SectionCommentFactory(section=_section(version))
    user = _login(client, people, role)
    response = client.post(
        reverse("pacts:comment_answer", kwargs={"comment_id": comment.pk}),
        {f"answer-{comment.pk}-answer": "Grazie, lo inseriamo."},
    )
    comment.refresh_from_db()
    if role in ANSWER_ALLOWED:
        assert response.status_code == 302
        assert comment.answer == "Grazie, lo inseriamo."
        assert comment.answered_by == user
        assert comment.answered_at is not None
        page = client.get(version.get_absolute_url()).content.decode()
        assert "Grazie, lo inseriamo." in page
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert comment.answer == ""


# ------------------------------------------------------------------------------
# Reading: pact page, list, detail, print, PDF, diff
# ------------------------------------------------------------------------------


def test_pact_page_without_a_version_in_force(client):
    response = client.get(reverse("pacts:current"))
    assert response.status_code == 200
    assert "No version of the pact is in force" in response.content.decode()


def test_pact_page_shows_sections_and_signatories(client):
    version = PactVersionFactory(in_force=True)
    public = OrganisationFactory(name="Biblioteca Agorà")
    citizen = OrganisationFactory(
        name="Maria Bianchi", type=Organisation.Type.CITIZEN, is_public=False
    )
    SignatureFactory(version=version, organisation=public)
    SignatureFactory(version=version, organisation=citizen)
    content = client.get(reverse("pacts:current")).content.decode()
    for kind in SectionKind:
        assert str(kind.label) in content
    assert f'href="{public.get_absolute_url()}"' in content
    assert "Maria Bianchi" not in content
    assert citizen.get_absolute_url() not in content
    assert "An active citizen" in content
    assert reverse("pacts:version_pdf", kwargs={"number": version.number}) in content
    assert reverse("pacts:version_print", kwargs={"number": version.number}) in content
    # Sections come in the order of the regulation.
    positions = [content.index(str(kind.label)) for kind in SectionKind]
    assert positions == sorted(positions)


def test_print_page(client):
    version = PactVersionFactory(in_force=True)
    SignatureFactory(version=version)
    response = client.get(
        reverse("pacts:version_print", kwargs={"number": version.number})
    )
    assert response.status_code == 200
    assert "Signatories" in response.content.decode()
    assert "style=" not in response.content.decode()


def test_pdf(client):
    version = PactVersionFactory(in_force=True)
    SignatureFactory(version=version)
    response = client.get(
        reverse("pacts:version_pdf", kwargs={"number": version.number})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("anonymous", False),
        ("family", False),
        ("org_admin", False),
        ("municipal_officer", False),
        ("coordinator", True),
        ("superuser", True),
    ],
)
def test_drafts_only_for_managers(client, people, role, sees_draft):
    PactVersionFactory(in_force=True, title="Patto in vigore")
    draft = PactVersionFactory(title="Bozza riservata")
    _login(client, people, role)
    content = client.get(reverse("pacts:versions")).content.decode()
    assert "Patto in vigore" in content
    assert ("Bozza riservata" in content) == sees_draft
    response = client.get(draft.get_absolute_url())
    assert response.status_code == (200 if sees_draft else 404)


def test_diff_marks_insertions_and_deletions(client):
    old = PactVersionFactory(status=Status.SUPERSEDED)
    new = PactVersionFactory(in_force=True)
    PactSection.objects.filter(version=old, kind=SectionKind.ACTIONS).update(
        body="Laboratori di lettura il sabato mattina."
    )
    PactSection.objects.filter(version=new, kind=SectionKind.ACTIONS).update(
        body="Laboratori di lettura e di gioco il sabato pomeriggio."
    )
    PactSection.objects.filter(version=new, kind=SectionKind.DISPUTES).delete()
    response = client.get(
        reverse("pacts:version_diff", kwargs={"number": new.number}),
        {"con": old.number},
    )
    assert response.status_code == 200
    content = response.content.decode()
    removed = '<span class="visually-hidden">[removed: </span>'
    added = '<span class="visually-hidden">[added: </span>'
    assert f'<del class="pact-diff-del">{removed}mattina.' in content
    assert f'<ins class="pact-diff-ins">{added}pomeriggio.' in content
    assert f"{added}e di gioco" in content
    assert "section removed" in content
    # Without ``con``, the previous version is the default.
    response = client.get(reverse("pacts:version_diff", kwargs={"number": new.number}))
    assert "<del" in response.content.decode()


def test_diff_words():
    changes = diff_words("uno due tre", "uno quattro tre")
    assert [(c.op, c.text) for c in changes] == [
        ("equal", "uno "),
        ("delete", "due"),
        ("insert", "quattro"),
        ("equal", " tre"),
    ]


# ------------------------------------------------------------------------------
# Query counts
# ------------------------------------------------------------------------------


def test_version_list_keeps_a_constant_number_of_queries(client):
    def make_rows(n):
        for _index in range(n):
            PactVersionFactory(status=Status.EXPIRED, sections=False)

    assert_constant_queries(client, reverse("pacts:versions"), make_rows)


def test_pact_page_signatories_keep_a_constant_number_of_queries(client, people):
    version = PactVersionFactory(in_force=True)
    _login(client, people, "org_admin")

    def make_rows(n):
        for index in range(n):
            SignatureFactory(
                version=version,
                organisation=OrganisationFactory(is_public=bool(index % 2)),
            )

    assert_constant_queries(client, reverse("pacts:current"), make_rows)


# ------------------------------------------------------------------------------
# Staff pages render; demo data
# ------------------------------------------------------------------------------


def test_staff_pages_render(client, people):
    current = PactVersionFactory(in_force=True)
    draft = PactVersionFactory()
    _login(client, people, "coordinator")
    content = client.get(reverse("pacts:manage_versions")).content.decode()
    assert draft.get_absolute_url() in content
    assert reverse("pacts:version_edit", kwargs={"number": draft.number}) in content
    assert "Open consultation" in content
    assert "Expire" in content
    page = client.get(reverse("pacts:version_create")).content.decode()
    assert f"copy of version {current.number}" in page
    edit = client.get(reverse("pacts:version_edit", kwargs={"number": draft.number}))
    assert edit.status_code == 200
    for kind in SectionKind:
        assert f'name="section_{kind.value}"' in edit.content.decode()


def test_demo_is_idempotent():
    from retefamiglie.network.demo import seed as seed_network
    from retefamiglie.pacts.demo import seed

    seed_network(lambda text: None)
    seed(lambda text: None)
    seed(lambda text: None)
    current = selectors.version_in_force()
    assert current.number == 1
    assert current.sections.count() == len(SectionKind)
    assert all("[Testo dimostrativo]" in s.body for s in current.sections.all())
    assert current.signatures.count() == 8
    draft = PactVersion.objects.get(number=2)
    assert draft.status == Status.CONSULTATION
    assert SectionComment.objects.filter(section__version=draft).count() == 1
    changed = [d for d in diff_versions(current, draft) if d.state == "changed"]
    assert len(changed) == 2

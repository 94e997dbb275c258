"""Every permission of the foundation, for every role."""

import pytest
from allauth.mfa.models import Authenticator

from retefamiglie.core.testing import ROLES

pytestmark = pytest.mark.django_db

STAFF_AREA = {
    "anonymous": False,
    "family": False,
    "other_org_staff": True,
    "org_editor": True,
    "org_admin": True,
    "coordinator": True,
    "municipal_officer": True,
    "superuser": True,
}
CHANGE_ORGANISATION = {
    "anonymous": False,
    "family": False,
    "other_org_staff": False,
    "org_editor": False,
    "org_admin": True,
    "coordinator": True,
    "municipal_officer": False,
    "superuser": True,
}


def as_user(people, role):
    from django.contrib.auth.models import AnonymousUser

    return people[role] or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
def test_access_staff_area(people, role):
    assert (
        as_user(people, role).has_perm("network.access_staff_area") is STAFF_AREA[role]
    )


# Asked by the header of every page: a role written on the user answers without
# looking for organisation memberships.
@pytest.mark.parametrize(
    ("role", "queries"),
    [
        ("coordinator", 0),
        ("municipal_officer", 0),
        ("superuser", 0),
        ("family", 1),
        ("org_editor", 1),
    ],
)
def test_access_staff_area_costs_a_query_only_without_a_role(
    people, role, queries, django_assert_num_queries
):
    user = people[role]
    with django_assert_num_queries(queries):
        assert user.has_perm("network.access_staff_area") is STAFF_AREA[role]


@pytest.mark.parametrize("role", ROLES)
def test_change_organisation(people, organisation, role):
    user = as_user(people, role)
    assert (
        user.has_perm("network.change_organisation", organisation)
        is (CHANGE_ORGANISATION[role])
    )


def login(client, people, role):
    user = people[role]
    if user is not None:
        if user.requires_mfa:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={}
            )
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_staff_area_page_for_every_role(client, people, role):
    login(client, people, role)
    response = client.get("/gestione/")
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    elif STAFF_AREA[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_edit_organisation_page_for_every_role(client, people, organisation, role):
    login(client, people, role)
    url = f"/gestione/organizzazioni/{organisation.slug}/modifica/"
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
    elif CHANGE_ORGANISATION[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "municipal_officer", "superuser"])
def test_staff_area_requires_mfa_for_roles_that_see_personal_data(client, people, role):
    client.force_login(people[role])
    response = client.get("/gestione/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/totp/activate")


def test_organisation_staff_enter_without_mfa(client, people, organisation):
    client.force_login(people["org_admin"])
    response = client.get("/gestione/")
    assert response.status_code == 200
    assert organisation.name in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_works_for_and_organisations_worked_for_give_one_answer(
    people, organisation, role
):
    """Staff of this organisation, as one predicate and as the ids many rules
    ask about at once; the active-member variant drops a suspended member."""
    from retefamiglie.network.models import Organisation, OrganisationStaff
    from retefamiglie.network.rules import organisations_worked_for, works_for

    user = as_user(people, role)
    own_staff = role in {"org_editor", "org_admin"}
    assert works_for(user, organisation) is own_staff
    assert (organisation.pk in set(organisations_worked_for(user))) is own_staff
    admin = OrganisationStaff.Role.ADMIN
    assert works_for(user, organisation, role=admin) is (role == "org_admin")
    assert (organisation.pk in set(organisations_worked_for(user, role=admin))) is (
        role == "org_admin"
    )
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save()
    assert works_for(user, organisation) is own_staff
    assert works_for(user, organisation, active_member=True) is False
    assert organisation.pk not in set(
        organisations_worked_for(user, active_member=True)
    )

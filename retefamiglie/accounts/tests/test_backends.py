"""Django's model permissions are for the admin's people only (ADR 28)."""

import pytest
from django.contrib.auth.models import Permission

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_family_gets_its_answers_from_the_rules_without_querying(
    django_assert_num_queries,
):
    family = UserFactory()
    with django_assert_num_queries(0):
        assert not family.has_perm("network.enter_staff_area")
        assert not family.has_perm("directory.add_service")


def test_a_model_permission_granted_to_a_family_gives_nothing():
    family = UserFactory()
    family.user_permissions.add(Permission.objects.get(codename="add_service"))
    assert not family.has_perm("directory.add_service")


def test_an_admin_user_keeps_the_model_permissions_the_admin_grants():
    admin_user = UserFactory(is_staff=True)
    admin_user.user_permissions.add(Permission.objects.get(codename="add_service"))
    assert admin_user.has_perm("directory.add_service")
    assert admin_user.has_module_perms("directory")
    assert not admin_user.has_perm("directory.delete_service")

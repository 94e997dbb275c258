"""Writes on member organisations and their staff."""

from django.db import transaction

from .models import Organisation, OrganisationStaff


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's public profile.

    Precondition: the actor holds ``network.change_organisation`` on it.
    """
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def staff_add(
    *, organisation: Organisation, user, role: str = OrganisationStaff.Role.EDITOR
) -> OrganisationStaff:
    staff, created = OrganisationStaff.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and staff.role != role:
        staff.role = role
        staff.full_clean()
        staff.save(update_fields=["role", "updated_at"])
    return staff


@transaction.atomic
def staff_remove_all_for_user(*, user) -> int:
    """Remove a person from every organisation (account deletion)."""
    deleted, _ = OrganisationStaff.objects.filter(user=user).delete()
    return deleted

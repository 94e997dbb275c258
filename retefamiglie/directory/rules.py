"""Who may publish and manage services, events and bookings."""

import rules

from retefamiglie.accounts.rules import is_network_manager as is_manager
from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.network.rules import is_organisation_staff as is_active_member_staff


@rules.predicate
def is_staff_of_owner(user, obj) -> bool:
    """Staff of the organisation that offers the service or event."""
    organisation_id = getattr(obj, "organisation_id", None)
    return bool(
        organisation_id is not None
        and user.is_authenticated
        and OrganisationStaff.objects.filter(
            user=user,
            organisation_id=organisation_id,
            organisation__status=Organisation.Status.ACTIVE,
        ).exists()
    )


rules.add_perm("directory.manage_listings", is_active_member_staff | is_manager)
rules.add_perm("directory.change_listing", is_staff_of_owner | is_manager)
rules.add_perm("directory.view_bookings", is_staff_of_owner | is_manager)
rules.add_perm("directory.feature_listing", is_manager)
rules.add_perm("directory.manage_categories", is_manager)

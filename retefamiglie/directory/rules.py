"""Who may publish and manage services, events and bookings."""

import rules

from retefamiglie.accounts.rules import is_network_manager as is_manager
from retefamiglie.network.rules import is_active_staff_of as is_staff_of_owner
from retefamiglie.network.rules import is_organisation_staff as is_active_member_staff

rules.add_perm("directory.manage_listings", is_active_member_staff | is_manager)
rules.add_perm("directory.change_listing", is_staff_of_owner | is_manager)
rules.add_perm("directory.view_bookings", is_staff_of_owner | is_manager)
rules.add_perm("directory.feature_listing", is_manager)
rules.add_perm("directory.manage_categories", is_manager)

"""Anyone logged in may flag; coordinators (and superusers) run the queue."""

import rules

from retefamiglie.accounts.rules import is_network_manager

rules.add_perm("moderation.flag_object", rules.is_authenticated)
rules.add_perm("moderation.view_queue", is_network_manager)
rules.add_perm("moderation.decide_case", is_network_manager)
rules.add_perm("moderation.suspend_person", is_network_manager)

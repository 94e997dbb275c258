"""Who may do what with the dashboard and the open data.

Everyone reads the dashboard and downloads the open data: every figure there
has passed the privacy rule. Only those who run the network upload the
population of the areas.
"""

import rules

from retefamiglie.accounts.rules import is_network_manager

rules.add_perm("monitoring.view_dashboard", rules.always_allow)
rules.add_perm("monitoring.upload_population", is_network_manager)

"""Who may do what with the pact, applications, commitments and reports.

Nobody edits another member's report or commitment; only a municipal officer
approves a version of the pact; coordinators run the process.
"""

import rules
from django.contrib.auth.models import AnonymousUser

from retefamiglie.accounts.models import User
from retefamiglie.accounts.rules import is_municipal_officer
from retefamiglie.accounts.rules import is_network_manager as is_manager
from retefamiglie.network.rules import is_active_member_admin
from retefamiglie.network.rules import is_organisation_staff as is_active_member_staff
from retefamiglie.network.rules import is_staff_of as is_staff_of_its_member

from .models import Commitment, PactVersion, Report


@rules.predicate
def is_in_consultation(user: User | AnonymousUser, version: PactVersion | None) -> bool:
    return version is not None and version.status == PactVersion.Status.CONSULTATION


@rules.predicate
def is_in_force(user: User | AnonymousUser, version: PactVersion | None) -> bool:
    return version is not None and version.status == PactVersion.Status.IN_FORCE


@rules.predicate
def is_editable_version(
    user: User | AnonymousUser, version: PactVersion | None
) -> bool:
    return version is not None and version.status in (
        PactVersion.Status.DRAFT,
        PactVersion.Status.CONSULTATION,
    )


@rules.predicate
def is_draft_report(user: User | AnonymousUser, report: Report | None) -> bool:
    return report is not None and report.status == Report.Status.DRAFT


@rules.predicate
def is_open_commitment(
    user: User | AnonymousUser, commitment: Commitment | None
) -> bool:
    return (
        commitment is not None and commitment.status not in Commitment.CLOSED_STATUSES
    )


# The pact and its versions
rules.add_perm("pacts.manage_versions", is_manager)
rules.add_perm("pacts.edit_version", is_manager & is_editable_version)
# Each step of a version's life (``TRANSITIONS`` in services/versions.py) names
# the permission below that says who takes it; the services ask rules.has_perm,
# so a superuser holds only what the predicates give.
rules.add_perm("pacts.open_consultation", is_manager)
rules.add_perm("pacts.return_version_to_draft", is_manager)
# Only the municipality approves the pact: not even a superuser does.
rules.add_perm("pacts.approve_version", is_municipal_officer)
rules.add_perm("pacts.put_version_in_force", is_manager | is_municipal_officer)
rules.add_perm("pacts.expire_version", is_manager)
rules.add_perm(
    "pacts.comment_section", (is_active_member_staff | is_manager) & is_in_consultation
)
rules.add_perm("pacts.answer_comment", is_manager)
rules.add_perm("pacts.sign_version", is_active_member_admin & is_in_force)
# Joining the network
rules.add_perm("pacts.apply_to_join", rules.is_authenticated)
rules.add_perm("pacts.review_application", is_manager)
# Commitments
# Who reads the change history of a commitment: its member, and those who follow
# the pact.
rules.add_perm(
    "pacts.view_commitment_history",
    is_staff_of_its_member | is_manager | is_municipal_officer,
)
rules.add_perm("pacts.add_commitment", is_active_member_staff | is_manager)
rules.add_perm(
    "pacts.change_commitment",
    (is_staff_of_its_member | is_manager) & is_open_commitment,
)
rules.add_perm("pacts.view_late_commitments", is_manager | is_municipal_officer)
# Reports
rules.add_perm("pacts.add_report", is_active_member_staff)
rules.add_perm(
    "pacts.view_report", is_staff_of_its_member | is_manager | is_municipal_officer
)
rules.add_perm("pacts.change_report", is_staff_of_its_member & is_draft_report)
rules.add_perm("pacts.compile_network_report", is_manager)
rules.add_perm("pacts.view_draft_network_report", is_manager | is_municipal_officer)

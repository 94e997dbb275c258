"""Examples of the URL parameters of the network's patterns (tests/wholesite)."""

from typing import Any

from retefamiglie.network.models import OrganisationStaff, StaffInvitation


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    staff = OrganisationStaff.objects.get(
        organisation=organisation, user=people["org_editor"]
    )
    invitation = StaffInvitation.objects.create(
        organisation=organisation, email="nuova@example.org", token="t" * 40
    )
    slug = {"slug": organisation.slug}
    return {
        "network:organisation_edit": slug,
        "network:staff": slug,
        "network:staff_remove": {**slug, "staff_id": staff.pk},
        "network:invitation_revoke": {**slug, "invitation_id": invitation.pk},
        "network:leave": slug,
        "network:invitation_accept": {"token": invitation.token},
        "network:member": slug,
    }

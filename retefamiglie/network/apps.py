from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind


class NetworkConfig(AppConfig):
    name = "retefamiglie.network"
    label = "network"
    verbose_name = _("Network")
    notification_kinds = [
        Kind(
            "network.staff_invitation",
            _("An invitation to an organisation's staff"),
            template="network/email/staff_invitation.txt",
            essential=True,
        ),
        Kind(
            "network.organisation_left",
            _("A member left the network"),
            template="network/email/organisation_left.txt",
            audience="staff",
        ),
    ]
    # Saving its models makes cached public pages obsolete (core.pagecache).
    changes_public_pages = True
    navigation = [
        NavItem("network:directory", _("The network"), place="main", order=20),
        NavItem("network:directory", _("The network"), place="footer", order=20),
        NavItem(
            "network:staff_home",
            _("Staff area"),
            place="main",
            order=900,
            permission="network.access_staff_area",
        ),
    ]

    def export_personal_data(self, user) -> list[dict]:
        from .selectors import memberships_for_user

        return [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in memberships_for_user(user=user)
        ]

    def erase_personal_data(self, user) -> None:
        from .services import staff_remove_all_for_user

        staff_remove_all_for_user(user=user)

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

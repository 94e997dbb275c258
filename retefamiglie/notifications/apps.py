from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem


class NotificationsConfig(AppConfig):
    name = "retefamiglie.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    navigation = [
        NavItem("notifications:centre", _("Notifications"), place="profile", order=1),
        NavItem(
            "notifications:preferences",
            _("Notification preferences"),
            place="profile",
            order=2,
        ),
    ]

    def export_personal_data(self, user) -> dict:
        from .personal_data import export

        return export(user)

    def erase_personal_data(self, user) -> None:
        from .personal_data import erase

        erase(user)

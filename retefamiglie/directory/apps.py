from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind


def _booking_kind(name: str, label, **extra) -> Kind:
    return Kind(
        f"directory.booking_{name}",
        label,
        template=f"directory/events/email/{name}.txt",
        **extra,
    )


class DirectoryConfig(AppConfig):
    def home_section(self, request):
        """Featured and new services, and the next events, for the home page."""
        from .selectors import home_listings

        return "directory/home_section.html", home_listings()

    name = "retefamiglie.directory"
    label = "directory"
    verbose_name = _("Services and events")
    # Saving its models makes cached public pages obsolete (core.pagecache).
    changes_public_pages = True
    notification_kinds = [
        _booking_kind(
            "confirm_link", _("The link to confirm a booking"), essential=True
        ),
        _booking_kind("confirmed", _("Your booking is confirmed")),
        _booking_kind("waiting", _("You are on the waiting list")),
        _booking_kind("promoted", _("A seat is free: your booking is confirmed")),
        _booking_kind("cancelled", _("Your booking is cancelled"), essential=True),
        _booking_kind("reminder", _("A reminder of an event you booked")),
    ]
    navigation = [
        NavItem("directory:services", _("Services"), place="main", order=10),
        NavItem("directory:events", _("Events"), place="main", order=15),
        NavItem("directory:map", _("Map"), place="footer", order=15),
        NavItem(
            "directory:manage",
            _("Services and events"),
            place="staff",
            order=5,
            permission="directory.manage_listings",
        ),
    ]

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .search import set_typo_threshold

        connection_created.connect(set_typo_threshold, dispatch_uid="typo_threshold")

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem


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

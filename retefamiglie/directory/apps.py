from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind, SearchScope, Urgency


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
        from retefamiglie.notifications.selectors import children_ages

        from .selectors import events_for_ages, home_listings

        section = home_listings()
        # A family that gave its children's ages sees what fits them first.
        section["for_you"] = events_for_ages(children_ages(request.user))
        return "directory/home_section.html", section

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
        Kind(
            "directory.saved_search_match",
            _("Something new for one of my saved searches"),
            template="directory/notifications/saved_search_match.txt",
            urgency=Urgency.BATCHABLE,
        ),
        Kind(
            "directory.new_for_children",
            _("New services and activities for my children"),
            template="directory/notifications/new_for_children.txt",
            urgency=Urgency.BATCHABLE,
        ),
        Kind(
            "directory.organisation_news",
            _("News from organisations I follow"),
            template="directory/notifications/organisation_news.txt",
            urgency=Urgency.BATCHABLE,
        ),
        Kind(
            "directory.event_changed",
            _("Changes to events I follow"),
            template="directory/notifications/event_changed.txt",
        ),
    ]
    saved_search_scopes = [
        SearchScope("directory.events", "directory:events", _("Events")),
        SearchScope("directory.services", "directory:services", _("Services")),
    ]
    followable_models = ["directory.event"]

    def family_profile_choices(self, field: str) -> list[tuple[str, str]]:
        from retefamiglie.core.vocabularies import Language

        return list(Language.choices) if field == "languages" else []

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

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    """Seats, waiting lists and e-mail confirmation shared by every capability
    that takes bookings (directory events, participation meetings); ADR 14."""

    name = "retefamiglie.bookings"
    label = "bookings"
    verbose_name = _("Bookings")

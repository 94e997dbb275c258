"""The generic part of a booking: who, how many seats, which needs, where it stands.

An abstract model, so each capability keeps its own table with a foreign key to
what is booked (an event's occurrence, a meeting). Children appear only as counts
per age band, never by name (privacy rules in DESIGN.md). See ADR 14.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retefamiglie.core.models import TimeStampedModel
from retefamiglie.core.vocabularies import AgeBand, Language


class BookingStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", pgettext_lazy("booking", "Waiting for e-mail")
    CONFIRMED = "confirmed", pgettext_lazy("booking", "Confirmed")
    WAITING = "waiting", pgettext_lazy("booking", "On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")


def new_booking_token() -> str:
    return secrets.token_urlsafe(32)


class BookingBase(TimeStampedModel):
    """Seats a person books, with or without an account. Never children's names.

    A concrete model adds the foreign key to what is booked and, if it needs
    another reverse name, overrides ``user``.
    """

    Status = BookingStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_set",
    )
    name = models.CharField(_("name for the booking"), max_length=80)
    email = models.EmailField(_("e-mail"))
    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    children = models.JSONField(_("children by age band"), default=dict, blank=True)
    needs_childcare = models.BooleanField(
        _("childcare during the event"), default=False
    )
    accessibility_needs = models.CharField(
        _("accessibility needs"), max_length=300, blank=True
    )
    interpreter_language = models.CharField(
        _("interpreter for"), max_length=10, choices=Language.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BookingStatus.choices,
        default=BookingStatus.UNCONFIRMED,
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_booking_token, editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def seats(self) -> int:
        return self.adults + sum(int(n) for n in self.children.values())

    def children_by_band(self) -> list[tuple[str, int]]:
        """(label, count) of each age band booked, in the bands' order."""
        labels = dict(AgeBand.choices)
        return [
            (str(labels[band]), int(self.children[band]))
            for band in AgeBand.values
            if self.children.get(band)
        ]

from datetime import date, time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.models import TimeStampedModel

from .kinds import Frequency


class Notification(TimeStampedModel):
    """One notice to one person (in-app, and the source of its deliveries).

    A person without an account (a family that booked with an e-mail address)
    has no recipient, only the address or phone number given.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=80)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10)
    key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=Q(recipient__isnull=False) & ~Q(key=""),
                name="notification_once_per_person_key",
            ),
            models.UniqueConstraint(
                fields=["email", "phone", "kind", "key"],
                condition=Q(recipient__isnull=True) & ~Q(key=""),
                name="notification_once_per_contact_key",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email="") | ~Q(phone=""),
                name="notification_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", kwargs={"pk": self.pk})

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Digest(TimeStampedModel):
    """One digest e-mail of one person for one period (a day or an ISO week)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(
        max_length=10,
        choices=[
            (Frequency.DAILY, Frequency.DAILY.label),
            (Frequency.WEEKLY, Frequency.WEEKLY.label),
        ],
    )
    period = models.CharField(max_length=12)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period"],
                name="digest_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.frequency} {self.period}"


class Delivery(TimeStampedModel):
    """One attempt-tracked sending of a notification (or a digest) on one channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PUSH = "push", _("push")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("to send")
        BATCHED = "batched", _("waiting for the digest")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DIGESTED = "digested", _("sent in a digest")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent")

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    digest = models.OneToOneField(
        Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="email"
    )
    # A batched delivery, once the digest that carries it is made.
    included_in = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    key = models.CharField(max_length=250, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The text of an SMS, rendered with the notification.
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "frequency"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(notification__isnull=False) | Q(digest__isnull=False),
                name="delivery_of_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.key} ({self.status})"


class Preference(models.Model):
    """How a person wants one kind of notice; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=80)
    frequency = models.CharField(_("when"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="preference_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.frequency}"


def _default_language() -> str:
    return settings.LANGUAGE_CODE


class NotificationSettings(models.Model):
    """A person's settings for every kind: language of notices, quiet time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    language = models.CharField(
        _("language of notices"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=_default_language,
    )
    quiet_from = models.TimeField(
        _("quiet time from"),
        default=time(21, 0),
        help_text=_("No push notifications from this time…"),
    )
    quiet_until = models.TimeField(
        _("quiet time until"), default=time(8, 0), help_text=_("…until this time.")
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class Suppression(TimeStampedModel):
    """An address without an account that asked for no more of one kind."""

    email = models.EmailField(_("e-mail address"))
    kind = models.CharField(_("kind"), max_length=80)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind"], name="suppression_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.kind}"


class PushSubscription(TimeStampedModel):
    """One browser or phone that accepted push notifications (Push API)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device = models.CharField(_("device"), max_length=200, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.device or self.endpoint[:40]}"


class Child(models.Model):
    """A child of a family, known only by birth month and year: never a name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="children"
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_month = models.PositiveSmallIntegerField(_("month of birth"))

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["-birth_year", "-birth_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__gte=1, birth_month__lte=12),
                name="child_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1990, birth_year__lte=2100),
                name="child_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.birth_month:02d}/{self.birth_year}"

    def age_on(self, day: date) -> int:
        """Whole years on ``day``, counted from the first of the birth month."""
        years = day.year - self.birth_year
        if day.month < self.birth_month:
            years -= 1
        return max(years, 0)


class FamilyProfile(models.Model):
    """What a family follows: areas of the city (slugs) and languages (codes).

    Areas are kept by slug because they belong to the network app, to the
    right of this one (ADR 13).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="family_profile",
    )
    areas = models.JSONField(_("areas of interest"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        verbose_name = _("family profile")
        verbose_name_plural = _("family profiles")

    def __str__(self) -> str:
        return str(self.user)


class SavedSearch(TimeStampedModel):
    """A search of a catalogue saved with a name; matches notify its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    # Which list the query belongs to, e.g. "directory.events".
    scope = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    frequency = models.CharField(
        _("tell me"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "name"], name="saved_search_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Follow(TimeStampedModel):
    """A person follows something (an organisation, an event series, a proposal)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_type.model} {self.target_id}"

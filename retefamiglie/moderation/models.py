"""Flags on any flaggable object, the case they build and coordinators' decisions.

One ``Case`` per flagged object holds its moderation state; flags and decisions
hang from it, so the history of every decision stays readable.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.models import TimeStampedModel


class Reason(models.TextChoices):
    FORBIDDEN = "forbidden", _("Something that may not be exchanged")
    UNSAFE = "unsafe", _("Unsafe for children")
    SCAM = "scam", _("Scam or request for money")
    OFFENSIVE = "offensive", _("Offensive or abusive")
    PRIVACY = "privacy", _("Shows personal data or a child")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else")


class Case(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Flagged, still visible")
        HIDDEN = "hidden", _("Hidden until a coordinator decides")
        RESTORED = "restored", _("Restored by a coordinator")
        REMOVED = "removed", _("Removed by a coordinator")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("type")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    content_object = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    open_flags = models.PositiveIntegerField(_("flags awaiting a decision"), default=0)
    last_flagged_at = models.DateTimeField(_("last flagged"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        ordering = ["-last_flagged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderation_case_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "status", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.content_type.model} #{self.object_id} · {self.get_status_display()}"
        )

    def get_absolute_url(self) -> str:
        return reverse("moderation:case", args=[self.pk])

    @property
    def type_label(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model

    @property
    def is_hidden(self) -> bool:
        return self.status in HIDDEN_STATUSES

    @property
    def awaits_decision(self) -> bool:
        return self.status in AWAITING_STATUSES


HIDDEN_STATUSES = (Case.Status.HIDDEN, Case.Status.REMOVED)
AWAITING_STATUSES = (Case.Status.OPEN, Case.Status.HIDDEN)


class Flag(TimeStampedModel):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="flags", verbose_name=_("case")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderation_flags",
        verbose_name=_("flagged by"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("details"), max_length=500, blank=True)
    # The decision that settled this flag; None while it waits for one.
    decision = models.ForeignKey(
        "Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("decision"),
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reporter"],
                condition=Q(decision__isnull=True),
                name="moderation_one_open_flag_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.case}"


class Decision(TimeStampedModel):
    class Outcome(models.TextChoices):
        RESTORE = "restore", _("Restore: it can be seen again")
        REMOVE = "remove", _("Remove: keep it hidden")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    flags_settled = models.PositiveIntegerField(_("flags settled"), default=0)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.case}"


class Suspension(TimeStampedModel):
    """A person kept out of one part of the site (a scope) by a coordinator."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suspensions",
        verbose_name=_("person"),
    )
    scope = models.CharField(_("from"), max_length=40)
    reason = models.TextField(_("reason told to the person"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scope"],
                condition=Q(lifted_at__isnull=True),
                name="moderation_one_active_suspension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.scope}"

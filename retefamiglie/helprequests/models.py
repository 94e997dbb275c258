"""Help requests from families and their referral to member organisations.

The most sensitive data of the platform: see the privacy rules in DESIGN.md and
``rules.py``. Children appear only as counts per age band, never by name.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retefamiglie.core.models import TimeStampedModel
from retefamiglie.core.vocabularies import AgeBand, Language, language_choices
from retefamiglie.network.models import Area, Organisation


class HelpKind(models.TextChoices):
    SCHOOL = "school", _("School, homework and after-school")
    CHILDCARE = "childcare", _("Looking after the children")
    MONEY = "money", _("Money, food, clothes and basic needs")
    HEALTH = "health", _("Health and wellbeing")
    PARENTING = "parenting", _("Being a parent: advice and listening")
    DISABILITY = "disability", _("Disability and inclusion")
    LANGUAGE = "language", _("Italian language and paperwork")
    FREE_TIME = "free_time", _("Sport, play and holidays")
    HOUSING = "housing", _("Home and housing")
    OTHER = "other", _("Something else")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("E-mail")
    NONE = "none", _("Don't contact me, I'll check the page")


class Urgency(models.TextChoices):
    LOW = "low", _("It can wait a few weeks")
    NORMAL = "normal", _("In the next few days")
    HIGH = "high", _("As soon as possible")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY_RESOLVED = "partly_resolved", _("Partly resolved")
    PUBLIC_SERVICES = "public_services", _("Referred to public services")
    NOT_RESOLVED = "not_resolved", _("Not resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses that wait for the coordinator: the inbox lists them first.
NEEDS_COORDINATOR = ("new", "declined")


def inbox_order() -> models.Case:
    """0 for a request that needs the coordinator, 1 for the others.

    The inbox orders by it, then by age; the index of the same expression
    (Meta.indexes) lets PostgreSQL read the first page in that order instead of
    sorting every open request (ADR 0029).
    """
    return models.Case(
        models.When(status__in=NEEDS_COORDINATOR, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class HelpRequest(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("help request status", "New")
        IN_TRIAGE = "in_triage", pgettext_lazy("help request status", "In triage")
        REFERRED = "referred", pgettext_lazy("help request status", "Referred")
        ACCEPTED = "accepted", pgettext_lazy("help request status", "Accepted")
        IN_PROGRESS = "in_progress", pgettext_lazy("help request status", "In progress")
        DECLINED = "declined", pgettext_lazy("help request status", "Declined")
        CLOSED = "closed", pgettext_lazy("help request status", "Closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("help request status", "Withdrawn")

    OPEN_STATUSES = (
        Status.NEW,
        Status.IN_TRIAGE,
        Status.REFERRED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.DECLINED,
    )

    # The family's private link is this id signed with the secret key (tokens.py):
    # nothing secret is stored, and a link can be rebuilt for e-mails.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    family = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("family account"),
    )
    kinds = models.JSONField(_("kinds of help"), default=list)
    description = models.TextField(_("what is happening"), max_length=2000)
    children = models.JSONField(_("children by age band"), default=dict, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("area"),
    )
    contact_method = models.CharField(
        _("how to contact"), max_length=10, choices=ContactMethod.choices
    )
    contact_name = models.CharField(_("name to ask for"), max_length=80, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_times = models.CharField(_("when to contact"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=language_choices(other=True),
        default=Language.ITALIAN,
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    consent_version = models.CharField(_("privacy notice version"), max_length=40)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    first_answer_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(inbox_order(), "created_at", name="helprequest_inbox_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="closed_request_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse(
            "helprequests:staff_detail", kwargs={"public_id": self.public_id}
        )

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_kinds_display(self) -> list[str]:
        labels = dict(HelpKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]

    def get_children_display(self) -> list[str]:
        labels = dict(AgeBand.choices)
        return [
            f"{count} × {labels.get(band, band)}"
            for band, count in self.children.items()
            if count
        ]


class Referral(TimeStampedModel):
    """The request sent to one member organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("referral status", "Waiting for an answer")
        ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
        DECLINED = "declined", pgettext_lazy("referral status", "Declined")
        CLOSED = "closed", pgettext_lazy("referral status", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("referral status", "Cancelled")

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="referrals"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="help_referrals",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    note = models.TextField(_("note for the organisation"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation"],
                name="referral_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="declined_referral_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.organisation}"


class Activity(models.Model):
    """One step in a request's history: who, when, what, and if the family sees it."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request sent")
        STATUS = "status", _("Status changed")
        TRIAGED = "triaged", _("Triaged")
        REFERRED = "referred", _("Referred")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        MESSAGE_TO_FAMILY = "message_to_family", _("Message to the family")
        MESSAGE_FROM_FAMILY = "message_from_family", _("Message from the family")
        NOTE = "note", _("Internal note")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the family reads, in plain words; empty for internal steps.
    public_text = models.TextField(blank=True)
    body = models.TextField(blank=True)
    visible_to_family = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.request} · {self.get_kind_display()}"


class AccessLog(models.Model):
    """Every read of a request's details by staff: who and when."""

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="access_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access to a help request")
        verbose_name_plural = _("accesses to help requests")

    def __str__(self) -> str:
        return f"{self.user} · {self.request} · {self.at:%Y-%m-%d %H:%M}"


class HelpOffer(TimeStampedModel):
    """What help a member organisation can take on: used to suggest referrals."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="help_offer",
        verbose_name=_("organisation"),
    )
    kinds = models.JSONField(_("kinds of help"), default=list, blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("areas served")
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    accepts_referrals = models.BooleanField(_("accepts help requests"), default=True)

    class Meta:
        verbose_name = _("help offered")
        verbose_name_plural = _("help offered")

    def __str__(self) -> str:
        return str(self.organisation)

"""The collaboration pact (Labsus model regulation), joining, commitments, reports.

A pact has versions; a version has the sections the regulation requires and moves
draft → consultation → approved (by a municipal officer) → in force → superseded
or expired. Members sign a version (adhesion); signatures are kept forever. Every
change to versions, sections, signatures, commitments and reports keeps a history
(django-simple-history): who, when, what.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from retefamiglie.core.models import TimeStampedModel
from retefamiglie.network.models import Area, Organisation


class SectionKind(models.TextChoices):
    """The sections the Labsus model regulation asks of a pact, in order."""

    PARTIES = "parties", _("Parties")
    COMMON_GOOD = "common_good", _("Common good and objectives")
    ACTIONS = "actions", _("Actions")
    COMMITMENTS = "commitments", _("Commitments of each party")
    MUNICIPAL_SUPPORT = "municipal_support", _("Support from the municipality")
    DURATION = "duration", _("Duration and renewal")
    RESPONSIBILITIES = "responsibilities", _("Responsibilities and insurance")
    PUBLICITY = "publicity", _("Publicity and documentation")
    MONITORING = "monitoring", _("Monitoring, reporting and evaluation")
    DISPUTES = "disputes", _("Disputes")
    AMENDMENTS = "amendments", _("How to amend the pact")


class PactVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("pact status", "Draft")
        CONSULTATION = "consultation", pgettext_lazy("pact status", "In consultation")
        APPROVED = "approved", pgettext_lazy("pact status", "Approved")
        IN_FORCE = "in_force", pgettext_lazy("pact status", "In force")
        SUPERSEDED = "superseded", pgettext_lazy("pact status", "Superseded")
        EXPIRED = "expired", pgettext_lazy("pact status", "Expired")

    number = models.PositiveIntegerField(_("version number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what changes in this version"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    consultation_until = models.DateField(
        _("consultation open until"), null=True, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pact version")
        verbose_name_plural = _("pact versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="in_force"),
                name="one_pact_version_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="pact_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("pacts:version", kwargs={"number": self.number})


class PactSection(TimeStampedModel):
    version = models.ForeignKey(
        PactVersion, on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("section"), max_length=30, choices=SectionKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pact section")
        verbose_name_plural = _("pact sections")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind"], name="one_section_of_a_kind_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.title}"


class SectionComment(TimeStampedModel):
    """A member's comment on a section during consultation, and the answer."""

    section = models.ForeignKey(
        PactSection, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    body = models.TextField(_("comment"), max_length=4000)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.section}: {self.body[:40]}"


class Signature(models.Model):
    """A member's adhesion to a version of the pact. Kept forever."""

    version = models.ForeignKey(
        PactVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("member"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as written at signing time, even if the account is deleted later.
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_role = models.CharField(_("in the role of"), max_length=200)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="sign_a_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · v{self.version.number}"


class JoinApplication(TimeStampedModel):
    """An organisation, informal group or citizen asks to join the network."""

    class Status(models.TextChoices):
        SUBMITTED = (
            "submitted",
            pgettext_lazy("application status", "Waiting for review"),
        )
        CHANGES_REQUESTED = (
            "changes_requested",
            pgettext_lazy("application status", "Changes requested"),
        )
        APPROVED = "approved", pgettext_lazy("application status", "Approved")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="join_applications",
    )
    type = models.CharField(
        _("who is applying"), max_length=20, choices=Organisation.Type.choices
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("who you are"), max_length=3000)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    proposed_commitments = models.TextField(
        _("what you want to contribute"), max_length=4000
    )
    is_public = models.BooleanField(_("show in the public directory"), default=True)
    version = models.ForeignKey(
        PactVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pact version accepted"),
    )
    privacy_version = models.CharField(_("privacy notice version"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    coordinator_message = models.TextField(
        _("message from the coordinator"), blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member created"),
    )

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Commitment(TimeStampedModel):
    """A member's concrete commitment under the pact."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("commitment status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("commitment status", "In progress")
        DONE = "done", pgettext_lazy("commitment status", "Done")
        DROPPED = "dropped", pgettext_lazy("commitment status", "Dropped")

    # Neither changes nor is late any more: the rules, the services and the
    # reports read this one tuple.
    CLOSED_STATUSES = (Status.DONE, Status.DROPPED)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("member"),
    )
    version = models.ForeignKey(
        PactVersion,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("pact version"),
    )
    objective = models.CharField(
        _("objective of the pact"),
        max_length=30,
        choices=[
            ("know_services", _("Families know and use the services")),
            ("community", _("The community offers time, places, goods and skills")),
            ("no_family_alone", _("No family faces its difficulties alone")),
            ("educational_poverty", _("Fighting educational poverty")),
        ],
    )
    title = models.CharField(_("what"), max_length=200)
    beneficiaries = models.CharField(_("for whom"), max_length=200)
    target_value = models.PositiveIntegerField(_("target"))
    target_unit = models.CharField(
        _("unit"), max_length=60, help_text=_("e.g. families, hours, meetings")
    )
    progress_value = models.PositiveIntegerField(_("reached so far"), default=0)
    due_date = models.DateField(_("due date"))
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # Pacts sits right of participation: it writes the link, both sides show it.
    participation_objectives = models.ManyToManyField(
        "participation.Objective",
        blank=True,
        related_name="commitments",
        verbose_name=_("objectives of the participatory process it serves"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pacts:commitment", kwargs={"pk": self.pk})


class CommitmentUpdate(models.Model):
    """Progress on a commitment, with evidence: text, a link, a file."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("what was done"), max_length=4000)
    progress_value = models.PositiveIntegerField(_("reached so far"))
    link = models.URLField(_("link to evidence"), blank=True)
    file = models.FileField(
        _("evidence file"), upload_to="pacts/evidence/%Y/", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.progress_value}"


class Period(models.TextChoices):
    FIRST_HALF = "h1", _("January–June")
    SECOND_HALF = "h2", _("July–December")
    YEAR = "year", _("Whole year")


class Report(TimeStampedModel):
    """A member's report (rendiconto) for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("report status", "Filed")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=4, choices=Period.choices)
    activities = models.TextField(_("activities done"))
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), default=0)
    families_reached = models.PositiveIntegerField(_("families reached"), default=0)
    children_reached = models.PositiveIntegerField(_("children reached"), default=0)
    help_requests_handled = models.PositiveIntegerField(
        _("help requests handled"), default=0
    )
    resources = models.TextField(_("resources used"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("filed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "period", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "period"], name="one_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.year} {self.get_period_display()}"


class NetworkReport(TimeStampedModel):
    """The network's report for a period, compiled by a coordinator from members'."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report status", "Draft")
        PUBLISHED = "published", pgettext_lazy("report status", "Published")

    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=4, choices=Period.choices)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network report")
        verbose_name_plural = _("network reports")
        ordering = ["-year", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period"], name="one_network_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_period_display()}"

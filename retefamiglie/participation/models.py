"""The participatory process: phases, meetings, proposals, objectives and actions.

Authors are shown by display name only; nothing here stores an e-mail in a
public field or any child's data (registrations count children per age band,
as every booking does, and are never public).
"""

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retefamiglie.bookings.models import BookingBase
from retefamiglie.core.models import TimeStampedModel
from retefamiglie.network.models import Area, Location, Organisation


class Process(TimeStampedModel):
    """A participatory process, e.g. the one that writes a pact or renews it."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    summary = models.TextField(_("what it is for"))
    # Decidim's "threshold per proposal": this many supports call for an answer.
    support_threshold = models.PositiveIntegerField(
        _("supports that call for an answer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A proposal with this many supports is flagged as awaiting an answer "
            "and coordinators are told. Leave empty for no threshold."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("participatory process")
        verbose_name_plural = _("participatory processes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:process", kwargs={"slug": self.slug})


class Phase(models.Model):
    """A stretch of a process with dates; what it allows is data."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="phases"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    proposals_open = models.BooleanField(_("proposals can be submitted"), default=False)
    supports_open = models.BooleanField(_("proposals can be supported"), default=False)
    comments_open = models.BooleanField(_("proposals can be commented"), default=False)
    meetings_open = models.BooleanField(_("meetings take place"), default=False)
    # When the process's followers were told the phase had begun (once).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["process", "order", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.process} · {self.title}"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class Meeting(TimeStampedModel):
    """A concrete meeting of the process: agenda, registration, minutes."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("meeting status", "Proposed")
        PUBLISHED = "published", pgettext_lazy("meeting status", "Published")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="meetings"
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("phase"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    summary = models.TextField(_("what it is about"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(
        _("how"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON
    )
    # A place of the network (ADR 26), or the free text below, or both (the
    # text then names the room, e.g. "Sala 2").
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place of the network"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to registered people, from an hour before the start."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    accessibility = models.CharField(
        _("accessibility"),
        max_length=300,
        blank=True,
        help_text=_("For example: step-free access, hearing loop, LIS interpreter."),
    )
    childcare_offered = models.BooleanField(
        _("childcare during the meeting"), default=False
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organised by"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # Attendance, counted by kind after the meeting.
    families_count = models.PositiveIntegerField(_("families"), null=True, blank=True)
    members_count = models.PositiveIntegerField(
        _("members of the network"), null=True, blank=True
    )
    citizens_count = models.PositiveIntegerField(_("citizens"), null=True, blank=True)
    officers_count = models.PositiveIntegerField(
        _("municipal officers"), null=True, blank=True
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # Minutes (verbale).
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes_published_at = models.DateTimeField(
        _("minutes published"), null=True, blank=True
    )
    proposals: "models.ManyToManyField[Proposal, Any]" = models.ManyToManyField(
        "Proposal",
        blank=True,
        related_name="meetings",
        verbose_name=_("proposals discussed or produced"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:meeting", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.mode != self.Mode.IN_PERSON and not self.online_url:
            raise ValidationError(
                {"online_url": _("An online meeting needs the link to join it.")}
            )
        if self.mode != self.Mode.ONLINE and not self.place and not self.location_id:
            raise ValidationError(
                {
                    "place": _(
                        "Say where the meeting takes place: choose a place of the "
                        "network or write it."
                    )
                }
            )

    @property
    def where(self) -> str:
        """The place in one line: the network's place, then the free text."""
        parts = []
        if self.location is not None:
            parts += [self.location.name]
        if self.place:
            parts += [self.place]
        address = self.full_address
        if address:
            parts += [address]
        return ", ".join(parts)

    @property
    def full_address(self) -> str:
        if self.address:
            return self.address
        if self.location is None:
            return ""
        city = " ".join(p for p in (self.location.postal_code, self.location.city) if p)
        return ", ".join(p for p in (self.location.address, city) if p)

    @property
    def map_url(self) -> str:
        """OpenStreetMap at the place's coordinates, else a search of the address."""
        location = self.location
        if location is not None and location.latitude is not None:
            lat, lon = location.latitude, location.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        address = self.full_address
        if not address:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": address})

    @property
    def attendance_total(self) -> int:
        return sum(
            count or 0
            for count in (
                self.families_count,
                self.members_count,
                self.citizens_count,
                self.officers_count,
            )
        )

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda"
    )
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("item"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MinutesAttachment(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="participation/minutes/%Y/%m/")
    content_type = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(BookingBase):
    """A seat at a meeting, on the shared booking rules (ADR 14)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
    )
    attended = models.BooleanField(_("came"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.seats}"


class Category(models.TextChoices):
    SERVICES = "services", _("Services for families")
    SCHOOL = "school", _("School and education")
    COMMUNITY = "community", _("Community and volunteering")
    SPACES = "spaces", _("Places and spaces")
    INCLUSION = "inclusion", _("Inclusion and languages")
    NETWORK = "network", _("How the network works")


class Objective(TimeStampedModel):
    """What the network wants to reach; its actions say how far it is."""

    process = models.ForeignKey(
        Process,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("process"),
    )
    title = models.CharField(_("objective"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:objective", kwargs={"slug": self.slug})


class Proposal(TimeStampedModel):
    class State(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("proposal state", "Not answered yet")
        EVALUATING = "evaluating", pgettext_lazy("proposal state", "Being evaluated")
        ACCEPTED = "accepted", pgettext_lazy("proposal state", "Accepted")
        REJECTED = "rejected", pgettext_lazy("proposal state", "Rejected")
        IMPLEMENTED = "implemented", pgettext_lazy("proposal state", "Implemented")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal state", "Withdrawn")
        MERGED = "merged", pgettext_lazy("proposal state", "Merged into another")

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="proposals"
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("phase"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("proposal"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    # The kind of pact section (pacts' SectionKind) the proposal would change:
    # a code, since pacts sits to the right and reads it (ADR 15).
    pact_section = models.CharField(
        _("pact section it would change"), max_length=30, blank=True
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("objective"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PUBLISHED
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    supports_count = models.PositiveIntegerField(default=0, editable=False)
    # Set once, when the supports first reached the process's threshold; it
    # stays if supports drop, so coordinators are told only once.
    threshold_reached_at = models.DateTimeField(
        _("threshold reached"), null=True, blank=True, editable=False
    )
    comments_count = models.PositiveIntegerField(default=0, editable=False)
    search_document = SearchVectorField(null=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["-supports_count", "-created_at"]),
            GinIndex(fields=["search_document"], name="proposal_search_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(answer=""),
                name="rejected_proposal_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="merged")
                | models.Q(merged_into__isnull=False),
                name="merged_proposal_names_target",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal", kwargs={"pk": self.pk})

    @property
    def author_name(self) -> str:
        if self.author is None or self.author.anonymised_at:
            return str(_("A former member"))
        return self.author.short_name

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.PUBLISHED, self.State.EVALUATING}

    @property
    def awaiting_answer(self) -> bool:
        """Enough supports reached the threshold and no answer is given yet."""
        return (
            self.threshold_reached_at is not None and self.state == self.State.PUBLISHED
        )

    @property
    def hidden(self) -> bool:
        """Hidden by moderation (ADR 16); read once per object."""
        if not hasattr(self, "_hidden"):
            from retefamiglie.moderation.selectors import is_hidden

            self._hidden = is_hidden(target=self)
        return self._hidden

    @property
    def moderation_author(self) -> Any:
        return self.author

    @property
    def moderation_excerpt(self) -> str:
        return self.body


class Support(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_supports",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="one_support_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class Comment(TimeStampedModel):
    class Stance(models.TextChoices):
        IN_FAVOUR = "favour", _("In favour")
        AGAINST = "against", _("Against")
        NEUTRAL = "neutral", _("Neutral")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposal_comments",
    )
    stance = models.CharField(
        _("your position"), max_length=10, choices=Stance.choices, default="neutral"
    )
    body = models.TextField(_("comment"), max_length=3000)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.proposal.get_absolute_url()}#commento-{self.pk}"

    @property
    def author_name(self) -> str:
        if self.author is None or self.author.anonymised_at:
            return str(_("A former member"))
        return self.author.short_name

    @property
    def moderation_author(self) -> Any:
        return self.author

    @property
    def moderation_excerpt(self) -> str:
        return self.body


class Action(TimeStampedModel):
    """A way to reach an objective, owned by a member (Decidim's "result")."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("action status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
        DONE = "done", pgettext_lazy("action status", "Done")
        SUSPENDED = "suspended", pgettext_lazy("action status", "Suspended")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="action_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    """One entry of an action's timeline."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("what happened"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Action.Status.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.body[:60]

"""Family-to-family listings, the exchange that follows, messages and gratitude.

No child is ever described here: children appear only as the age band a thing
fits (DESIGN.md, privacy rules); a listing shows an area, never an address.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.models import TimeStampedModel
from retefamiglie.core.vocabularies import FitsAgeBand
from retefamiglie.network.models import Area


class Category(models.TextChoices):
    CLOTHES = "clothes", _("Clothes")
    SHOES = "shoes", _("Shoes")
    BABY_GEAR = "baby_gear", _("Baby gear (prams, carriers…)")
    CAR_SEATS = "car_seats", _("Car seats")
    FURNITURE = "furniture", _("Furniture (cots, high chairs…)")
    TOYS = "toys", _("Toys")
    BOOKS = "books", _("Books")
    SCHOOL = "school", _("School supplies")
    SPORT = "sport", _("Sport")
    SERVICES = "services", _("Services")
    EXPERIENCES = "experiences", _("Experiences")
    OTHER = "other", _("Other")


# Categories where a size is asked for.
SIZED_CATEGORIES = (Category.CLOTHES, Category.SHOES)


class ExchangeMember(TimeStampedModel):
    """A person who joined the exchange: an adult who accepted its terms."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exchange_member",
        verbose_name=_("person"),
    )
    adult_confirmed_at = models.DateTimeField(_("confirmed being 18 or over"))
    terms_version = models.CharField(
        _("version of the exchange's terms"), max_length=40
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted"))

    class Meta:
        verbose_name = _("exchange member")
        verbose_name_plural = _("exchange members")

    def __str__(self) -> str:
        # What others see of a person: never the e-mail address.
        return self.user.display_name or str(_("A family"))

    # ADR 16: a person can be flagged through their membership.
    @property
    def moderation_author(self):
        return self.user

    def moderation_visible_to(self, user) -> bool:
        return bool(user.is_authenticated)


class Listing(TimeStampedModel):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class What(models.TextChoices):
        GOOD = "good", _("A thing")
        SERVICE = "service", _("A service")
        EXPERIENCE = "experience", _("An experience")

    class How(models.TextChoices):
        GIVE = "give", _("Give away")
        LEND = "lend", _("Lend")
        SWAP = "swap", _("Swap")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        LIKE_NEW = "like_new", _("Like new")
        GOOD = "good", _("Good")
        WORN = "worn", _("Worn but usable")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved")
        LENT = "lent", _("Lent")
        CLOSED = "closed", _("Exchanged")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exchange_listings",
        verbose_name=_("published by"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    what = models.CharField(_("what"), max_length=12, choices=What.choices)
    how = models.CharField(_("how"), max_length=8, choices=How.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    age_band = models.CharField(
        _("fits children aged"), max_length=6, choices=FitsAgeBand.choices
    )
    size = models.CharField(_("size"), max_length=20, blank=True)
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, blank=True
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    pickup_window = models.CharField(
        _("when to pick it up"), max_length=120, blank=True
    )
    return_by = models.DateField(_("to be returned by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    # Kept up to date by a trigger on PostgreSQL (migration 0002); unused elsewhere.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(how="lend") | Q(return_by__isnull=False),
                name="exchange_loan_has_return_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("published_at")),
                name="exchange_expires_after_publication",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["category", "status"]),
            # The browse order of /scambio/ (selectors.browse): read in order,
            # stopping at the page's rows, instead of sorting every open listing
            # (ADR 27).
            models.Index(
                fields=["-published_at", "-id"],
                name="exchange_listing_browse",
                condition=Q(status__in=["available", "reserved"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.AVAILABLE

    @property
    def is_loan(self) -> bool:
        return self.how == self.How.LEND

    # ADR 16
    @property
    def moderation_author(self):
        return self.owner

    @property
    def moderation_excerpt(self) -> str:
        return self.description


class Photo(TimeStampedModel):
    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("listing"),
    )
    image = models.ImageField(_("photo"), upload_to="exchange/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="exchange/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(_("what the photo shows"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description


class Interest(TimeStampedModel):
    """A family's "I'm interested", with a short message to the giver."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CHOSEN = "chosen", _("Chosen")
        NOT_CHOSEN = "not_chosen", _("Not chosen")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("listing"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exchange_interests",
        verbose_name=_("person"),
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "person"], name="exchange_interest_once"
            ),
            # Race safety: two takers never hold the same listing.
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status="chosen"),
                name="exchange_one_chosen_interest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.listing}"


class Handover(TimeStampedModel):
    """What happened between giver and receiver once one family was chosen."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        HANDED_OVER = "handed_over", _("Handed over")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="handovers",
        verbose_name=_("listing"),
    )
    interest = models.OneToOneField(
        Interest, on_delete=models.CASCADE, related_name="handover"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("giver"),
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("receiver"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RESERVED
    )
    # Category and age band are copied so the network's figures survive an
    # erased listing (DESIGN.md: an anonymised trace).
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    age_band = models.CharField(
        _("age band"), max_length=6, choices=FitsAgeBand.choices
    )
    giver_confirmed_at = models.DateTimeField(null=True, blank=True)
    receiver_confirmed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    return_by = models.DateField(_("to be returned by"), null=True, blank=True)
    giver_return_confirmed_at = models.DateTimeField(null=True, blank=True)
    receiver_return_confirmed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status="reserved"),
                name="exchange_one_open_handover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.get_status_display()}"

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status == self.Status.HANDED_OVER
            and self.return_by
            and self.return_by < timezone.localdate()
        )


class Gratitude(TimeStampedModel):
    """A receiver's public thank-you after a handover (Buy Nothing's gratitude)."""

    handover = models.OneToOneField(
        Handover, on_delete=models.CASCADE, related_name="gratitude"
    )
    text = models.TextField(_("thank-you"), max_length=1000)

    class Meta:
        verbose_name = _("thank-you")
        verbose_name_plural = _("thank-yous")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Conversation(TimeStampedModel):
    """Private messages between a listing's owner and one other person."""

    listing = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("listing"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    owner_read_at = models.DateTimeField(null=True, blank=True)
    other_read_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "other"], name="exchange_conversation_once"
            ),
            models.CheckConstraint(
                condition=~Q(owner=models.F("other")),
                name="exchange_conversation_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} · {self.other}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:conversation", args=[self.pk])

    def has(self, user) -> bool:
        return user.pk in (self.owner_id, self.other_id)

    def counterpart(self, user):
        return self.other if user.pk == self.owner_id else self.owner


class Message(TimeStampedModel):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), max_length=2000)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return self.conversation.get_absolute_url()

    # ADR 16: only the two people of the conversation may flag a message.
    @property
    def moderation_author(self):
        return self.sender

    @property
    def moderation_excerpt(self) -> str:
        return self.body

    def moderation_visible_to(self, user) -> bool:
        return self.conversation.has(user)


class Block(TimeStampedModel):
    """``blocker`` no longer sees ``blocked``'s listings, nor they each other's."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(
                fields=["blocker", "blocked"], name="exchange_block_once"
            ),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")),
                name="exchange_no_self_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"

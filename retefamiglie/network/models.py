import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.models import TimeStampedModel


def _in_city_box(latitude: float | None, longitude: float | None) -> bool:
    if latitude is None or longitude is None:
        return True
    west, south, east, north = settings.RETEFAMIGLIE["CITY_BBOX"]
    return west <= longitude <= east and south <= latitude <= north


class Area(TimeStampedModel):
    """A zone or frazione of the city: where families live and services are."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    latitude = models.DecimalField(
        _("latitude of the centre"), max_digits=9, decimal_places=6
    )
    longitude = models.DecimalField(
        _("longitude of the centre"), max_digits=9, decimal_places=6
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="area_coordinates_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not _in_city_box(
            float(self.latitude) if self.latitude is not None else None,
            float(self.longitude) if self.longitude is not None else None,
        ):
            raise ValidationError(_("The centre of the area must lie within the city."))


class Organisation(TimeStampedModel):
    """A member of the network: a public body, school, association, business, group.

    A ``provider`` is no member: an organisation whose services the catalogue
    holds (brought in by an HSDS import) but that never joined the network. It
    has no profile, no staff, no pact, commitments or reports, and receives no
    referrals; coordinators keep its services.
    """

    # The object's id in Open Referral HSDS (API and imports).
    hsds_id = models.UUIDField(
        _("HSDS id"), default=uuid.uuid4, unique=True, editable=False
    )

    class Type(models.TextChoices):
        PUBLIC_BODY = "public_body", _("Public body")
        SCHOOL = "school", _("School")
        THIRD_SECTOR = "third_sector", _("Third-sector association")
        BUSINESS = "business", _("Business")
        INFORMAL_GROUP = "informal_group", _("Informal group")
        CITIZEN = "citizen", _("Active citizen")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active member")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left the network")
        PROVIDER = "provider", _("In the catalogue, not a member")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("area"),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # Organisations are listed publicly; a single citizen chooses to be.
    is_public = models.BooleanField(_("shown in the public directory"), default=True)
    show_contacts = models.BooleanField(_("show contacts publicly"), default=True)
    left_at = models.DateTimeField(_("left the network"), null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:member", kwargs={"slug": self.slug})

    @property
    def has_public_profile(self) -> bool:
        """Whether ``get_absolute_url`` leads to a page: the rows of
        ``network.selectors.public_member_profiles``."""
        return self.is_public and self.status in (
            self.Status.ACTIVE,
            self.Status.LEFT,
        )


class OrganisationStaff(TimeStampedModel):
    """A person who works for a member organisation on the platform."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    # Who works for a member shows on no public page (core.pagecache).
    changes_public_pages = False

    class Meta:
        verbose_name = _("organisation staff member")
        verbose_name_plural = _("organisation staff")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="staff_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class StaffInvitation(TimeStampedModel):
    """A member invites a colleague to manage the organisation on the platform."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=OrganisationStaff.Role.choices,
        default=OrganisationStaff.Role.EDITOR,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Who works for a member shows on no public page (core.pagecache).
    changes_public_pages = False

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class Location(TimeStampedModel):
    """A place of a member organisation where services, events and meetings
    happen (HSDS location). It was the directory's; it sits here so that every
    capability may use it (ADR 26), and keeps its table."""

    # The object's id in Open Referral HSDS (API and imports).
    hsds_id = models.UUIDField(
        _("HSDS id"), default=uuid.uuid4, unique=True, editable=False
    )

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("member organisation"),
    )
    name = models.CharField(_("name of the place"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=100, default="Lucca")
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("area"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility = models.TextField(_("accessibility of the place"), blank=True)

    class Meta:
        db_table = "directory_location"
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.address}"

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.latitude is not None and self.longitude is not None:
            west, south, east, north = settings.RETEFAMIGLIE["CITY_BBOX"]
            if not (
                south <= float(self.latitude) <= north
                and west <= float(self.longitude) <= east
            ):
                raise ValidationError(
                    _("The coordinates must lie within the city's area.")
                )

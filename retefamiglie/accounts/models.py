from django.contrib.auth.models import AbstractUser, AnonymousUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Everyone registered is at least a family member of the network.

    Coordinator and municipal officer are roles given by a superuser; staff of
    member organisations are linked in the network app.
    """

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment,misc]
    last_name = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("name shown to others"),
        max_length=80,
        blank=True,
        help_text=_("How members of the network see you, e.g. 'Giulia, mum of two'."),
    )
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Runs the network: members, pact, help requests."),
    )
    is_municipal_officer = models.BooleanField(
        _("municipal officer"),
        default=False,
        help_text=_("Signs the pact for the municipality and follows its results."),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = UserManager()  # type: ignore[misc,assignment]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")

    @property
    def short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def requires_mfa(self) -> bool:
        """Coordinators, municipal officers and superusers must use a second factor."""
        return self.is_coordinator or self.is_municipal_officer or self.is_superuser


# Whom a permission or a page is checked for: a person, or a visitor who is not
# logged in (rules' predicates and public reads receive both).
Visitor = User | AnonymousUser


class Consent(TimeStampedModel):
    """A consent someone gave, with the version of the text they accepted."""

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    version = models.CharField(_("version of the text"), max_length=40)
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="consent_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} {self.version}"

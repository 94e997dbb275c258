"""Writes on people: consent, profile, export and erasure of personal data."""

from collections.abc import Callable, Iterator
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .models import Consent, User


def consent_record(*, user: User, kind: str, version: str) -> Consent:
    """Record that ``user`` accepted version ``version`` of a text (idempotent)."""
    consent, _created = Consent.objects.get_or_create(
        user=user, kind=kind, version=version, defaults={"given_at": timezone.now()}
    )
    return consent


@transaction.atomic
def user_update_profile(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    user.full_clean()
    user.save(update_fields=["display_name"])
    return user


def _app_hooks(name: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        if callable(hook):
            yield config.label, hook


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as JSON-ready data.

    Each app contributes its part through ``export_personal_data(user)`` on its
    AppConfig, so this module needs to know none of them.
    """
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "language_roles": {
                "coordinator": user.is_coordinator,
                "municipal_officer": user.is_municipal_officer,
            },
        },
        "email_addresses": [
            {
                "email": address.email,
                "verified": address.verified,
                "primary": address.primary,
            }
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "consents": [
            {"kind": c.kind, "version": c.version, "given_at": c.given_at.isoformat()}
            for c in user.consents.all()
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }
    for label, hook in _app_hooks("export_personal_data"):
        data[label] = hook(user)
    return data


@transaction.atomic
def user_delete(*, user: User) -> User:
    """Erase ``user``'s personal data; keep an anonymous row others may rely on.

    Precondition: the person asked for it after re-authenticating. Apps erase or
    anonymise their own data through ``erase_personal_data(user)`` first; then the
    account keeps no e-mail, name, password, second factor or session.
    """
    for _label, hook in _app_hooks("erase_personal_data"):
        hook(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.consents.all().delete()
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    user.email = f"deleted-{user.pk}@invalid.invalid"
    user.display_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_coordinator = False
    user.is_municipal_officer = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save()
    return user

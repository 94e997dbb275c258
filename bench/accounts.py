"""The people the benchmark logs in as: a family and a coordinator.

Created on first use in the bench database (never in another), with an
unusable password: bench/run.py and bench/profile.py log them in by writing a
session, not through the login form.
"""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from retefamiglie.accounts.models import User

FAMILY_EMAIL = "famiglia@bench.invalid"
STAFF_EMAIL = "coordinamento@bench.invalid"


def _person(email: str, **fields: object) -> User:
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def bench_family() -> User:
    return _person(FAMILY_EMAIL, display_name="Famiglia Bench")


def bench_staff() -> User:
    """A coordinator with a second factor: sees every help request and manages
    the whole catalogue (the staff area asks coordinators for MFA)."""
    from allauth.mfa.models import Authenticator

    user = _person(STAFF_EMAIL, display_name="Coordinamento", is_coordinator=True)
    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )
    return user


def session_cookie(user: User) -> str:
    """A logged-in session of ``user``, as the value of the session cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)

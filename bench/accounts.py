"""The people the benchmark logs in as: a family and a coordinator.

Created on first use in the bench database (never in another), with an
unusable password: bench/run.py and bench/profile.py log them in by writing a
session, not through the login form. Run as a script (bench/run.py does, with
BENCH_DATABASE_URL set), it also fills the help-request inbox and prints the
session cookies as JSON.
"""

if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()


from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import models

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


def ensure_help_requests(number: int) -> None:
    """``number`` help requests in the inbox (synthetic, fixed seed), once."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from retefamiglie.helprequests.models import (
        ContactMethod,
        HelpKind,
        HelpRequest,
        Urgency,
    )
    from retefamiglie.network.models import Area

    have = HelpRequest.objects.count()
    if have >= number:
        return
    rng = random.Random(13)  # noqa: S311 - synthetic data
    areas = list(Area.objects.all())
    kinds = list(HelpKind.values)
    now = timezone.now()
    open_statuses = [s.value for s in HelpRequest.OPEN_STATUSES]
    rows = []
    for n in range(have, number):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        closed = rng.random() < 0.4
        rows.append(
            HelpRequest(
                reference=f"BEN-{n:06d}",
                kinds=rng.sample(kinds, rng.randint(1, 2)),
                description="Richiesta di prova per il banco di misura.",
                children={"6-10": rng.randint(1, 3)},
                area=rng.choice(areas) if areas else None,
                contact_method=ContactMethod.EMAIL,
                contact_email=f"famiglia{n}@bench.invalid",
                urgency=rng.choice(list(Urgency.values)),
                consent_version="bench",
                consent_at=created,
                status=HelpRequest.Status.CLOSED
                if closed
                else rng.choice(open_statuses),
                outcome="resolved" if closed else "",
                closed_at=created + timedelta(days=3) if closed else None,
            )
        )
    HelpRequest.objects.bulk_create(rows, batch_size=2000)
    HelpRequest.objects.filter(reference__startswith="BEN-").update(
        created_at=models.F("consent_at")
    )


def main() -> None:
    """Print the session cookies of the bench's people, as JSON (bench/run.py)."""
    import json

    ensure_help_requests(HELP_REQUESTS)
    print(
        json.dumps(
            {
                "family": session_cookie(bench_family()),
                "staff": session_cookie(bench_staff()),
            }
        )
    )


# The staff inbox of the targets: 10,000 help requests.
HELP_REQUESTS = 10_000

if __name__ == "__main__":
    main()

"""Every notice goes through notifications.notify (ADR 12): no app sends mail."""

import re
from pathlib import Path

APPS = Path(__file__).resolve().parents[2]
MAIL_API = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
    r"EmailMultiAlternatives|get_connection|mailers)\b"
)
# core.mail is the transport under every mailer (ADR 5): it turns a message
# into a task and back, and sends nothing of its own.
ALLOWED = {APPS / "notifications", APPS / "core" / "mail.py"}


def _sources() -> list[Path]:
    return [
        path
        for path in APPS.rglob("*.py")
        if "tests" not in path.relative_to(APPS).parts
        and "migrations" not in path.relative_to(APPS).parts
        and not any(path == allowed or allowed in path.parents for allowed in ALLOWED)
    ]


def test_no_app_but_notifications_uses_the_mail_api():
    offenders = [
        f"{path.relative_to(APPS)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if MAIL_API.search(line)
    ]
    assert offenders == []


def test_the_check_sees_the_apps():
    """The scan covers every app's code (so the test above can fail)."""
    scanned = {path.relative_to(APPS).parts[0] for path in _sources()}
    assert {"directory", "helprequests", "network", "pacts", "accounts"} <= scanned
    assert MAIL_API.search("from django.core.mail import send_mail")

"""Helpers shared by the test suites of every app."""

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image


def count_queries(client: Client, url: str) -> int:
    # Each measurement starts from an empty default cache, so what the first
    # render cached (the header's unread count) does not make the second look
    # cheaper. The page cache ("pages") is left alone.
    caches["default"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def assert_constant_queries(
    client: Client, url: str, make_rows: Callable[[int], object], n: int = 3
) -> int:
    """Render ``url`` with N rows, then 3N rows: the query count must not grow."""
    make_rows(n)
    first = count_queries(client, url)
    make_rows(2 * n)
    second = count_queries(client, url)
    assert first == second, (
        f"{url}: {first} queries with {n} rows, {second} with {3 * n} rows"
    )
    return second


def sample_file(kind: str) -> bytes:
    """A small, real file of a kind of core.uploads, for tests of uploads."""
    buffer = io.BytesIO()
    if kind in {"jpeg", "png", "webp"}:
        Image.new("RGB", (4, 3), "teal").save(buffer, format=kind.upper())
        return buffer.getvalue()
    if kind == "pdf":
        return (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
        )
    members = {
        "docx": {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"},
        "xlsx": {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"},
        "odt": {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<o/>",
        },
    }[kind]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# Roles that must have a second factor before they reach the staff pages.
# The roles every permission is tested for (conftest's ``people`` fixture has
# one person of each but "anonymous").
ROLES = [
    "anonymous",
    "family",
    "other_org_staff",
    "org_editor",
    "org_admin",
    "coordinator",
    "municipal_officer",
    "superuser",
]
ACCOUNT_ROLES = ROLES[1:]
MFA_ROLES = ("coordinator", "municipal_officer", "superuser")


def with_mfa(user: Any) -> Any:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {}}
    )
    return user


def login_as(client: Client, people: dict[str, Any], role: str) -> Any:
    """Log ``client`` in as ``people[role]`` (the shared ``people`` fixture),
    with a second factor for the roles that need one; "anonymous" stays out."""
    user = people[role]
    if user is not None:
        if role in MFA_ROLES:
            with_mfa(user)
        client.force_login(user)
    return user


def probe_settings(settings_module: str, script: str, env: dict[str, str]) -> Any:
    """Run ``script`` (it prints JSON last) in ``manage.py shell`` under other
    settings than the suite's, and return what it printed."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(  # noqa: S603 (the suite's own manage.py)
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])

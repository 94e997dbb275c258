"""Absolute links in notices, and the signed one-click unsubscribe token."""

from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# Unsubscribe tokens for the digests themselves use these pseudo-kinds.
DIGEST_KIND_PREFIX = "digest:"


class UnsubscribeTarget(TypedDict, total=False):
    u: int  # a person's id
    e: str  # or an address without an account
    k: str  # the kind (or digest:daily / digest:weekly)


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def site_path(url: str) -> str | None:
    """The path of a link to this site, or None for a link elsewhere."""
    base = settings.SITE_URL.rstrip("/")
    if url.startswith(base + "/"):
        return url[len(base) :]
    if url.startswith("/") and not url.startswith("//"):
        return url
    return None


def url_in(language: str, name: str, **kwargs: object) -> str:
    with translation.override(language):
        return absolute(reverse(name, kwargs=kwargs or None))


def unsubscribe_token(*, kind: str, user_id: int | None = None, email: str = "") -> str:
    target: UnsubscribeTarget = {"k": kind}
    if user_id is not None:
        target["u"] = user_id
    else:
        target["e"] = email.lower()
    return signing.dumps(target, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeTarget:
    """Raise ``signing.BadSignature`` for a token that was not made here."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        raise signing.BadSignature("Malformed unsubscribe token")
    return data  # type: ignore[return-value]


def unsubscribe_url(language: str, token: str) -> str:
    return url_in(language, "notifications:unsubscribe", token=token)

"""A shared cache of public pages, for visitors who are not logged in.

The catalogue pages (search, events, the home page, the open-data API) are the
same for every anonymous visitor, are read far more often than they change, and
some cost real database work (ranking thousands of search matches). The first
anonymous request for a URL renders the page and stores it in the shared cache
(Redis in production); the next ones, for ``PAGE_CACHE_SECONDS`` at most, are
served from there (ADR 10).

A page is never stale after an edit: every save or deletion of a model whose app
declares ``changes_public_pages = True`` on its AppConfig (a model may override
it with its own class attribute) changes the *version*
that is part of every key, right away and again when the transaction commits
(so a page rendered from the old rows while the edit was committing is not kept
under the new version). Time alone changes pages too (an event is over), so the
time window is part of the key as well: nothing outlives its window.

What is never stored or served from here: requests of logged-in people, requests
with a flash message waiting, anything but GET/HEAD, and responses other than a
plain 200 — pages that used the CSRF token (it is the visitor's own), or
that set cookies, vary on ``Cookie`` or say ``Cache-Control: private/no-store``.
The CSP nonce of the stored page is replaced by the nonce of the request that
reads it.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

VERSION_KEY = "pagecache:version"
VARY_DELIMITER = _lazy_re_compile(r"\s*,\s*")


def _timeout() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = str(time.time_ns())
        # Another process may have set it meanwhile: keep theirs.
        if not cache.add(VERSION_KEY, current, timeout=None):
            current = cache.get(VERSION_KEY) or current
    return str(current)


def bump() -> None:
    """Make every stored page obsolete (they expire on their own)."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def bump_now_and_on_commit() -> None:
    bump()
    transaction.on_commit(bump)


def _changes_public_pages(sender: Any) -> bool:
    # A model may say otherwise than its app: derived rows whose writer renews
    # the pages once, rather than once per row.
    if isinstance(own := getattr(sender, "changes_public_pages", None), bool):
        return own
    # Models of migrations' historical registries have stub configs: no.
    config = getattr(getattr(sender, "_meta", None), "app_config", None)
    return bool(getattr(config, "changes_public_pages", False))


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if _changes_public_pages(sender):
        bump_now_and_on_commit()


def connect_signals() -> None:
    """Called from CoreConfig.ready()."""
    post_save.connect(_on_change, dispatch_uid="pagecache.post_save")
    post_delete.connect(_on_change, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="pagecache.m2m_changed")


def _on_m2m_change(sender, action: str, **kwargs) -> None:
    if action.startswith("post_") and _changes_public_pages(sender):
        bump_now_and_on_commit()


def _key(request: HttpRequest, timeout: int) -> str:
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    window = int(time.time() // timeout)
    htmx = "h" if request.headers.get("HX-Request") == "true" else "p"
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"pagecache:{version()}:{window}:{language}:{htmx}:{digest}"


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # len() loads waiting messages without marking them shown.
    return len(get_messages(request)) == 0


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The page holds a CSRF token: it is this visitor's (and unmasks to their
    # secret), never to be shown to another.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    vary = {v.strip().lower() for v in VARY_DELIMITER.split(response.get("Vary", ""))}
    if "cookie" in vary or "*" in vary:
        return False
    control = response.get("Cache-Control", "").lower()
    return "private" not in control and "no-store" not in control


def _nonce(request: HttpRequest) -> str:
    """The request's CSP nonce if the page used it, else ''."""
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce else ""


def cache_public_page(view: Callable) -> Callable:
    """Serve ``view`` to anonymous visitors from the shared page cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        timeout = _timeout()
        if timeout <= 0 or not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = _key(request, timeout)
        entry = cache.get(key)
        if entry is not None:
            return _response_from(request, entry)
        response = view(request, *args, **kwargs)
        # The partial (htmx) and the full page share a URL: tell browsers too.
        patch_vary_headers(response, ("HX-Request",))
        if _may_store(request, response):
            cache.set(key, _entry_of(request, response), timeout)
        return response

    return wrapped


def _entry_of(request: HttpRequest, response: HttpResponse) -> dict:
    return {
        "content": response.content,
        # The view's own headers; middleware adds its own to every response.
        "headers": list(response.items()),
        "nonce": _nonce(request),
    }


def _response_from(request: HttpRequest, entry: dict) -> HttpResponse:
    content: bytes = entry["content"]
    if entry["nonce"]:
        fresh = str(request._csp_nonce)  # type: ignore[attr-defined]
        content = content.replace(entry["nonce"].encode(), fresh.encode())
    response = HttpResponse(content)
    for header, value in entry["headers"]:
        response[header] = value
    return response

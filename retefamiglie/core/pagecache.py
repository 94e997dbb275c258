"""A shared cache of public pages, for visitors who are not logged in.

The catalogue pages (search, events, the home page, the open-data API) are the
same for every anonymous visitor, are read far more often than they change, and
some cost real database work (ranking thousands of search matches). The first
anonymous request for a URL renders the page and stores it in the shared cache
(the "pages" cache: Redis in production, apart from the rate-limit counters);
the next ones, for ``PAGE_CACHE_SECONDS`` at most, are served from there
(ADR 10). If that cache is unreachable, pages are rendered as if it were off.

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
import logging
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from .middleware import mark_public

VERSION_KEY = "pagecache:version"
VARY_DELIMITER = _lazy_re_compile(r"\s*,\s*")
# The cache alias (settings.CACHES) holding the pages: apart from the counters
# of the rate limits, so that filling it with pages never evicts a counter.
CACHE_ALIAS = "pages"

logger = logging.getLogger(__name__)


def _timeout() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def version() -> str | None:
    """The current version of every page, or None if the cache is unreachable."""
    try:
        current = _cache().get(VERSION_KEY)
        if current is None:
            current = uuid.uuid4().hex
            # Another process may have set it meanwhile: keep theirs.
            if not _cache().add(VERSION_KEY, current, timeout=None):
                current = _cache().get(VERSION_KEY) or current
    except Exception:  # the cache is down: pages are rendered, not stored
        logger.warning("Page cache unreachable", exc_info=True)
        return None
    return str(current)


def bump() -> None:
    """Make every stored page obsolete (they expire on their own)."""
    try:
        # Random, not the time: a frozen clock (tests) must still renew pages.
        _cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # Saving must not fail for the cache's sake; stored pages expire within
        # PAGE_CACHE_SECONDS anyway.
        logger.error("Page cache unreachable: pages not renewed", exc_info=True)


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
    if not kwargs.get("raw"):  # loaddata
        bump_now_and_on_commit()


def _on_m2m_change(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump_now_and_on_commit()


def connect_signals() -> None:
    """Listen to the models that change public pages, and to them only.

    Called from CoreConfig.ready(), when every model is loaded. A receiver for
    every sender would cost each ``QuerySet.delete()`` of the project Django's
    fast path (one DELETE): it would load the rows to send their signals.
    """
    for model in apps.get_models(include_auto_created=True):
        if not _changes_public_pages(model):
            continue
        uid = f"pagecache.{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}.delete")
        if model._meta.auto_created:  # a many-to-many link table
            m2m_changed.connect(_on_m2m_change, sender=model, dispatch_uid=f"{uid}.m2m")


def _key(request: HttpRequest, timeout: int, current: str) -> str:
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    window = int(time.time() // timeout)
    htmx = "h" if request.headers.get("HX-Request") == "true" else "p"
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"pagecache:{current}:{window}:{language}:{htmx}:{digest}"


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
        # Public for browsers too (core.middleware.PrivateByDefaultMiddleware).
        mark_public(request)
        timeout = _timeout()
        if timeout <= 0 or not _may_use_cache(request):
            return view(request, *args, **kwargs)
        current = version()
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, timeout, current)
        try:
            entry = _cache().get(key)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
            return view(request, *args, **kwargs)
        if entry is not None:
            return _response_from(request, entry)
        response = view(request, *args, **kwargs)
        # The partial (htmx) and the full page share a URL: tell browsers too.
        patch_vary_headers(response, ("HX-Request",))
        if _may_store(request, response):
            try:
                _cache().set(key, _entry_of(request, response), timeout)
            except Exception:
                logger.warning("Page cache unreachable", exc_info=True)
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


_MISSING = object()


def versioned_many(
    names: list[str], render_missing: Callable[[list[int]], list[str]]
) -> list[str]:
    """The value of each of ``names``, kept like ``versioned``.

    One read of the cache for all of them; ``render_missing(indexes)`` makes
    those it lacked (in the order of ``indexes``), written back at once: the
    cards of a page of results (ADR 30). ``names`` must say everything the value
    depends on besides the version (language, the item, its own stamps).
    """
    timeout = _fragment_timeout()
    current = version() if timeout > 0 else None
    if current is None:
        return render_missing(list(range(len(names))))
    keys = [
        f"pagecache:{current}:fragment:"
        + hashlib.sha256(name.encode()).hexdigest()[:40]
        for name in names
    ]
    try:
        found = _cache().get_many(keys)
    except Exception:
        logger.warning("Page cache unreachable", exc_info=True)
        return render_missing(list(range(len(names))))
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        rendered = dict(zip(missing, render_missing(missing), strict=True))
        try:
            _cache().set_many(
                {keys[index]: value for index, value in rendered.items()}, timeout
            )
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
        found.update({keys[index]: value for index, value in rendered.items()})
    return [found[key] for key in keys]


class CardLoader:
    """The ``load`` of ``{% same_for_everyone_each %}`` for one page of rows.

    The first time a card is missing, ``load(rows)`` reads the details of every
    row of the page, once: a page whose cards come in several groups (the days
    of the events list) still reads them in a constant number of queries, and
    a page whose cards are all kept reads none (ADR 30).
    """

    def __init__(self, rows: Any, load: Callable[[list], list]) -> None:
        self.rows = rows
        self.load = load
        self._loaded: dict | None = None

    def __call__(self, items: list) -> list:
        if self._loaded is None:
            self._loaded = {row.pk: row for row in self.load(list(self.rows))}
        return [self._loaded[item.pk] for item in items]


def _fragment_timeout() -> int:
    return int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0) or 0)


def versioned[T](name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the pages cache under the current version (ADR 20).

    For values that only the catalogue changes (never the time or the visitor):
    the count of every published service, for instance. Unlike pages, they are
    shared by logged-in people too, and kept even when the page cache is off
    (``PAGE_CACHE_SECONDS=0``), for ``FRAGMENT_CACHE_SECONDS`` at most (0 turns
    this off). If the cache is unreachable, the value is computed.
    """
    timeout = _fragment_timeout()
    current = version() if timeout > 0 else None
    if current is None:
        return compute()
    digest = hashlib.sha256(name.encode()).hexdigest()[:40]
    key = f"pagecache:{current}:fragment:{digest}"
    try:
        value = _cache().get(key, _MISSING)
    except Exception:
        logger.warning("Page cache unreachable", exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            _cache().set(key, value, timeout)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
    return value  # type: ignore[return-value]

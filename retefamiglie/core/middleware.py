"""Headers every response carries."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY``: the browser
    features no page of the site uses are turned off for it and its frames."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


PUBLIC_MARK = "_retefamiglie_public_page"


def mark_public(request: HttpRequest) -> None:
    """Say that this request's page is the same for every visitor (see
    ``PrivateByDefaultMiddleware``)."""
    setattr(request, PUBLIC_MARK, True)


def public_page[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Opt a view in to being kept by browsers and proxies for visitors who are
    not logged in. Views under ``core.pagecache.cache_public_page`` are already."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        mark_public(request)
        return view(request, *args, **kwargs)

    return cast(V, wrapped)


class PrivateByDefaultMiddleware:
    """``Cache-Control: no-store`` on every response, unless it is a public page
    (``public_page``, ``cache_public_page``) for a visitor who is not logged in.

    A logged-in person's pages carry their name and their data; pages reached
    with a private token (a family's link to its request) or holding a form's
    CSRF token are one visitor's too. Private is the default, so that a new page
    is never kept by a shared cache or the browser's history by mistake.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged_in = bool(user is not None and user.is_authenticated)
        public = getattr(request, PUBLIC_MARK, False)
        # A page holding a CSRF token or setting a cookie is this visitor's.
        own = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies)
        if logged_in or own or not public:
            add_never_cache_headers(response)
        return response

"""The web app manifest, the service worker and the push subscription endpoints."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from retefamiglie.core.types import AuthenticatedHttpRequest

from . import push, services

ICON_SIZES = (192, 512)


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    network = settings.RETEFAMIGLIE
    icons = [
        {
            "src": static(f"img/icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in ICON_SIZES
    ] + [
        {
            "src": static("img/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    ]
    data = {
        "name": network["NETWORK_NAME"],
        "short_name": network["NETWORK_NAME"][:12],
        "description": network["NETWORK_TAGLINE"],
        "lang": settings.LANGUAGE_CODE,
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0066cc",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "notifications/sw.js",
        {"icon": static("img/icons/icon-192.png")},
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def _subscription(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body)
        keys = data["keys"]
        endpoint = str(data["endpoint"])
        found = {
            "endpoint": endpoint,
            "p256dh": str(keys["p256dh"]),
            "auth": str(keys["auth"]),
        }
    except (ValueError, KeyError, TypeError):
        return None
    # Push services are HTTPS; only the tests' local one may be plain HTTP.
    if (
        not endpoint.startswith("https://")
        and not settings.NOTIFICATIONS_PUSH_ALLOW_HTTP
    ):
        return None
    return found


@login_required
@require_POST
def push_subscribe(request: AuthenticatedHttpRequest) -> JsonResponse:
    if not push.enabled():
        return JsonResponse({"error": "push is off"}, status=404)
    found = _subscription(request)
    if found is None:
        return JsonResponse({"error": "invalid subscription"}, status=400)
    services.push_subscribe(
        user=request.user,
        device=request.headers.get("User-Agent", ""),
        **found,
    )
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: AuthenticatedHttpRequest) -> JsonResponse:
    found = _subscription(request)
    if found is None:
        return JsonResponse({"error": "invalid subscription"}, status=400)
    services.push_unsubscribe(user=request.user, endpoint=found["endpoint"])
    return JsonResponse({"ok": True})

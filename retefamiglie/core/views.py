from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from .middleware import public_page
from .pagecache import cache_public_page
from .uploads import attachment_response


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    """The home page; apps add sections through ``home_section(request)`` on their
    AppConfig, returning ``(template_name, context)`` or None (ADR 3)."""
    sections = []
    for config in apps.get_app_configs():
        hook = getattr(config, "home_section", None)
        if callable(hook) and (section := hook(request)) is not None:
            sections.append(section)
    return render(request, "core/home.html", {"sections": sections})


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public_page
@require_GET
def media(request: HttpRequest, path: str) -> FileResponse:
    """An uploaded file, always as a download (core.uploads): never shown as a
    page of the site, whatever it contains."""
    try:
        if not default_storage.exists(path):
            raise Http404
        file = default_storage.open(path, "rb")
    except (SuspiciousFileOperation, FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    return attachment_response(file, name=path)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database or a setting may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)

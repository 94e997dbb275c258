from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from retefamiglie.core.types import AuthenticatedHttpRequest

from . import kinds, links, selectors, services
from .forms import PreferencesForm
from .models import Notification, NotificationSettings

PAGE_SIZE = 20


@never_cache
@login_required
def centre(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.centre_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@never_cache
@login_required
def open_notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    target = links.site_path(notification.url)
    return redirect(target or "notifications:centre")


def _back_to_centre(request: HttpRequest) -> HttpResponseRedirect:
    page = request.POST.get("pagina", "")
    url = "notifications:centre"
    response = redirect(url)
    if page.isdigit():
        response["Location"] += f"?pagina={page}"
    return response


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    return _back_to_centre(request)


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return _back_to_centre(request)


def _include_staff(user: object) -> bool:
    return bool(
        getattr(user, "is_coordinator", False)
        or getattr(user, "is_municipal_officer", False)
        or getattr(user, "is_superuser", False)
        or user.has_perm("network.access_staff_area")  # type: ignore[attr-defined]
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = NotificationSettings.objects.filter(user=request.user).first()
    initial = {
        "language": current.language if current else get_language(),
        "quiet_from": current.quiet_from if current else "21:00",
        "quiet_until": current.quiet_until if current else "08:00",
    }
    form = PreferencesForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        include_staff=_include_staff(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            user=request.user,
            frequencies=form.frequencies(),
            language=form.cleaned_data["language"],
            quiet_from=form.cleaned_data["quiet_from"],
            quiet_until=form.cleaned_data["quiet_until"],
        )
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _describe(kind: str) -> str:
    if kind == links.DIGEST_KIND_PREFIX + "daily":
        return _("the daily digest")
    if kind == links.DIGEST_KIND_PREFIX + "weekly":
        return _("the weekly digest")
    spec = kinds.registry().get(kind)
    return str(spec.label) if spec else kind


# The token is the authority (signed, per person and kind): a mail client's
# one-click POST (RFC 8058) carries no CSRF token and no session.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = links.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    context = {
        "what": _describe(target["k"]),
        "has_account": "u" in target,
        "done": False,
    }
    if request.method == "POST":
        services.unsubscribe(token=token)
        context["done"] = True
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
    return render(request, "notifications/unsubscribe.html", context)

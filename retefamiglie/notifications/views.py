from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from retefamiglie.core.types import AuthenticatedHttpRequest

from . import follow_targets, kinds, links, push, selectors, services
from .forms import (
    ChildForm,
    InterestsForm,
    PreferencesForm,
    SavedSearchFrequencyForm,
    SaveSearchForm,
)
from .models import Child, Notification, NotificationSettings, SavedSearch

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
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "push_key": settings.VAPID_PUBLIC_KEY if push.enabled() else "",
            "push_devices": request.user.push_subscriptions.count(),
        },
    )


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


# The family: children and interests (ADR 13) ---------------------------------


def _family_page(
    request: AuthenticatedHttpRequest,
    child_form: ChildForm | None = None,
    interests_form: InterestsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = selectors.family_profile(request.user)
    today = timezone.localdate()
    children = [
        (child, child.age_on(today)) for child in selectors.children_of(request.user)
    ]
    return render(
        request,
        "notifications/family.html",
        {
            "children": children,
            "child_form": child_form or ChildForm(),
            "interests_form": interests_form
            or InterestsForm(
                initial={
                    "areas": profile.areas if profile else [],
                    "languages": profile.languages if profile else [],
                }
            ),
        },
        status=status,
    )


@never_cache
@login_required
def family(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _family_page(request)


@never_cache
@login_required
@require_POST
def child_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ChildForm(request.POST)
    if not form.is_valid():
        return _family_page(request, child_form=form, status=400)
    services.child_add(
        user=request.user,
        birth_year=form.cleaned_data["birth_year"],
        birth_month=form.cleaned_data["birth_month"],
    )
    messages.success(request, _("Child added."))
    return redirect("family:page")


@login_required
@require_POST
def child_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(Child, pk=pk, user=request.user)
    services.child_remove(user=request.user, child=child)
    messages.success(request, _("Child removed."))
    return redirect("family:page")


@never_cache
@login_required
@require_POST
def interests(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InterestsForm(request.POST)
    if not form.is_valid():
        return _family_page(request, interests_form=form, status=400)
    services.family_profile_update(
        user=request.user,
        areas=form.cleaned_data["areas"],
        languages=form.cleaned_data["languages"],
    )
    messages.success(request, _("Your interests have been saved."))
    return redirect("family:page")


# Saved searches ---------------------------------------------------------------


def _search_url(search: SavedSearch) -> str:
    scope = kinds.search_scopes().get(search.scope)
    if scope is None:
        return ""
    url = reverse(scope.url_name)
    return f"{url}?{search.query}" if search.query else url


@never_cache
@login_required
def saved_searches(request: AuthenticatedHttpRequest) -> HttpResponse:
    scopes = kinds.search_scopes()
    rows = [
        {
            "search": search,
            "url": _search_url(search),
            "list": scopes[search.scope].label if search.scope in scopes else "",
            "form": SavedSearchFrequencyForm(
                initial={"frequency": search.frequency}, prefix=f"s{search.pk}"
            ),
        }
        for search in selectors.saved_searches_of(request.user)
    ]
    return render(request, "notifications/saved_searches.html", {"rows": rows})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def saved_search_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page to name a search (linked from a list with its filters)."""
    if request.method == "POST":
        form = SaveSearchForm(request.POST)
        if form.is_valid():
            search = services.saved_search_save(user=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Search saved: we will tell you when something new matches it."),
            )
            return redirect(_search_url(search) or "notifications:saved_searches")
    else:
        form = SaveSearchForm(
            initial={
                "scope": request.GET.get("lista", ""),
                "query": request.GET.get("filtri", ""),
            }
        )
    scope = kinds.search_scopes().get(str(form["scope"].value() or ""))
    return render(
        request,
        "notifications/save_search.html",
        {"form": form, "scope": scope, "query": form["query"].value() or ""},
        status=200 if request.method == "GET" or scope else 400,
    )


@login_required
@require_POST
def saved_search_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    form = SavedSearchFrequencyForm(request.POST, prefix=f"s{search.pk}")
    if form.is_valid():
        services.saved_search_update(
            user=request.user, search=search, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Saved."))
    return redirect("notifications:saved_searches")


@login_required
@require_POST
def saved_search_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.saved_search_delete(user=request.user, search=search)
    messages.success(request, _("Search deleted."))
    return redirect("notifications:saved_searches")


# Follows ------------------------------------------------------------------------


@login_required
@require_POST
def follow_toggle(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Follow or stop following what the signed ``target`` names."""
    try:
        target = follow_targets.read(request.POST.get("target", ""))
    except (signing.BadSignature, LookupError):
        return HttpResponse(status=400)
    if request.POST.get("action") == "unfollow":
        services.unfollow(user=request.user, target=target)
        messages.success(request, _("You no longer follow it."))
    else:
        services.follow(user=request.user, target=target)
        messages.success(
            request, _("You follow it now: we will tell you what changes.")
        )
    back = links.site_path(request.POST.get("next", ""))
    return redirect(back or "notifications:follows")


@never_cache
@login_required
def follows(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = []
    for found in selectors.follows_of(request.user):
        model = found.target_type.model_class()
        target = (
            model._default_manager.filter(pk=found.target_id).first() if model else None
        )
        if target is not None:
            rows.append({"target": target, "token": follow_targets.make(target)})
    return render(request, "notifications/follows.html", {"rows": rows})

"""Staff area of the catalogue: member organisations manage their listings.

Staff of a member see and change only their organisation's services, events and
places; coordinators see all and choose what the home page features. Bookings
hold personal data: their pages are never cached by the browser.
"""

import csv
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import cast

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.pagination import CappedPaginator
from retefamiglie.core.vocabularies import AgeBand, Language

from .. import selectors
from ..forms_manage import (
    EventForm,
    LocationForm,
    ManagementFilterForm,
    ServiceForm,
    opening_hours_formset,
    opening_hours_of,
)
from ..models import Booking, Event, Location, Publishable, Service
from ..services import listings
from ..services.events import event_occurrences

KINDS: dict[str, type[Service] | type[Event]] = {"servizi": Service, "eventi": Event}
# Upcoming dates of an event listed on its bookings page even before any booking.
UPCOMING_DATES_SHOWN = 10
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _get_service(request, slug, **kwargs) -> Service:
    return get_object_or_404(Service.objects.select_related("organisation"), slug=slug)


def _get_event(request, slug, **kwargs) -> Event:
    return get_object_or_404(
        Event.objects.select_related("organisation", "location"), slug=slug
    )


def _get_listing(request, kind, slug, **kwargs) -> Service | Event:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    listing = get_object_or_404(model.objects.select_related("organisation"), slug=slug)
    return cast(Service | Event, listing)


def _get_location(request, pk, **kwargs) -> Location:
    return get_object_or_404(Location.objects.select_related("organisation"), pk=pk)


def _staff_view(permission: str, *, fn=None, methods=("GET", "POST"), private=False):
    """Login, permission (with the object), MFA for the roles that need it."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            # Django lets a superuser through every has_perm: the rule itself
            # decides on the object.
            if fn is not None and not rules.has_perm(
                permission, request.user, fn(request, **kwargs)
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = require_http_methods(list(methods))(checked)
        if private:
            wrapped = never_cache(wrapped)
        wrapped = mfa_required_for_roles(wrapped)
        wrapped = permission_required(permission, fn=fn, raise_exception=True)(wrapped)
        return login_required(wrapped)

    return decorate


def _organisations(request):
    return selectors.listing_organisations_for(user=request.user)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("directory:manage")


# ------------------------------------------------------------------------------
# The list
# ------------------------------------------------------------------------------


MANAGEMENT_PAGE_SIZE = 25


def _management_page(request, queryset, parameter: str):
    """One table's page of primary keys (the rows come with their details in a
    second query): its own page parameter, the other parameters kept."""
    keys = queryset.values_list("pk", flat=True)
    page = CappedPaginator(keys, MANAGEMENT_PAGE_SIZE).get_page(
        request.GET.get(parameter)
    )
    others = request.GET.copy()
    others.pop(parameter, None)
    return page, others.urlencode()


@_staff_view("directory.manage_listings", methods=("GET",))
def manage(request):
    """Services and events the person may change, 25 of each per page, newest
    first, narrowed by name and status: a page of rows at any catalogue size."""
    user = request.user
    filters = ManagementFilterForm(request.GET or None)
    criteria = {}
    if filters.is_valid():
        criteria = {
            "words": filters.cleaned_data["cerca"],
            "status": filters.cleaned_data["stato"],
        }
    services, services_query = _management_page(
        request, selectors.manageable_services(user=user, **criteria), "pagina_servizi"
    )
    events, events_query = _management_page(
        request, selectors.manageable_events(user=user, **criteria), "pagina_eventi"
    )
    context = {
        "filters": filters,
        "filtered": bool(criteria and any(criteria.values())),
        "services": services,
        "service_rows": selectors.with_service_details(list(services)),
        "services_query": services_query,
        "events": events,
        "event_rows": selectors.with_event_details(list(events)),
        "events_query": events_query,
        "can_feature": rules.has_perm("directory.feature_listing", user),
        "published": Publishable.Status.PUBLISHED,
    }
    return render(request, "directory/manage/list.html", context)


@_staff_view("directory.change_listing", fn=_get_listing, methods=("POST",))
def listing_action(request, kind, slug):
    listing = _get_listing(request, kind, slug)
    action = request.POST.get("action", "")
    user = request.user
    if action in ("feature", "unfeature") and not rules.has_perm(
        "directory.feature_listing", user, listing
    ):
        raise PermissionDenied
    name = {"name": listing.name}
    try:
        if action == "publish":
            listings.listing_publish(actor=user, listing=listing)
            messages.success(
                request, _("“%(name)s” is published: families can find it.") % name
            )
        elif action == "unpublish":
            listings.listing_unpublish(actor=user, listing=listing)
            messages.success(
                request,
                _("“%(name)s” is back to draft: families no longer see it.") % name,
            )
        elif action == "duplicate":
            copy = listings.listing_duplicate(actor=user, listing=listing)
            messages.success(
                request,
                _("A draft copy of “%(name)s” is ready: check it, then publish it.")
                % name,
            )
            return redirect(_edit_url_name(copy), slug=copy.slug)
        elif action in ("feature", "unfeature"):
            listings.listing_feature(
                actor=user, listing=listing, featured=action == "feature"
            )
            messages.success(
                request,
                _("“%(name)s” is on the home page.") % name
                if action == "feature"
                else _("“%(name)s” is no longer on the home page.") % name,
            )
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request)


def _edit_url_name(listing: Model) -> str:
    return (
        "directory:service_edit"
        if isinstance(listing, Service)
        else "directory:event_edit"
    )


# ------------------------------------------------------------------------------
# Services
# ------------------------------------------------------------------------------


def _service_page(request, service: Service | None):
    organisations = _organisations(request)
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, instance=service, organisations=organisations)
    hours = opening_hours_formset(data, organisations=organisations, service=service)
    if data is not None:
        form_valid = form.is_valid()
        if hours.is_valid() and form_valid:
            cleaned = form.cleaned_data
            try:
                saved = listings.service_save(
                    actor=request.user,
                    service=service,
                    categories=cleaned["categories"],
                    places=cleaned["places"],
                    opening_hours=opening_hours_of(hours),
                    **{name: cleaned[name] for name in listings.SERVICE_FIELDS},
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _saved_message(saved, created=not service))
                return redirect("directory:manage")
    return render(
        request,
        "directory/manage/service_form.html",
        {"form": form, "hours": hours, "service": service},
    )


def _saved_message(listing: Service | Event, *, created: bool) -> str:
    if created:
        return _(
            "“%(name)s” has been saved as a draft: publish it when it is ready."
        ) % {"name": listing.name}
    return _("“%(name)s” has been saved.") % {"name": listing.name}


@_staff_view("directory.manage_listings")
def service_create(request):
    return _service_page(request, None)


@_staff_view("directory.change_listing", fn=_get_service)
def service_edit(request, slug):
    return _service_page(request, _get_service(request, slug))


# ------------------------------------------------------------------------------
# Events
# ------------------------------------------------------------------------------


def _event_page(request, event: Event | None):
    organisations = _organisations(request)
    data = request.POST if request.method == "POST" else None
    form = EventForm(data, instance=event, organisations=organisations)
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        fields = {name: cleaned[name] for name in listings.EVENT_FIELDS}
        try:
            saved = listings.event_save(
                actor=request.user,
                event=event,
                categories=cleaned["categories"],
                **fields,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _saved_message(saved, created=not event))
            return redirect("directory:manage")
    return render(
        request, "directory/manage/event_form.html", {"form": form, "event": event}
    )


@_staff_view("directory.manage_listings")
def event_create(request):
    return _event_page(request, None)


@_staff_view("directory.change_listing", fn=_get_event)
def event_edit(request, slug):
    return _event_page(request, _get_event(request, slug))


# ------------------------------------------------------------------------------
# Bookings of an event
# ------------------------------------------------------------------------------


@dataclass
class OccurrenceBookings:
    starts_at: datetime
    confirmed: list[Booking] = field(default_factory=list)
    waiting: list[Booking] = field(default_factory=list)

    @property
    def confirmed_seats(self) -> int:
        return sum(booking.seats for booking in self.confirmed)

    @property
    def waiting_seats(self) -> int:
        return sum(booking.seats for booking in self.waiting)

    @property
    def children_by_band(self) -> list[tuple[str, int]]:
        """Confirmed children per age band: (label, count)."""
        return [
            (str(label), sum(int(b.children.get(band, 0)) for b in self.confirmed))
            for band, label in AgeBand.choices
        ]


def _by_occurrence(event: Event) -> list[OccurrenceBookings]:
    groups: dict[datetime, OccurrenceBookings] = {
        occurrence.starts_at: OccurrenceBookings(occurrence.starts_at)
        for occurrence in event_occurrences(
            event, start=timezone.now(), limit=UPCOMING_DATES_SHOWN
        )
    }
    languages = dict(Language.choices)
    for booking in selectors.bookings_for_staff(event=event):
        group = groups.setdefault(
            booking.occurrence, OccurrenceBookings(booking.occurrence)
        )
        booking.bands = [int(booking.children.get(b, 0)) for b in AgeBand.values]
        booking.interpreter = languages.get(booking.interpreter_language, "")
        if booking.status == Booking.Status.CONFIRMED:
            group.confirmed.append(booking)
        else:
            group.waiting.append(booking)
            booking.position = len(group.waiting)
    return [groups[key] for key in sorted(groups)]


@_staff_view("directory.view_bookings", fn=_get_event, methods=("GET",), private=True)
def event_bookings(request, slug):
    event = _get_event(request, slug)
    context = {
        "event": event,
        "occurrences": _by_occurrence(event),
        "bands": AgeBand.choices,
    }
    return render(request, "directory/manage/bookings.html", context)


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@_staff_view("directory.view_bookings", fn=_get_event, methods=("GET",), private=True)
def event_bookings_csv(request, slug):
    event = _get_event(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="prenotazioni-{event.slug}.csv"'
    )
    # A byte-order mark, so that spreadsheets read the accents as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Status"),
            _("Position in the waiting list"),
            _("Name"),
            _("E-mail"),
            _("Adults"),
            *(_("Children %(band)s") % {"band": label} for label in AgeBand.labels),
            _("Childcare"),
            _("Accessibility needs"),
            _("Interpreter"),
            _("Booked at"),
        ]
    )
    yes, no = _("yes"), _("no")
    for group in _by_occurrence(event):
        for booking in [*group.confirmed, *group.waiting]:
            writer.writerow(
                [
                    _local(booking.occurrence),
                    booking.get_status_display(),
                    getattr(booking, "position", ""),
                    _cell(booking.name),
                    _cell(booking.email),
                    booking.adults,
                    *booking.bands,
                    yes if booking.needs_childcare else no,
                    _cell(booking.accessibility_needs),
                    booking.interpreter,
                    _local(booking.created_at),
                ]
            )
    return response


# ------------------------------------------------------------------------------
# Places
# ------------------------------------------------------------------------------


@_staff_view("directory.manage_listings", methods=("GET",))
def locations(request):
    return render(
        request,
        "directory/manage/locations.html",
        {"locations": selectors.manageable_locations(user=request.user)},
    )


def _location_page(request, location: Location | None):
    data = request.POST if request.method == "POST" else None
    form = LocationForm(data, instance=location, organisations=_organisations(request))
    if data is not None and form.is_valid():
        try:
            saved = listings.location_save(
                actor=request.user,
                location=location,
                **{name: form.cleaned_data[name] for name in listings.LOCATION_FIELDS},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The place “%(name)s” has been saved.") % {"name": saved.name},
            )
            return redirect("directory:locations")
    return render(
        request,
        "directory/manage/location_form.html",
        {"form": form, "location": location},
    )


@_staff_view("directory.manage_listings")
def location_create(request):
    return _location_page(request, None)


@_staff_view("directory.change_listing", fn=_get_location)
def location_edit(request, pk):
    return _location_page(request, _get_location(request, pk))

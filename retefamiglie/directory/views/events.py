"""Events for families: list and calendar, event page, calendar feeds, bookings.

A booking needs no account: its private link (a long random token, looked up in
the database) is the key to it, so every page that shows one is kept out of
caches and search engines.
"""

import calendar
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from retefamiglie.core import ratelimit
from retefamiglie.core.forms import bounded_month
from retefamiglie.core.pagecache import CardLoader, cache_public_page

from .. import ical, jsonld, selectors
from ..forms_events import BookingForm, EventFilterForm, local_midnight
from ..models import Booking, Event, EventOccurrence, Language
from ..services import bookings as booking_services
from ..services.events import (
    Occurrence,
    city_tz,
    event_occurrences,
)
from . import query_string

PAGE_SIZE = 20
# Dates offered in the booking form and listed on the event page.
NEXT_OCCURRENCES = 12
# The calendar feed reaches back this far by default, so recent events stay.
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 366


def private_page(view):
    """Keep a page with a family's booking out of caches and search engines."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# The list and the calendar ------------------------------------------------------

# A day of the calendar lists this many dates, then links to the rest.
CALENDAR_DAY_LIMIT = 4


@require_GET
@cache_public_page
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    is_calendar = request.GET.get("vista") == "calendario"
    context: dict[str, Any] = {
        "form": form,
        "is_calendar": is_calendar,
        "list_query": query_string(request, "vista", "mese", "page"),
        "calendar_query": query_string(request, "page", vista="calendario"),
        "feed_query": query_string(request, "vista", "mese", "page"),
    }
    if is_calendar:
        context.update(_calendar_context(request, form, filters))
    else:
        context.update(_list_context(request, form, filters))
    template = "directory/events/list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def _list_context(
    request: HttpRequest, form: EventFilterForm, filters: dict
) -> dict[str, Any]:
    today = timezone.localdate()
    first, last = form.date_range(today)
    # Today's list leaves out what is already over, and keeps what is going on.
    start = timezone.now() if first == today else local_midnight(first)
    # Keys and times; the cards not kept read their rows (ADR 30).
    occurrences = selectors.event_occurrences_between(
        start=start, end=local_midnight(last + timedelta(days=1)), **filters
    ).only("id", "starts_at", "ends_at", "event")
    page = Paginator(occurrences, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "load_cards": CardLoader(page.object_list, selectors.occurrences_for_cards),
        "first_day": first,
        "last_day": last,
        "page_query": query_string(request, "page"),
    }


def _calendar_context(
    request: HttpRequest, form: EventFilterForm, filters: dict
) -> dict[str, Any]:
    today = timezone.localdate()
    first_of_range, _last = form.date_range(today)
    month = bounded_month(request.GET.get("mese"), first_of_range)
    weeks_of_days = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        month.year, month.month
    )
    grid_start, grid_end = weeks_of_days[0][0], weeks_of_days[-1][-1]
    occurrences = selectors.for_calendar(
        selectors.event_occurrences_between(
            start=local_midnight(grid_start),
            end=local_midnight(grid_end + timedelta(days=1)),
            **filters,
        ),
        per_day=CALENDAR_DAY_LIMIT,
    )
    by_day: dict[date, list[EventOccurrence]] = {}
    totals: dict[date, int] = {}
    for occurrence in occurrences:
        by_day.setdefault(occurrence.local_date, []).append(occurrence)
        totals[occurrence.local_date] = occurrence.day_total  # type: ignore[attr-defined]

    def cell(day: date) -> dict[str, Any]:
        shown = by_day.get(day, [])
        more = totals.get(day, 0) - len(shown)
        return {
            "date": day,
            "in_month": day.month == month.month,
            "is_today": day == today,
            "occurrences": shown,
            # The rest of a busy day: the list of that day, same filters.
            "more": more,
            "more_query": query_string(
                request,
                "page",
                "vista",
                "mese",
                dal=day.isoformat(),
                al=day.isoformat(),
            )
            if more
            else "",
        }

    weeks = [[cell(day) for day in week] for week in weeks_of_days]
    previous_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    return {
        "month": month,
        "weeks": weeks,
        "weekdays": [date_format(day, "l") for day in weeks_of_days[0]],  # Monday first
        "month_days": [
            day
            for week in weeks
            for day in week
            if day["in_month"] and day["occurrences"]
        ],
        "previous_month": previous_month,
        "next_month": next_month,
        "previous_query": query_string(
            request, "page", vista="calendario", mese=f"{previous_month:%Y-%m}"
        ),
        "next_query": query_string(
            request, "page", vista="calendario", mese=f"{next_month:%Y-%m}"
        ),
    }


# The event page -------------------------------------------------------------------


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    event = selectors.events_published().filter(slug=slug).first()
    if event is not None:
        return event
    # Its own staff may look at a draft before publishing it.
    draft = (
        Event.objects.select_related("organisation", "location__area")
        .prefetch_related("categories")
        .filter(slug=slug)
        .first()
    )
    if draft is not None and request.user.has_perm("directory.change_listing", draft):
        return draft
    raise Http404


def _booking_form(
    request: HttpRequest, event: Event, occurrences: list[Occurrence], data=None
) -> BookingForm | None:
    now = timezone.now()
    bookable = [o for o in occurrences if o.starts_at > now]
    if not event.booking_enabled or not bookable:
        return None
    seats_taken = None
    if event.capacity is not None:
        seats_taken = selectors.event_seats_taken(
            event=event, moments=[o.starts_at for o in bookable]
        )
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.short_name, "email": request.user.email}
    return BookingForm(
        data,
        event=event,
        occurrences=bookable,
        seats_taken=seats_taken,
        initial=initial,
    )


def _render_detail(
    request: HttpRequest,
    event: Event,
    occurrences: list[Occurrence],
    form: BookingForm | None,
    status: int = 200,
) -> HttpResponse:
    language_names = dict(Language.choices)
    response = render(
        request,
        "directory/events/detail.html",
        {
            "event": event,
            # A provider, or a member not listed, has no profile to link to.
            "organisation_url": event.organisation.get_absolute_url()
            if event.organisation.has_public_profile
            else "",
            "occurrences": occurrences,
            "form": form,
            "json_ld": jsonld.as_script_text(jsonld.event_data(event, occurrences)),
            "languages": [language_names.get(code, code) for code in event.languages],
            "categories": list(event.categories.all()),
            "is_draft": event.status != Event.Status.PUBLISHED,
        },
        status=status,
    )
    if request.user.is_authenticated or (form is not None and form.is_bound):
        # The form holds the person's name and address.
        add_never_cache_headers(response)
    return response


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    occurrences = event_occurrences(event, start=timezone.now(), limit=NEXT_OCCURRENCES)
    return _render_detail(
        request, event, occurrences, _booking_form(request, event, occurrences)
    )


# Calendar files -------------------------------------------------------------------


@require_GET
@cache_public_page
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.events_published().filter(slug=slug).first()
    if event is None:
        raise Http404
    return ical.event_calendar_response(event)


@require_GET
@cache_public_page
def event_feed(request: HttpRequest) -> HttpResponse:
    """Every published event matching the filters, one VEVENT with its RRULE each."""
    form = EventFilterForm(request.GET or None)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    first = data.get("dal") or today - timedelta(days=FEED_PAST_DAYS)
    last = data.get("al") or today + timedelta(days=FEED_FUTURE_DAYS)
    events = selectors.events_between(
        start=local_midnight(first),
        end=local_midnight(last + timedelta(days=1)),
        **form.filters(),
    ).order_by("starts_at", "pk")
    return ical.events_feed_response(events)


# Bookings -------------------------------------------------------------------------


@private_page
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.events_published().filter(slug=slug).first()
    if event is None or not event.booking_enabled:
        raise Http404
    if request.method == "GET":
        return redirect(event)
    occurrences = event_occurrences(event, start=timezone.now(), limit=NEXT_OCCURRENCES)
    form = _booking_form(request, event, occurrences, data=request.POST)
    if form is None:
        messages.error(request, _("This event has no more dates to book."))
        return redirect(event)
    if form.is_valid() and (refusal := _booking_refusal(request, form)):
        form.add_error(None, refusal)
        return _render_detail(request, event, occurrences, form, status=429)
    if form.is_valid():
        try:
            booking = booking_services.booking_create(
                event=event,
                occurrence=form.booking_occurrence(),
                data=form.booking_data(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _booking_message(booking))
            return redirect("directory:booking", token=booking.token)
    return _render_detail(request, event, occurrences, form)


BOOKINGS_PER_ADDRESS_PER_HOUR = 20
BOOKINGS_PER_EMAIL_PER_DAY = 10


def _booking_refusal(request: HttpRequest, form) -> str | None:
    """Anyone may book without an account, and each booking sends an e-mail to the
    address typed: limit both, per client address and per e-mail address."""
    address = ratelimit.client_address(request)
    if ratelimit.hit("bookings:ip", address, 3600) > BOOKINGS_PER_ADDRESS_PER_HOUR:
        return _(
            "Too many bookings have been made from this connection in the last hour. "
            "What you wrote is still here: please try again later."
        )
    email = form.cleaned_data["email"].strip().lower()
    if ratelimit.hit("bookings:email", email, 86400) > BOOKINGS_PER_EMAIL_PER_DAY:
        return _(
            "Too many bookings have been made today with this e-mail address. "
            "What you wrote is still here: please try again tomorrow."
        )
    return None


def _booking_message(booking: Booking) -> str:
    if booking.status == Booking.Status.UNCONFIRMED:
        return _(
            "Almost done: we have sent you an e-mail. Open the link in it to confirm "
            "your booking."
        )
    if booking.status == Booking.Status.WAITING:
        return _(
            "All the seats are taken: you are on the waiting list. If a seat becomes "
            "free, we will confirm your booking and write to you."
        )
    return _("Your booking is confirmed. We have sent you an e-mail.")


def _booking_or_404(token: str) -> Booking:
    booking = selectors.booking_for_token(token)
    if booking is None:
        raise Http404
    return booking


@private_page
@require_GET
def booking_confirm(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    was_unconfirmed = booking.status == Booking.Status.UNCONFIRMED
    try:
        booking = booking_services.booking_confirm(booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_unconfirmed:
            messages.success(request, _booking_message(booking))
    return redirect("directory:booking", token=booking.token)


def _can_cancel(booking: Booking) -> bool:
    return (
        booking.status != Booking.Status.CANCELLED
        and booking.occurrence > timezone.now()
    )


@private_page
@require_GET
def booking_detail(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    local = booking.occurrence.astimezone(city_tz())
    return render(
        request,
        "directory/events/booking.html",
        {
            "booking": booking,
            "event": booking.event,
            "starts_at": local,
            "ends_at": local + (booking.event.ends_at - booking.event.starts_at),
            "position": selectors.booking_waiting_position(booking),
            "children": _children_display(booking),
            "can_cancel": _can_cancel(booking),
        },
    )


def _children_display(booking: Booking) -> list[tuple[str, int]]:
    labels = dict(booking_services.AgeBand.choices)
    return [
        (str(labels[band]), count)
        for band, count in booking.children.items()
        if band in labels and count
    ]


@private_page
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    if not _can_cancel(booking):
        return redirect("directory:booking", token=booking.token)
    if request.method == "POST":
        try:
            booking_services.booking_cancel(booking=booking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your booking has been cancelled."))
        return redirect("directory:booking", token=booking.token)
    return render(
        request,
        "directory/events/cancel.html",
        {
            "booking": booking,
            "event": booking.event,
            "starts_at": booking.occurrence.astimezone(city_tz()),
        },
    )

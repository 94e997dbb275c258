"""Staff area for help requests: coordinators and member organisations.

Every read of a request's details is logged (services.access_record) and never
cached by the browser; every action is its own POST, checked with its object.
"""

import uuid
from dataclasses import dataclass
from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.vocabularies import language_name
from retefamiglie.network.models import Organisation

from .. import selectors, services
from ..models import (
    AccessLog,
    Activity,
    HelpKind,
    HelpOffer,
    HelpRequest,
    Outcome,
    Referral,
    Urgency,
)
from ..rules import is_network_manager
from ..staff_forms import (
    CloseForm,
    DeclineForm,
    HelpOfferForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    PeriodForm,
    ReferForm,
    TriageForm,
)

PAGE_SIZE = 25
# Steps the family itself took.
FAMILY_KINDS = (
    Activity.Kind.SUBMITTED,
    Activity.Kind.MESSAGE_FROM_FAMILY,
    Activity.Kind.WITHDRAWN,
)


def _get_request(request, public_id, **kwargs) -> HelpRequest:
    return get_object_or_404(
        HelpRequest.objects.select_related("area"), public_id=public_id
    )


def _get_referral(request, public_id, referral_id, **kwargs) -> Referral:
    return get_object_or_404(
        Referral.objects.select_related("request", "organisation"),
        pk=referral_id,
        request__public_id=public_id,
    )


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# ------------------------------------------------------------------------------
# Inbox
# ------------------------------------------------------------------------------


# Any UUID: the detail URL is reversed once per page and this id swapped for each row's.
_URL_PLACEHOLDER = uuid.UUID(int=0)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _prepare_rows(page) -> None:
    """What each row shows, worked out once per page (ADR 0029).

    The same words and links as the models' get_*_display and get_absolute_url,
    without reversing a URL, rebuilding the choices and translating each label
    again for every row.
    """
    now = timezone.now()
    url = reverse("helprequests:staff_detail", kwargs={"public_id": _URL_PLACEHOLDER})
    placeholder = str(_URL_PLACEHOLDER)
    statuses = _labels(HelpRequest.Status.choices)
    urgencies = _labels(Urgency.choices)
    kinds = _labels(HelpKind.choices)
    referral_statuses = _labels(Referral.Status.choices)
    for help_request in page:
        help_request.url = url.replace(placeholder, str(help_request.public_id))
        created = timezone.localtime(help_request.created_at)
        help_request.created_iso = created.strftime("%Y-%m-%dT%H:%M:%S%z")
        help_request.created_display = date_format(created, "DATETIME_FORMAT")
        # A closed request no longer waits.
        help_request.waited = (
            timesince(help_request.created_at, now) if help_request.is_open else ""
        )
        help_request.kinds_display = ", ".join(
            kinds.get(kind, kind) for kind in help_request.kinds
        )
        help_request.status_label = statuses.get(
            help_request.status, help_request.status
        )
        help_request.urgency_label = urgencies.get(
            help_request.urgency, help_request.urgency
        )
        for referral in help_request.referrals.all():
            referral.status_label = referral_statuses.get(
                referral.status, referral.status
            )


@login_required
@permission_required("helprequests.access_inbox", raise_exception=True)
@mfa_required_for_roles
@require_GET
@never_cache
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    status = form.selected_status()
    page = _paginate(request, selectors.inbox_for(user=request.user, status=status))
    _prepare_rows(page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "is_manager": is_network_manager(request.user),
    }
    template = "helprequests/staff/inbox.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


# ------------------------------------------------------------------------------
# Detail and its actions
# ------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    activity: Activity
    is_internal: bool
    from_family: bool
    family_text: str


def _timeline(help_request: HelpRequest) -> list[TimelineEntry]:
    """Activities with the words the family read, translated for the reader."""
    outcome = dict(Outcome.choices).get(help_request.outcome, help_request.outcome)
    entries = []
    for activity in selectors.activities_for(
        help_request=help_request, family_view=False
    ):
        family_text = ""
        if activity.public_text:
            family_text = _(activity.public_text) % {
                "name": activity.organisation.name if activity.organisation else "",
                "outcome": outcome,
            }
        entries.append(
            TimelineEntry(
                activity=activity,
                is_internal=not activity.visible_to_family,
                from_family=activity.kind in FAMILY_KINDS,
                family_text=family_text,
            )
        )
    return entries


def _forms(request, help_request: HelpRequest, bound: dict) -> dict:
    """Every action form the user may use, unbound unless it came back with errors."""
    user = request.user

    def may(permission: str, obj=help_request) -> bool:
        # The rules themselves, not user.has_perm, which lets superusers do anything
        # even on a closed request.
        return rules.has_perm(f"helprequests.{permission}", user, obj)

    forms: dict = {}
    if may("triage_request"):
        forms["triage_form"] = bound.get("triage") or TriageForm(
            prefix="triage",
            initial={"kinds": help_request.kinds, "urgency": help_request.urgency},
        )
    if may("refer_request"):
        forms["refer_form"] = bound.get("refer") or ReferForm(
            prefix="refer",
            help_request=help_request,
            suggestions=selectors.suggestions_for(help_request=help_request),
        )
    pending = selectors.my_referrals(user=user, help_request=help_request).filter(
        status=Referral.Status.PENDING
    )
    forms["answerable"] = [
        (
            referral,
            bound.get(f"decline-{referral.pk}")
            or DeclineForm(prefix=f"decline-{referral.pk}"),
        )
        for referral in pending
        if may("answer_referral", referral)
    ]
    if may("message_family"):
        forms["message_form"] = bound.get("message") or MessageForm(prefix="message")
    if may("add_note"):
        forms["note_form"] = bound.get("note") or NoteForm(prefix="note")
    if may("close_request"):
        forms["close_form"] = bound.get("close") or CloseForm(prefix="close")
    return forms


def _render_detail(request, help_request: HelpRequest, bound=None, status=200):
    # Showing the page with a rejected form shows the details again: it is a read.
    services.access_record(user=request.user, help_request=help_request)
    context = {
        "help_request": help_request,
        "referrals": selectors.referrals_for(help_request=help_request),
        "timeline": _timeline(help_request),
        "language": language_name(help_request.language),
        "error_section": next(iter(bound or {}), None),
        **_forms(request, help_request, bound or {}),
    }
    # Every action needs an open request (rules.py): a closed one shows none.
    context["has_actions"] = bool(context["answerable"]) or any(
        f"{name}_form" in context
        for name in ("triage", "refer", "message", "note", "close")
    )
    return render(request, "helprequests/staff/detail.html", context, status=status)


def _back(help_request: HelpRequest):
    return redirect("helprequests:staff_detail", public_id=help_request.public_id)


def _staff_action(permission: str, fn=_get_request):
    """Login, permission with the object, MFA, POST only, never cached."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            # Django lets a superuser through every has_perm; the rule itself also
            # says whether the request is still open or the referral pending.
            if not rules.has_perm(permission, request.user, fn(request, **kwargs)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = mfa_required_for_roles(never_cache(require_POST(checked)))
        wrapped = permission_required(permission, fn=fn, raise_exception=True)(wrapped)
        return login_required(wrapped)

    return decorate


@login_required
@permission_required("helprequests.view_request", fn=_get_request, raise_exception=True)
@mfa_required_for_roles
@require_GET
@never_cache
def detail(request, public_id):
    return _render_detail(request, _get_request(request, public_id))


def _handle(request, help_request, prefix, form_class, write, done):
    """Validate one action form, call its service, go back or show the errors."""
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            write(actor=request.user, help_request=help_request, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return _back(help_request)
    return _render_detail(request, help_request, {prefix: form})


@_staff_action("helprequests.triage_request")
def triage(request, public_id):
    return _handle(
        request,
        _get_request(request, public_id),
        "triage",
        TriageForm,
        services.request_triage,
        _("The request has been triaged."),
    )


@_staff_action("helprequests.refer_request")
def refer(request, public_id):
    help_request = _get_request(request, public_id)
    form = ReferForm(
        request.POST,
        prefix="refer",
        help_request=help_request,
        suggestions=selectors.suggestions_for(help_request=help_request),
    )
    if form.is_valid():
        try:
            referrals = services.request_refer(
                actor=request.user,
                help_request=help_request,
                organisations=list(form.cleaned_data["organisations"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The request has been sent to: %(names)s.")
                % {"names": ", ".join(r.organisation.name for r in referrals)}
                if referrals
                else _("Those organisations already have the request."),
            )
            return _back(help_request)
    return _render_detail(request, help_request, {"refer": form})


@_staff_action("helprequests.answer_referral", fn=_get_referral)
def accept(request, public_id, referral_id):
    referral = _get_referral(request, public_id, referral_id)
    try:
        services.referral_accept(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s has taken the request on. Get in touch with the family.")
            % {"name": referral.organisation.name},
        )
    return _back(referral.request)


@_staff_action("helprequests.answer_referral", fn=_get_referral)
def decline(request, public_id, referral_id):
    referral = _get_referral(request, public_id, referral_id)
    prefix = f"decline-{referral.pk}"
    form = DeclineForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.referral_decline(
                actor=request.user,
                referral=referral,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("You declined the request: the coordinator has been told.")
            )
            if request.user.has_perm("helprequests.view_request", referral.request):
                return _back(referral.request)
            # Once it declined, the organisation no longer sees the request.
            return redirect("helprequests:inbox")
    return _render_detail(request, referral.request, {prefix: form})


@_staff_action("helprequests.message_family")
def message(request, public_id):
    return _handle(
        request,
        _get_request(request, public_id),
        "message",
        MessageForm,
        services.message_to_family,
        _("Your message has been sent to the family."),
    )


@_staff_action("helprequests.add_note")
def note(request, public_id):
    return _handle(
        request,
        _get_request(request, public_id),
        "note",
        NoteForm,
        services.note_add,
        _("The internal note has been added."),
    )


@_staff_action("helprequests.close_request")
def close(request, public_id):
    return _handle(
        request,
        _get_request(request, public_id),
        "close",
        CloseForm,
        services.request_close,
        _("The request has been closed."),
    )


# ------------------------------------------------------------------------------
# Statistics, access log, help offers
# ------------------------------------------------------------------------------


def _rows(pairs: list[tuple[str, int]], total: int) -> list[dict]:
    return [
        {
            "label": label,
            "count": count,
            "percent": round(100 * count / total) if total else 0,
        }
        for label, count in pairs
    ]


@login_required
@permission_required("helprequests.view_statistics", raise_exception=True)
@mfa_required_for_roles
@require_GET
def statistics(request):
    form = PeriodForm(request.GET or None)
    since, until = form.period()
    figures = selectors.statistics(since=since, until=until)
    median = figures.median_first_answer
    now = timezone.now()
    # A request may need several kinds of help: shares of kinds can add up to
    # more than 100%. Outcomes are shares of the closed requests.
    tables = [
        (_("Requests by kind of help"), _("Kind of help"), figures.by_kind, None),
        (_("Requests by area"), _("Area"), figures.by_area, None),
        (_("Requests by status"), _("Status"), figures.by_status, None),
        (
            _("Closed requests by outcome"),
            _("Outcome"),
            figures.by_outcome,
            figures.closed,
        ),
    ]
    context = {
        "form": form,
        "figures": figures,
        "median_first_answer": timesince(now - median, now) if median else None,
        "closed_share": round(100 * figures.closed_with_outcome_share)
        if figures.closed_with_outcome_share is not None
        else None,
        "tables": [
            {
                "caption": caption,
                "header": header,
                "rows": _rows(pairs, figures.total if base is None else base),
            }
            for caption, header, pairs, base in tables
        ],
    }
    return render(request, "helprequests/staff/statistics.html", context)


@login_required
@permission_required("helprequests.view_access_log", raise_exception=True)
@mfa_required_for_roles
@require_GET
@never_cache
def access_log(request):
    entries = AccessLog.objects.select_related("user", "organisation", "request")
    return render(
        request,
        "helprequests/staff/access_log.html",
        {"page": _paginate(request, entries)},
    )


def _offer_of(organisation: Organisation) -> HelpOffer | None:
    try:
        return organisation.help_offer
    except HelpOffer.DoesNotExist:
        return None


@login_required
@permission_required("helprequests.change_helpoffer", raise_exception=True)
@mfa_required_for_roles
@require_GET
def offers(request):
    organisations = list(
        selectors.organisations_for_referral()
        .select_related("help_offer")
        .prefetch_related(Prefetch("help_offer__areas"))
    )
    kinds = dict(HelpKind.choices)
    for organisation in organisations:
        offer = _offer_of(organisation)
        organisation.offer = offer
        if offer is not None:
            offer.kind_labels = [str(kinds.get(k, k)) for k in offer.kinds]
            offer.language_labels = [language_name(c) for c in offer.languages]
    return render(
        request, "helprequests/staff/offers.html", {"organisations": organisations}
    )


def _get_organisation(request, slug, **kwargs) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


@login_required
@permission_required("helprequests.change_helpoffer", raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def offer_edit(request, slug):
    organisation = _get_organisation(request, slug)
    offer = _offer_of(organisation) or HelpOffer(organisation=organisation)
    form = HelpOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        # Settings of an organisation, not a step of a request: no workflow to run.
        form.save()
        messages.success(
            request,
            _("The help offered by %(name)s has been saved.")
            % {"name": organisation.name},
        )
        return redirect("helprequests:offers")
    return render(
        request,
        "helprequests/staff/offer_edit.html",
        {"form": form, "organisation": organisation},
    )

"""The family side: ask for help, follow the request by its private link.

No account is needed: the private link (tokens.py) is the key to a request, so
every page that shows one is kept out of caches and search engines.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from retefamiglie.core import ratelimit

from .. import selectors, services
from ..forms import HelpRequestForm, ReplyForm, WithdrawForm
from ..models import Activity, HelpRequest
from ..tokens import make_token, read_token

Status = HelpRequest.Status

# What each state means for the family, in plain words.
STATUS_SENTENCES: dict[str, str | Promise] = {
    Status.NEW: gettext_lazy(
        "We received your request. A coordinator of the network will read it soon."
    ),
    Status.IN_TRIAGE: gettext_lazy(
        "A coordinator is reading your request and looking for who can help you."
    ),
    Status.REFERRED: gettext_lazy(
        "Your request has been sent to a member of the network who can help. They "
        "will answer soon."
    ),
    Status.ACCEPTED: gettext_lazy(
        "A member of the network has taken on your request and will get in touch "
        "with you."
    ),
    Status.IN_PROGRESS: gettext_lazy(
        "Someone in the network is helping you. Their messages are below."
    ),
    Status.DECLINED: gettext_lazy(
        "The member of the network we asked could not help. The coordinator is "
        "looking for someone else."
    ),
    Status.CLOSED: gettext_lazy("Your request is closed."),
    Status.WITHDRAWN: gettext_lazy("You withdrew your request. It is closed."),
}

STEPS = [
    gettext_lazy("Sent"),
    gettext_lazy("Read by a coordinator"),
    gettext_lazy("Sent to who can help"),
    gettext_lazy("Someone is helping"),
    gettext_lazy("Closed"),
]
STEP_OF_STATUS: dict[str, int] = {
    Status.NEW: 0,
    Status.IN_TRIAGE: 1,
    Status.REFERRED: 2,
    Status.DECLINED: 2,
    Status.ACCEPTED: 3,
    Status.IN_PROGRESS: 3,
    Status.CLOSED: 4,
    Status.WITHDRAWN: 4,
}


def private_page(view):
    """Keep a page with a family's data out of caches and search engines.

    ``never_cache`` sends ``Cache-Control: no-store`` (with no-cache, private and
    max-age=0): neither the browser nor a proxy keeps a copy of the page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# Rate limits ------------------------------------------------------------------

REPLIES_PER_HOUR = 20


def _hit(scope: str, value: str, window: int) -> int:
    return ratelimit.hit(f"helprequests:{scope}", value, window)


def _phone_key(phone: str) -> str:
    """The same Italian number however it was typed: 333 12…, +39 333…, 0039 333…"""
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+39"):
        digits = digits[2:]
    elif digits.startswith("0039"):
        digits = digits[4:]
    return digits


def _contacts(data: dict) -> list[str]:
    contacts = []
    if data.get("contact_email"):
        contacts.append("email:" + data["contact_email"].strip().lower())
    if data.get("contact_phone"):
        contacts.append("phone:" + _phone_key(data["contact_phone"]))
    return contacts


def _refusal(request: HttpRequest, data: dict) -> str | None:
    """Why this submission goes over a limit, or None. Counts it either way."""
    address = ratelimit.client_address(request)
    if _hit("ip", address, 3600) > settings.HELPREQUESTS_LIMIT_PER_IP_PER_HOUR:
        return _(
            "Too many requests have been sent from this connection in the last hour. "
            "Nothing you wrote is lost: please try again later, or call us."
        )
    limit = settings.HELPREQUESTS_LIMIT_PER_CONTACT_PER_DAY
    for contact in _contacts(data):
        if _hit("contact", contact, 86400) > limit:
            return _(
                "Too many requests have been sent today with this phone number or "
                "e-mail address. Nothing you wrote is lost: please try again "
                "tomorrow, or call us."
            )
    return None


# Asking for help ---------------------------------------------------------------


@private_page
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial["contact_email"] = request.user.email
    form = HelpRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        refusal = _refusal(request, form.cleaned_data)
        if refusal:
            form.add_error(None, refusal)
            return _render_ask(request, form, status=429)
        data = form.submission_data()
        help_request, token = services.request_submit(data=data, family=request.user)
        text = _(
            "Your request has been sent. This page is your private link: bookmark it "
            "or save it to follow your request and read our answers."
        )
        if help_request.contact_email:
            # The address itself stays out of the message cookie.
            text += " " + _("We have also sent the link to your e-mail address.")
        messages.success(request, text)
        return redirect("helprequests:status", token=token)
    return _render_ask(request, form, status=200)


def _render_ask(request: HttpRequest, form: HelpRequestForm, status: int):
    return render(
        request,
        "helprequests/family/ask.html",
        {"form": form, "retention_months": settings.HELPREQUESTS_RETENTION_MONTHS},
        status=status,
    )


# The private status page ------------------------------------------------------


def _request_for_token(token: str) -> HelpRequest:
    """The request behind a private link; a bad link and a missing request 404 alike."""
    public_id = read_token(token)
    if public_id is None:
        raise Http404
    try:
        return HelpRequest.objects.select_related("area").get(public_id=public_id)
    except HelpRequest.DoesNotExist:
        raise Http404 from None


def _render_status(
    request: HttpRequest,
    help_request: HelpRequest,
    token: str,
    *,
    reply_form: ReplyForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    activities = list(
        selectors.activities_for(help_request=help_request, family_view=True)
    )
    return render(
        request,
        "helprequests/family/status.html",
        {
            "help_request": help_request,
            "token": token,
            "sentence": STATUS_SENTENCES.get(help_request.status, ""),
            "steps": _steps(help_request, activities),
            "activities": activities,
            "reply_form": reply_form or ReplyForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "private_link": request.build_absolute_uri(
                reverse("helprequests:status", kwargs={"token": token})
            ),
        },
        status=status,
    )


def _steps(help_request: HelpRequest, activities: list[Activity]) -> list[dict]:
    """The progress indicator: each step done, current, to come, or skipped."""
    current = STEP_OF_STATUS.get(help_request.status, 0)
    if help_request.is_open:
        reached = set(range(current + 1))
    else:
        # A request can close at any point: mark only the steps it went through.
        kinds = {activity.kind for activity in activities}
        reached = {0, current}
        if kinds & {Activity.Kind.TRIAGED, Activity.Kind.REFERRED}:
            reached.add(1)
        if Activity.Kind.REFERRED in kinds:
            reached.add(2)
        if kinds & {Activity.Kind.ACCEPTED, Activity.Kind.MESSAGE_TO_FAMILY}:
            reached.add(3)
    return [
        {
            "label": label,
            "current": index == current,
            "done": index in reached and (index < current or not help_request.is_open),
            "skipped": index not in reached and index < current,
        }
        for index, label in enumerate(STEPS)
    ]


@private_page
@require_http_methods(["GET"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    help_request = _request_for_token(token)
    return _render_status(request, help_request, token)


@private_page
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, token: str) -> HttpResponse:
    help_request = _request_for_token(token)
    if request.method == "GET":
        return redirect("helprequests:status", token=token)
    form = ReplyForm(request.POST)
    if form.is_valid() and (
        # A leaked link must not become a way to flood the staff with e-mails.
        _hit("reply", help_request.public_id.hex, 3600) > REPLIES_PER_HOUR
    ):
        form.add_error(
            None,
            _(
                "You have sent many messages in the last hour. Your message is "
                "still here: please send it a little later."
            ),
        )
    elif form.is_valid():
        try:
            services.family_reply(
                help_request=help_request, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("helprequests:status", token=token)
    return _render_status(request, help_request, token, reply_form=form)


@private_page
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    help_request = _request_for_token(token)
    if request.method == "GET":
        return redirect("helprequests:status", token=token)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.request_withdraw(
                help_request=help_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your request has been withdrawn. You can ask for help again at "
                    "any time."
                ),
            )
            return redirect("helprequests:status", token=token)
    return _render_status(request, help_request, token, withdraw_form=form)


# A family with an account -----------------------------------------------------


@private_page
@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    help_requests = HelpRequest.objects.filter(family_id=request.user.pk).only(
        "public_id", "reference", "created_at", "status", "outcome"
    )
    return render(
        request,
        "helprequests/family/my_requests.html",
        {"help_requests": help_requests},
    )


@private_page
@login_required
def my_request(request: HttpRequest, public_id) -> HttpResponse:
    try:
        help_request = HelpRequest.objects.get(public_id=public_id)
    except HelpRequest.DoesNotExist:
        raise Http404 from None
    # Another family's request answers exactly as a missing one.
    if not request.user.has_perm("helprequests.view_own_request", help_request):
        raise Http404
    return redirect("helprequests:status", token=make_token(help_request.public_id))

"""Pages of the exchange. Thin: check, validate, call one service, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.pagination import CappedPaginator
from retefamiglie.moderation.selectors import active_suspension, is_hidden

from . import safety, selectors, services
from .announce import SCOPE as SAVED_SEARCH_SCOPE
from .forms import (
    GratitudeForm,
    InterestForm,
    JoinForm,
    ListingForm,
    MessageForm,
    PhotoForm,
    SearchForm,
)
from .models import Conversation, Handover, Interest, Listing, Photo
from .rules import SCOPE, is_participant

PAGE_SIZE = 24


def _suspension(request):
    if not request.user.is_authenticated:
        return None
    return active_suspension(person=request.user, scope=SCOPE)


def _must_take_part(request):
    """Redirect a person who has not joined the exchange to the joining page."""
    if request.user.has_perm("exchange.take_part"):
        return None
    if _suspension(request) is not None:
        raise PermissionDenied
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('exchange:join')}?{query}")


def _listing(request, pk: int) -> Listing:
    listing = get_object_or_404(Listing.objects.select_related("owner", "area"), pk=pk)
    if not request.user.has_perm("exchange.view_listing", listing):
        raise Http404
    return listing


@require_GET
def listing_list(request):
    form = SearchForm(request.GET or None)
    listings = selectors.browse(user=request.user, **form.filters())
    page = CappedPaginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "save_search_url": _save_search_url(request, query.urlencode()),
            "gratitudes": selectors.gratitudes() if not request.GET else [],
            "suspension": _suspension(request),
        },
    )


def _save_search_url(request, query: str) -> str:
    """Where "Save this search" leads: the page that names the filters (ADR 13),
    through joining the exchange first for a person who has not (adults only)."""
    if not query or not request.user.is_authenticated:
        return ""
    url = reverse("notifications:saved_search_create")
    url = f"{url}?{urlencode({'lista': SAVED_SEARCH_SCOPE, 'filtri': query})}"
    if request.user.has_perm("exchange.take_part"):
        return url
    return f"{reverse('exchange:join')}?{urlencode({'next': url})}"


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("exchange:create")
    if request.user.has_perm("exchange.take_part"):
        return redirect(next_url)
    suspension = _suspension(request)
    form = JoinForm(request.POST or None)
    verified = request.user.emailaddress_set.filter(verified=True).exists()
    if request.method == "POST" and form.is_valid() and verified and not suspension:
        try:
            services.member_join(
                user=request.user,
                adult=form.cleaned_data["adult"],
                accept_terms=form.cleaned_data["accept_terms"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Welcome to the exchange."))
            return redirect(next_url)
    return render(
        request,
        "exchange/join.html",
        {
            "form": form,
            "next": next_url,
            "verified": verified,
            "suspension": suspension,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request):
    if (response := _must_take_part(request)) is not None:
        return response
    form = ListingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photos = [(upload, data["photo_description"]) for upload in data["photos"]]
        try:
            listing = services.listing_create(
                actor=request.user,
                kind=data["kind"],
                what=data["what"],
                how=data["how"],
                category=data["category"],
                age_band=data["age_band"],
                area=data["area"],
                title=data["title"],
                description=data["description"],
                size=data["size"],
                condition=data["condition"],
                pickup_window=data["pickup_window"],
                return_by=data["return_by"],
                photos=photos,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your listing is published."))
            return redirect(listing)
    return render(
        request,
        "exchange/form.html",
        {"form": form, "prompts": safety.all_prompts()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request, pk: int):
    listing = _listing(request, pk)
    if not request.user.has_perm("exchange.change_listing", listing):
        raise PermissionDenied
    initial = {field: getattr(listing, field) for field in services.EDITABLE}
    form = ListingForm(request.POST or None, initial=initial, with_photos=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(
                actor=request.user, listing=listing, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your listing is updated."))
            return redirect(listing)
    return render(
        request,
        "exchange/form.html",
        {
            "form": form,
            "listing": listing,
            "photo_form": PhotoForm(),
            "photos": listing.photos.all(),
            "prompts": safety.all_prompts(),
        },
    )


@login_required
@require_POST
def photos_add(request, pk: int):
    listing = _listing(request, pk)
    if not request.user.has_perm("exchange.change_listing", listing):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for upload in form.cleaned_data["photos"]:
                services.photo_add(
                    actor=request.user,
                    listing=listing,
                    upload=upload,
                    description=form.cleaned_data["photo_description"],
                )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Photos added."))
    else:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
    return redirect("exchange:edit", pk=listing.pk)


@login_required
@require_POST
def photo_delete(request, pk: int):
    photo = get_object_or_404(Photo.objects.select_related("listing"), pk=pk)
    services.photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("exchange:edit", pk=photo.listing_id)


def _detail_context(request, listing: Listing, **forms) -> dict:
    user = request.user
    listing = selectors.listing_detail(pk=listing.pk)
    handover = selectors.current_handover(listing=listing)
    is_owner = user.is_authenticated and listing.owner_id == user.pk
    in_handover = handover is not None and user.pk in (
        handover.giver_id,
        handover.receiver_id,
    )
    simmer_ends = services.simmer_ends_at(listing)
    context = {
        "listing": listing,
        "photos": listing.photos.all(),
        "prompts": safety.prompts_for(listing.category),
        "is_owner": is_owner,
        "hidden": is_hidden(target=listing),
        "handover": handover,
        "in_handover": in_handover,
        "gratitude": getattr(handover, "gratitude", None) if handover else None,
        "can_interest": user.has_perm("exchange.express_interest", listing),
        "can_write": user.has_perm("exchange.write_to_owner", listing),
        "can_edit": user.has_perm("exchange.change_listing", listing),
        "can_renew": user.has_perm("exchange.renew_listing", listing),
        "my_interest": selectors.interest_of(listing=listing, user=user),
        "simmer_ends": simmer_ends,
        "simmering": timezone.now() < simmer_ends,
        "interest_form": InterestForm(),
        "gratitude_form": GratitudeForm(),
        "owner_blocked": user.is_authenticated
        and not is_owner
        and selectors.is_blocked(blocker=user, blocked=listing.owner),
        **forms,
    }
    if is_owner:
        context["interests"] = list(selectors.interests_for(listing=listing))
    return context


@require_GET
def listing_detail(request, pk: int):
    listing = _listing(request, pk)
    return render(request, "exchange/detail.html", _detail_context(request, listing))


def _back(listing_or_pk) -> str:
    pk = getattr(listing_or_pk, "pk", listing_or_pk)
    return reverse("exchange:detail", args=[pk])


def _run(request, action, success: str, back: str):
    """Run a service for a POST button; show its error as a message."""
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect(back)


@login_required
@require_POST
def listing_withdraw(request, pk: int):
    listing = _listing(request, pk)
    return _run(
        request,
        lambda: services.listing_withdraw(actor=request.user, listing=listing),
        _("The listing is withdrawn."),
        _back(listing),
    )


@login_required
@require_POST
def listing_renew(request, pk: int):
    listing = _listing(request, pk)
    return _run(
        request,
        lambda: services.listing_renew(actor=request.user, listing=listing),
        _("The listing is published again for 30 days."),
        _back(listing),
    )


@login_required
@require_POST
def interest_create(request, pk: int):
    if (response := _must_take_part(request)) is not None:
        return response
    listing = _listing(request, pk)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.interest_create(
                actor=request.user,
                listing=listing,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The family knows you are interested. You will hear from them "
                    "if they choose you."
                ),
            )
            return redirect(listing)
    context = _detail_context(request, listing, interest_form=form)
    return render(request, "exchange/detail.html", context, status=400)


@login_required
@require_POST
def interest_withdraw(request, pk: int):
    listing = _listing(request, pk)
    interest = get_object_or_404(Interest, listing=listing, person=request.user)
    return _run(
        request,
        lambda: services.interest_withdraw(actor=request.user, interest=interest),
        _("You are no longer on the list."),
        _back(listing),
    )


@login_required
@require_POST
def interest_choose(request, pk: int, interest_id: int):
    listing = _listing(request, pk)
    interest = get_object_or_404(Interest, pk=interest_id, listing=listing)
    return _run(
        request,
        lambda: services.interest_choose(actor=request.user, interest=interest),
        _("Reserved. Write to the family to agree on the handover."),
        _back(listing),
    )


def _handover(request, pk: int) -> Handover:
    handover = get_object_or_404(Handover.objects.select_related("listing"), pk=pk)
    if request.user.pk not in (handover.giver_id, handover.receiver_id):
        raise Http404
    return handover


def _handover_step(service, success):
    """A POST button of one side of a handover: confirm it, call it off, confirm
    the return. ``service(actor=, handover=)`` checks who may; its error is shown."""

    @login_required
    @require_POST
    def view(request, pk: int):
        handover = _handover(request, pk)
        return _run(
            request,
            lambda: service(actor=request.user, handover=handover),
            success,
            _back(handover.listing_id),
        )

    return view


handover_confirm = _handover_step(
    services.handover_confirm, gettext_lazy("Handover confirmed.")
)
handover_cancel = _handover_step(
    services.handover_cancel,
    gettext_lazy("The reservation is called off; the listing is available again."),
)
return_confirm = _handover_step(
    services.return_confirm, gettext_lazy("Return confirmed.")
)


@login_required
@require_POST
def gratitude_create(request, pk: int):
    handover = _handover(request, pk)
    form = GratitudeForm(request.POST)
    if form.is_valid():
        try:
            services.gratitude_create(
                actor=request.user, handover=handover, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your words are on the listing."))
            return redirect(handover.listing)
    context = _detail_context(request, handover.listing, gratitude_form=form)
    return render(request, "exchange/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_start(request, pk: int):
    if (response := _must_take_part(request)) is not None:
        return response
    listing = _listing(request, pk)
    existing = Conversation.objects.filter(listing=listing, other=request.user).first()
    if existing is not None:
        return redirect(existing)
    if not request.user.has_perm("exchange.write_to_owner", listing):
        raise PermissionDenied
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_start(
                actor=request.user, listing=listing, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect(conversation)
    return render(request, "exchange/write.html", {"form": form, "listing": listing})


@login_required
@never_cache
@require_GET
def conversations(request):
    page = CappedPaginator(
        selectors.conversations_of(user=request.user), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "exchange/conversations.html", {"page": page})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def conversation(request, pk: int):
    conversation = get_object_or_404(
        Conversation.objects.select_related("listing", "owner", "other"), pk=pk
    )
    # The predicate, not has_perm: not even a superuser reads private messages.
    if not is_participant(request.user, conversation):
        raise Http404
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                actor=request.user,
                conversation=conversation,
                body=form.cleaned_data["body"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(
                    _("You can no longer write in this conversation.")
                )
            _apply_errors(form, error)
        else:
            return redirect(conversation)
    services.conversation_mark_read(actor=request.user, conversation=conversation)
    other = conversation.counterpart(request.user)
    return render(
        request,
        "exchange/conversation.html",
        {
            "conversation": conversation,
            "chat": selectors.messages_of(conversation=conversation),
            "other": other,
            "form": form,
            "blocked": selectors.is_blocked(blocker=request.user, blocked=other),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def block(request, pk: int):
    person = get_object_or_404(get_user_model(), pk=pk)
    try:
        services.block_create(actor=request.user, blocked=person)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Blocked: you will no longer see each other's listings or messages."),
        )
    return redirect("exchange:list")


@login_required
@require_POST
def unblock(request, pk: int):
    person = get_object_or_404(get_user_model(), pk=pk)
    services.block_remove(actor=request.user, blocked=person)
    messages.success(request, _("Unblocked."))
    return redirect("exchange:mine")


@login_required
@never_cache
@require_GET
def mine(request):
    return render(
        request,
        "exchange/mine.html",
        {
            "listings": selectors.listings_of(user=request.user),
            "handovers": selectors.handovers_of(user=request.user),
            "suspension": _suspension(request),
            "blocked": selectors.blocked_by(user=request.user),
        },
    )

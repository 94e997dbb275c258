import json

from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.core.navigation import items_for
from retefamiglie.core.types import AuthenticatedHttpRequest

from .forms import DeleteAccountForm, ProfileForm
from .services import user_delete, user_export_data, user_update_profile


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=request.user, display_name=form.cleaned_data["display_name"]
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "mfa_enabled": is_mfa_enabled(request.user),
            "profile_links": items_for("profile", request.user),
        },
    )


@never_cache
@login_required
@permission_required("accounts.export_data")
def export_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"rete-famiglie-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@permission_required("accounts.delete_account", raise_exception=True)
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(
            request, _("Your account and your personal data have been deleted.")
        )
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})

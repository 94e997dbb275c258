from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def mfa_required_for_roles(view):
    """Send coordinators, officers and superusers to set up MFA before going on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.requires_mfa and not is_mfa_enabled(user):
            messages.warning(
                request,
                _(
                    "Your role gives access to personal data: set up two-factor "
                    "authentication with an authenticator app to enter the staff area."
                ),
            )
            from django.urls import reverse

            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper

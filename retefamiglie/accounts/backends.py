"""How people log in, and which of Django's model permissions they can hold."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend


class AccountBackend(AuthenticationBackend):
    """allauth's login backend, with Django's model permissions only for people
    who may enter the admin (``is_staff``).

    Every permission of the site is a rule (`rules.py` of each app, ADR 2);
    model permissions serve the admin alone. Without this, each `has_perm` that
    a rule answers "no" (the header's links, on every page) fell through to two
    queries for the person's and their groups' model permissions (ADR 28).
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not getattr(user_obj, "is_staff", False):
            return set()
        return super().get_all_permissions(user_obj, obj)

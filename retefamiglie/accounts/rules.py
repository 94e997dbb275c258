"""Roles held on the person; organisation staff roles live in the network app."""

import rules

from .models import Visitor


@rules.predicate
def is_coordinator(user: Visitor) -> bool:
    return bool(getattr(user, "is_coordinator", False)) and user.is_active


@rules.predicate
def is_municipal_officer(user: Visitor) -> bool:
    return bool(getattr(user, "is_municipal_officer", False)) and user.is_active


is_superuser = rules.is_superuser
is_family = rules.is_authenticated

rules.add_perm("accounts.view_profile", rules.is_authenticated)
rules.add_perm("accounts.export_data", rules.is_authenticated)
rules.add_perm("accounts.delete_account", rules.is_authenticated & ~rules.is_superuser)


@rules.predicate
def is_network_manager(user: Visitor) -> bool:
    """Runs the network: a coordinator, or a superuser."""
    return bool(user.is_authenticated and (user.is_superuser or is_coordinator(user)))

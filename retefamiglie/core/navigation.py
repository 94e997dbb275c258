"""Navigation built from the capabilities that exist.

An app adds entries by giving its AppConfig a ``navigation`` list of ``NavItem``;
the header, footer and staff area read them, so a link appears only once the page
behind it exists, and core never imports the apps it links to.
"""

from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise

# "hero" links are the home page's calls to action; "profile" links are listed on
# a person's profile page (their own requests, listings, ...).
Place = Literal["main", "footer", "staff", "hero", "profile"]


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    place: Place = "main"
    order: int = 100
    # A permission (rules) the user must hold to see the entry; None shows it to all.
    permission: str | None = None


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str | Promise
    url_name: str


def items_for(place: Place, user) -> list[NavLink]:
    """Return the links of one place that this user may see, in order."""
    found: list[NavItem] = []
    for config in apps.get_app_configs():
        found.extend(
            item for item in getattr(config, "navigation", ()) if item.place == place
        )
    found.sort(key=lambda item: (item.order, str(item.label)))
    return [
        NavLink(url=reverse(item.url_name), label=item.label, url_name=item.url_name)
        for item in found
        if item.permission is None or user.has_perm(item.permission)
    ]

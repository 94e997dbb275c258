from typing import Any

from django import template
from django.db.models import Model

from .. import follow_targets
from ..selectors import is_following
from ..selectors import unread_count as _unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context: template.Context) -> int:
    """The logged-in person's unread notifications (cached: ADR 13)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return _unread_count(user)


@register.inclusion_tag("notifications/follow_button.html", takes_context=True)
def follow_button(context: template.Context, target: Model) -> dict[str, Any]:
    """A Follow / Following button for ``target`` (a followable model, ADR 13)."""
    user = context.get("user")
    return {
        "user": user,
        "request": context.get("request"),
        "target": target,
        "token": follow_targets.make(target),
        "following": is_following(user, target),
    }

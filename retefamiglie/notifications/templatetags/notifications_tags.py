from django import template

from ..selectors import unread_count as _unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context: template.Context) -> int:
    """The logged-in person's unread notifications (cached: ADR 13)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return _unread_count(user)

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import items_for


def site(request):
    """The network's identity (settings) and the navigation of existing pages."""
    user = getattr(request, "user", None)
    return {
        "network": settings.RETEFAMIGLIE,
        "main_nav": SimpleLazyObject(lambda: items_for("main", user)),
        "footer_nav": SimpleLazyObject(lambda: items_for("footer", user)),
        "hero_nav": SimpleLazyObject(lambda: items_for("hero", user)),
    }

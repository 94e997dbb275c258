"""The "for your children" filters of a logged-in family (ADR 13)."""

from typing import Any
from urllib.parse import urlencode

from django import template

from retefamiglie.notifications import selectors as notices

register = template.Library()


@register.inclusion_tag("directory/_for_you.html", takes_context=True)
def for_your_children(context: template.Context, scope: str, list_url: str) -> dict:
    """Links that filter ``list_url`` by each child's age (and the family's
    areas), and the link that saves the current filters."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    query = request.GET.copy()  # type: ignore[union-attr]
    for name in ("page", "pagina", "vista", "mese"):
        query.pop(name, None)
    areas, ages = notices.family_areas_and_ages(user)
    links: list[dict[str, Any]] = []
    for age in ages:
        params: dict[str, int | str] = {"eta": age}
        if len(areas) == 1:
            params["zona"] = areas[0]
        links.append(
            {
                "age": age,
                "url": f"{list_url}?{urlencode(params)}",
                "current": query.get("eta") == str(age),
            }
        )
    return {
        "show": True,
        "links": links,
        "has_children": bool(ages),
        "save_url_query": urlencode({"lista": scope, "filtri": query.urlencode()}),
        "filtered": bool(query),
    }

"""Views of the catalogue: services and the map, events and bookings, staff pages."""

from django.http import HttpRequest


def query_string(request: HttpRequest, *drop: str, **add: str) -> str:
    """The request's query string without the ``drop`` parameters, with ``add``
    set: links that keep a visitor's filters."""
    query = request.GET.copy()
    for name in (*drop, *add):
        query.pop(name, None)
    for name, value in add.items():
        query[name] = value
    return query.urlencode()

"""Examples of the URL parameters of notifications' patterns (tests/wholesite)."""

from typing import Any

from retefamiglie.notifications import links
from retefamiglie.notifications.models import Child, Notification, SavedSearch


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    family = people["family"]
    notification = Notification.objects.create(
        recipient=family,
        kind="moderation.suspended",
        title="Un avviso",
        url="/",
        language="it",
    )
    search = SavedSearch.objects.create(
        user=family, scope="directory.events", name="Eventi"
    )
    child = Child.objects.create(user=family, birth_year=2020, birth_month=5)
    token = links.unsubscribe_token(kind="moderation.suspended", user_id=family.pk)
    return {
        "notifications:open": {"pk": notification.pk},
        "notifications:mark_read": {"pk": notification.pk},
        "notifications:unsubscribe": {"token": token},
        "notifications:saved_search_update": {"pk": search.pk},
        "notifications:saved_search_delete": {"pk": search.pk},
        "family:child_remove": {"pk": child.pk},
    }

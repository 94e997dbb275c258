"""Examples of the URL parameters of moderation's patterns (tests/wholesite)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType

from retefamiglie.moderation.models import Case, Suspension


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    case = Case.objects.create(
        content_type=ContentType.objects.get_for_model(organisation),
        object_id=organisation.pk,
    )
    suspension = Suspension.objects.create(
        person=people["family"],
        scope="exchange",
        reason="Annunci ripetuti.",
        created_by=people["coordinator"],
    )
    return {
        "moderation:flag": {
            "app_label": "network",
            "model_name": "organisation",
            "pk": organisation.pk,
        },
        "moderation:case": {"pk": case.pk},
        "moderation:decide": {"pk": case.pk},
        "moderation:suspend": {"pk": case.pk},
        "moderation:suspension_lift": {"pk": suspension.pk},
    }

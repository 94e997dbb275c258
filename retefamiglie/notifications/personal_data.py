"""A person's notifications, preferences, children and follows: export and erase."""

from typing import Any

from .models import (
    Child,
    FamilyProfile,
    Follow,
    Notification,
    NotificationSettings,
    Preference,
    PushSubscription,
    SavedSearch,
)


def export(user: Any) -> dict[str, Any]:
    profile = FamilyProfile.objects.filter(user=user).first()
    settings_row = NotificationSettings.objects.filter(user=user).first()
    return {
        "notifications": [
            {
                "at": n.created_at.isoformat(),
                "kind": n.kind,
                "title": n.title,
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=user)
        ],
        "preferences": {
            p.kind: p.frequency for p in Preference.objects.filter(user=user)
        },
        "settings": (
            {
                "language": settings_row.language,
                "quiet_from": settings_row.quiet_from.isoformat(),
                "quiet_until": settings_row.quiet_until.isoformat(),
            }
            if settings_row
            else None
        ),
        "children": [
            {"birth_year": c.birth_year, "birth_month": c.birth_month}
            for c in Child.objects.filter(user=user)
        ],
        "areas": profile.areas if profile else [],
        "languages": profile.languages if profile else [],
        "saved_searches": [
            {
                "name": s.name,
                "list": s.scope,
                "filters": s.query,
                "frequency": s.frequency,
            }
            for s in SavedSearch.objects.filter(user=user)
        ],
        "follows": [
            {"type": f.target_type.model, "id": f.target_id}
            for f in Follow.objects.filter(user=user).select_related("target_type")
        ],
        "push_devices": [
            {"device": s.device, "since": s.created_at.isoformat()}
            for s in PushSubscription.objects.filter(user=user)
        ],
    }


def erase(user: Any) -> None:
    for model in (
        Notification,
        Preference,
        NotificationSettings,
        Child,
        FamilyProfile,
        SavedSearch,
        Follow,
        PushSubscription,
    ):
        model.objects.filter(
            **{"user" if model is not Notification else "recipient": user}
        ).delete()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind


class ModerationConfig(AppConfig):
    """Flags, hidden objects and coordinators' decisions, shared by the capabilities.

    An app makes a model flaggable by naming it in its own AppConfig's
    ``flaggable`` list (ADR 16); this app reads those lists and imports none of them.
    """

    name = "retefamiglie.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    navigation = [
        NavItem(
            "moderation:queue",
            _("Moderation"),
            place="staff",
            order=40,
            permission="moderation.view_queue",
        ),
    ]

    notification_kinds = [
        Kind(
            "moderation.suspended",
            _("You have been suspended"),
            template="moderation/notices/suspended.txt",
            essential=True,
        ),
    ]

    def export_personal_data(self, user) -> dict:
        from .models import Flag, Suspension

        return {
            "flags": [
                {
                    "at": flag.created_at.isoformat(),
                    "reason": flag.reason,
                    "note": flag.note,
                    "object": flag.case.content_type.model,
                }
                for flag in Flag.objects.filter(reporter=user).select_related(
                    "case__content_type"
                )
            ],
            "suspensions": [
                {
                    "scope": suspension.scope,
                    "reason": suspension.reason,
                    "from": suspension.created_at.isoformat(),
                    "lifted": suspension.lifted_at.isoformat()
                    if suspension.lifted_at
                    else None,
                }
                for suspension in Suspension.objects.filter(person=user)
            ],
        }

    def erase_personal_data(self, user) -> None:
        from .models import Flag

        # A flag's free text may name people; its reason still counts for the case.
        Flag.objects.filter(reporter=user).update(note="")

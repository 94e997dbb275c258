from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem


class ParticipationConfig(AppConfig):
    name = "retefamiglie.participation"
    label = "participation"
    verbose_name = _("Participation")
    navigation = [
        NavItem("participation:index", _("Take part"), place="main", order=60),
        NavItem("participation:index", _("Take part"), place="footer", order=60),
        NavItem(
            "participation:manage",
            _("Participatory process"),
            place="staff",
            order=60,
            permission="participation.access_management",
        ),
    ]

    def export_personal_data(self, user) -> dict:
        from .models import Comment, Proposal, Registration, Support

        return {
            "proposals": [
                {
                    "title": p.title,
                    "text": p.body,
                    "created_at": p.created_at.isoformat(),
                }
                for p in Proposal.objects.filter(author=user)
            ],
            "comments": [
                {"text": c.body, "stance": c.stance, "at": c.created_at.isoformat()}
                for c in Comment.objects.filter(author=user)
            ],
            "supports": list(
                Support.objects.filter(user=user).values_list("proposal_id", flat=True)
            ),
            "meeting_registrations": [
                {"meeting": r.meeting.title, "status": r.status, "seats": r.seats}
                for r in Registration.objects.filter(user=user).select_related(
                    "meeting"
                )
            ],
        }

    def erase_personal_data(self, user) -> None:
        from .services import participation_erase_person

        participation_erase_person(user=user)

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind, Urgency


def _registration_kind(name: str, label, **extra) -> Kind:
    return Kind(
        f"participation.registration_{name}",
        label,
        template=f"participation/email/registration_{name}.txt",
        **extra,
    )


class ParticipationConfig(AppConfig):
    name = "retefamiglie.participation"
    label = "participation"
    verbose_name = _("Participation")
    # Anyone may flag a proposal or a comment; N flags hide it (ADR 16).
    flaggable = ["participation.Proposal", "participation.Comment"]
    # A person with an account follows a proposal or a process (ADR 13, 26).
    followable_models = ["participation.proposal", "participation.process"]
    notification_kinds = [
        _registration_kind(
            "confirm_link",
            _("The link to confirm a meeting registration"),
            essential=True,
        ),
        _registration_kind("confirmed", _("Your meeting registration is confirmed")),
        _registration_kind("waiting", _("You are on a meeting's waiting list")),
        _registration_kind(
            "promoted", _("A seat is free: your meeting registration is confirmed")
        ),
        _registration_kind(
            "cancelled", _("Your meeting registration is cancelled"), essential=True
        ),
        _registration_kind("reminder", _("A reminder of a meeting you registered for")),
        Kind(
            "participation.proposal_answered",
            _("A proposal you made or support has been answered"),
            template="participation/email/proposal_answered.txt",
        ),
        Kind(
            "participation.followed_proposal_changed",
            _("A proposal you follow has been answered or has changed state"),
            template="participation/email/followed_proposal_changed.txt",
        ),
        Kind(
            "participation.followed_proposal_comment",
            _("A new comment on a proposal you follow"),
            template="participation/email/followed_proposal_comment.txt",
            urgency=Urgency.BATCHABLE,
        ),
        Kind(
            "participation.followed_process_phase",
            _("A new phase of a process you follow has begun"),
            template="participation/email/followed_process_phase.txt",
            urgency=Urgency.BATCHABLE,
        ),
        Kind(
            "participation.proposal_awaiting_answer",
            _("A proposal has reached the supports that call for an answer"),
            template="participation/email/proposal_awaiting_answer.txt",
            audience="staff",
        ),
    ]
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

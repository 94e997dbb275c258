from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind


def _joining_kind(name: str, label, **extra) -> Kind:
    return Kind(
        f"pacts.{name}", label, template=f"pacts/joining/email/{name}.txt", **extra
    )


class PactsConfig(AppConfig):
    name = "retefamiglie.pacts"
    label = "pacts"
    verbose_name = _("Collaboration pact")

    @staticmethod
    def proposal_pact_sections() -> list[tuple[str, str]]:
        """Sections a proposal of the participatory process may name (ADR 15)."""
        from .models import SectionKind

        return [(value, str(label)) for value, label in SectionKind.choices]

    notification_kinds = [
        _joining_kind(
            "coordinators_new", _("A new application to join"), audience="staff"
        ),
        _joining_kind(
            "coordinators_amended", _("An application amended"), audience="staff"
        ),
        _joining_kind(
            "applicant_approved", _("Your application was approved"), essential=True
        ),
        _joining_kind(
            "applicant_changes_requested",
            _("Changes asked to your application"),
            essential=True,
        ),
        _joining_kind(
            "applicant_rejected", _("Your application was declined"), essential=True
        ),
        Kind(
            "pacts.version_sign",
            _("A new pact to sign"),
            template="pacts/versions/email_sign.txt",
            audience="staff",
        ),
    ]
    navigation = [
        NavItem("pacts:current", _("The pact"), place="main", order=30),
        NavItem("pacts:current", _("The collaboration pact"), place="footer", order=30),
        NavItem("pacts:join", _("Join the network"), place="footer", order=40),
        NavItem("pacts:commitments", _("Commitments"), place="footer", order=60),
        NavItem("pacts:reports", _("Reports"), place="footer", order=70),
        NavItem(
            "pacts:applications",
            _("Applications to join"),
            place="staff",
            order=40,
            permission="pacts.review_application",
        ),
        NavItem(
            "pacts:manage_versions",
            _("Versions of the pact"),
            place="staff",
            order=50,
            permission="pacts.manage_versions",
        ),
        NavItem(
            "pacts:commitments",
            _("Commitments"),
            place="staff",
            order=60,
        ),
        NavItem(
            "pacts:reports",
            _("Reports"),
            place="staff",
            order=70,
        ),
    ]

    # Figures on the public dashboard and files in the open-data catalogue,
    # read by monitoring (ADR 0018, ADR 0019).
    monitoring_indicators = "retefamiglie.pacts.indicators.INDICATORS"
    open_datasets = "retefamiglie.pacts.datasets.datasets"

    def export_personal_data(self, user) -> dict:
        from .models import JoinApplication, SectionComment

        return {
            "applications_to_join": [
                {
                    "name": application.name,
                    "sent_at": application.created_at.isoformat(),
                    "status": application.status,
                    "contact_name": application.contact_name,
                    "contact_email": application.contact_email,
                    "contact_phone": application.contact_phone,
                    "proposed_commitments": application.proposed_commitments,
                }
                for application in JoinApplication.objects.filter(applicant=user)
            ],
            "comments_on_the_pact": [
                {"at": comment.created_at.isoformat(), "text": comment.body}
                for comment in SectionComment.objects.filter(author=user)
            ],
        }

    def erase_personal_data(self, user) -> None:
        from .models import JoinApplication

        # The member's signature stays (a public act of the pact, kept forever);
        # the applicant's contact details on pending or past applications go.
        JoinApplication.objects.filter(applicant=user).update(
            contact_name="", contact_email="deleted@invalid.invalid", contact_phone=""
        )

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem


class PactsConfig(AppConfig):
    name = "retefamiglie.pacts"
    label = "pacts"
    verbose_name = _("Collaboration pact")
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

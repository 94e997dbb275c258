from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import Kind


def _kind(name: str, label, *, audience: str = "family", **extra) -> Kind:
    return Kind(
        f"helprequests.{name}",
        label,
        template=f"helprequests/email/{name}.txt",
        audience=audience,
        **extra,
    )


class HelpRequestsConfig(AppConfig):
    name = "retefamiglie.helprequests"
    label = "helprequests"
    verbose_name = _("Help requests")
    notification_kinds = [
        _kind("family_received", _("We received your help request"), essential=True),
        _kind("family_update", _("News about your help request")),
        _kind("family_message", _("A message about your help request")),
        _kind("new_request", _("A new help request"), audience="staff"),
        _kind(
            "referral_new",
            _("A help request sent to your organisation"),
            audience="staff",
        ),
        _kind(
            "referral_answered",
            _("An organisation answered a help request"),
            audience="staff",
        ),
        _kind(
            "referral_reminder",
            _("A help request waiting for your answer"),
            audience="staff",
        ),
        _kind(
            "family_replied", _("A family replied about its request"), audience="staff"
        ),
        _kind("family_withdrew", _("A family withdrew its request"), audience="staff"),
    ]
    navigation = [
        NavItem("helprequests:ask", _("Ask for help"), place="main", order=50),
        NavItem("helprequests:ask", _("Ask for help"), place="footer", order=50),
        NavItem("helprequests:ask", _("Ask for help"), place="hero", order=10),
        NavItem(
            "helprequests:my_requests", _("My help requests"), place="profile", order=10
        ),
        NavItem(
            "helprequests:inbox",
            _("Help requests"),
            place="staff",
            order=10,
            permission="helprequests.access_inbox",
        ),
        NavItem(
            "helprequests:statistics",
            _("Help requests in figures"),
            place="staff",
            order=20,
            permission="helprequests.view_statistics",
        ),
        NavItem(
            "helprequests:access_log",
            _("Who read which request"),
            place="staff",
            order=30,
            permission="helprequests.view_access_log",
        ),
    ]

    def export_personal_data(self, user) -> list[dict]:
        from .models import HelpRequest
        from .selectors import activities_for

        exported = []
        for help_request in HelpRequest.objects.filter(family=user).select_related(
            "area"
        ):
            exported.append(
                {
                    "reference": help_request.reference,
                    "sent_at": help_request.created_at.isoformat(),
                    "status": help_request.status,
                    "outcome": help_request.outcome,
                    "kinds": help_request.kinds,
                    "description": help_request.description,
                    "children": help_request.children,
                    "area": help_request.area.name if help_request.area else None,
                    "contact": {
                        "method": help_request.contact_method,
                        "name": help_request.contact_name,
                        "phone": help_request.contact_phone,
                        "email": help_request.contact_email,
                        "times": help_request.contact_times,
                    },
                    "language": help_request.language,
                    "needs_interpreter": help_request.needs_interpreter,
                    "urgency": help_request.urgency,
                    "consent": {
                        "version": help_request.consent_version,
                        "given_at": help_request.consent_at.isoformat(),
                    },
                    "messages": [
                        {
                            "at": activity.created_at.isoformat(),
                            "kind": activity.kind,
                            "text": activity.body,
                        }
                        for activity in activities_for(
                            help_request=help_request, family_view=True
                        )
                    ],
                }
            )
        return exported

    def erase_personal_data(self, user) -> None:
        from .services import requests_detach_family

        requests_detach_family(family=user)

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

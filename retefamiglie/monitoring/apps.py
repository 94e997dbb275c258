from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem


class MonitoringConfig(AppConfig):
    name = "retefamiglie.monitoring"
    label = "monitoring"
    verbose_name = _("Impact and open data")
    navigation = [
        NavItem("monitoring:dashboard", _("Impact"), place="main", order=60),
        NavItem(
            "monitoring:dashboard",
            _("What the network achieves"),
            place="footer",
            order=75,
        ),
        # The one footer link to the open data: the catalogue lists the API too.
        NavItem("monitoring:catalogue", _("Open data"), place="footer", order=78),
        NavItem(
            "monitoring:population",
            _("Population of the areas"),
            place="staff",
            order=80,
            permission="monitoring.upload_population",
        ),
    ]

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

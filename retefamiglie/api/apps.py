from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem


class ApiConfig(AppConfig):
    name = "retefamiglie.api"
    label = "api"
    verbose_name = _("Open data API")
    navigation = [NavItem("api:docs", _("Open data"), place="footer", order=80)]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "retefamiglie.api"
    label = "api"
    verbose_name = _("Open data API")
    # The HSDS export in the open-data catalogue (monitoring, ADR 0019).
    open_datasets = "retefamiglie.api.datasets.datasets"

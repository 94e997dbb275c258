"""The HSDS export in the open-data catalogue (/dati/), declared on
``ApiConfig.open_datasets`` and read by ``monitoring.catalogue`` (ADR 0019)."""

from datetime import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from retefamiglie.directory.models import Publishable, Service
from retefamiglie.monitoring.catalogue import Dataset, Distribution

from .datapackage import TABLES, file_name


def _modified() -> datetime | None:
    return Service.objects.filter(status=Publishable.Status.PUBLISHED).aggregate(
        last=Max("updated_at")
    )["last"]


def _count() -> int:
    return Service.objects.filter(status=Publishable.Status.PUBLISHED).count()


def datasets() -> list[Dataset]:
    return [
        Dataset(
            key="servizi",
            title=_("Services and organisations (Open Referral HSDS 3.0)"),
            description=_(
                "The catalogue of services for families and the organisations "
                "that offer them, with places, opening hours, costs, languages "
                "and categories, in the Human Services Data Specification 3.0: "
                "the same data the public API serves."
            ),
            distributions=[
                Distribution(
                    _("Services, HSDS 3.0 JSON (paged API)"),
                    reverse("api:services"),
                    "application/json",
                    "JSON",
                    _("Add ?page=2 and so on; each page says how many there are."),
                ),
                Distribution(
                    _("Organisations, HSDS 3.0 JSON (paged API)"),
                    reverse("api:organizations"),
                    "application/json",
                    "JSON",
                ),
                Distribution(
                    _("HSDS 3.0 CSV data package (description of the tables)"),
                    reverse("api:datapackage"),
                    "application/json",
                    "JSON",
                    _(
                        "A Frictionless data package: one CSV file per HSDS "
                        "table (services, organizations, locations, schedules, "
                        "…), listed in it and served beside it."
                    ),
                ),
                *[
                    Distribution(
                        _("HSDS table %(table)s, CSV") % {"table": table},
                        reverse(
                            "api:datapackage_table",
                            kwargs={"name": file_name(table).removesuffix(".csv")},
                        ),
                        "text/csv",
                        "CSV",
                    )
                    for table in TABLES
                ],
                Distribution(
                    _("How to use the API (endpoints, parameters, examples)"),
                    reverse("api:docs"),
                    "text/html",
                    "HTML",
                ),
                Distribution(
                    _("OpenAPI description of the API"),
                    reverse("api:openapi"),
                    "application/json",
                    "JSON",
                ),
            ],
            modified=_modified,
            records=_count,
            themes=("SOCI",),
            keywords=("servizi", "famiglie", "HSDS"),
            order=10,
        )
    ]

"""The pact in the open-data catalogue (/dati/), declared on
``PactsConfig.open_datasets`` and read by ``monitoring.catalogue`` (ADR 0019)."""

from datetime import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from retefamiglie.monitoring.catalogue import Dataset, Distribution

from .models import Commitment, PactVersion, Signature


def _modified() -> datetime | None:
    moments = [
        PactVersion.objects.aggregate(last=Max("updated_at"))["last"],
        Commitment.objects.aggregate(last=Max("updated_at"))["last"],
        Signature.objects.aggregate(last=Max("signed_at"))["last"],
    ]
    found = [moment for moment in moments if moment]
    return max(found) if found else None


def _count() -> int:
    return Commitment.objects.count()


def datasets() -> list[Dataset]:
    return [
        Dataset(
            key="patto",
            title=_("The collaboration pact: versions, signatures, commitments"),
            description=_(
                "Every version of the pact with the members who signed it, and "
                "what each member committed to, with its target, progress, due "
                "date and whether it is late."
            ),
            distributions=[
                Distribution(
                    _("Versions, signatures and commitments, JSON"),
                    reverse("pacts:open_data_json"),
                    "application/json",
                    "JSON",
                ),
                Distribution(
                    _("Versions of the pact, CSV"),
                    reverse("pacts:open_data_versions"),
                    "text/csv",
                    "CSV",
                ),
                Distribution(
                    _("Signatures by member, CSV"),
                    reverse("pacts:open_data_signatures"),
                    "text/csv",
                    "CSV",
                ),
                Distribution(
                    _("Commitments and their progress, CSV"),
                    reverse("pacts:open_data_commitments"),
                    "text/csv",
                    "CSV",
                ),
            ],
            modified=_modified,
            records=_count,
            themes=("GOVE", "SOCI"),
            keywords=("patto di collaborazione", "beni comuni", "impegni"),
            order=30,
        )
    ]

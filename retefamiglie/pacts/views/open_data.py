"""The pact as open data (/patto/dati/…): versions, signatures by member,
commitments and their progress, as CSV and JSON. Listed in /dati/ through
``PactsConfig.open_datasets`` (ADR 0019).

Members who chose not to be listed (single citizens, usually) are named by
their kind only, as everywhere in public (ADR 8); signers are named only for
listed members.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from retefamiglie.monitoring import downloads

from .. import selectors
from ..models import Commitment, PactVersion, Signature

SIGNATURE_COLUMNS = [
    "version",
    "member",
    "member_type",
    "signer",
    "signer_role",
    "signed_at",
]
COMMITMENT_COLUMNS = [
    "id",
    "member",
    "objective",
    "title",
    "beneficiaries",
    "target_value",
    "target_unit",
    "progress_value",
    "due_date",
    "status",
    "late",
    "area",
]


VERSION_COLUMNS = [
    "number",
    "title",
    "status",
    "valid_from",
    "valid_until",
    "in_force_since",
    "signatures",
    "url",
]


def _public_versions():
    return PactVersion.objects.exclude(status=PactVersion.Status.DRAFT).order_by(
        "number"
    )


def _signature_rows() -> Iterator[list[Any]]:
    signatures = (
        Signature.objects.filter(version__in=_public_versions())
        .select_related("version", "organisation")
        .order_by("version__number", "organisation__name", "pk")
    )
    for signature in signatures.iterator(chunk_size=1000):
        member = signature.organisation
        listed = member.is_public
        yield [
            signature.version.number,
            selectors.member_display(member)["name"],
            member.type,
            signature.signer_name if listed else "",
            signature.signer_role if listed else "",
            timezone.localtime(signature.signed_at).isoformat(),
        ]


def _commitment_row(commitment: Commitment, today) -> list[Any]:
    return [
        commitment.pk,
        selectors.member_display(commitment.organisation)["name"],
        commitment.objective,
        commitment.title,
        commitment.beneficiaries,
        commitment.target_value,
        commitment.target_unit,
        commitment.progress_value,
        commitment.due_date.isoformat(),
        commitment.status,
        "yes" if selectors.commitment_is_late(commitment, today) else "no",
        commitment.area.name if commitment.area else "",
    ]


def _commitments():
    return Commitment.objects.select_related("organisation", "area").order_by(
        "due_date", "pk"
    )


def _version(model) -> str:
    latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return f"{model.objects.count()}:{latest}:{timezone.localdate()}"


def _version_rows(root: str) -> Iterator[list[Any]]:
    versions = _public_versions().annotate(signed=Count("signatures"))
    for version in versions:
        yield [
            version.number,
            version.title,
            version.status,
            version.valid_from.isoformat() if version.valid_from else "",
            version.valid_until.isoformat() if version.valid_until else "",
            timezone.localtime(version.in_force_at).isoformat()
            if version.in_force_at
            else "",
            version.signed,
            f"{root}{version.get_absolute_url()}",
        ]


@require_GET
def versions_csv(request: HttpRequest) -> HttpResponseBase:
    root = request.build_absolute_uri("/").rstrip("/")
    last = PactVersion.objects.aggregate(last=Max("updated_at"))["last"]
    return downloads.csv_download(
        request,
        name="patto-versioni",
        version=f"{root}:{last}:{_version(Signature)}",
        header=VERSION_COLUMNS,
        rows=lambda: _version_rows(root),
    )


@require_GET
def signatures_csv(request: HttpRequest) -> HttpResponseBase:
    return downloads.csv_download(
        request,
        name="patto-firme",
        version=_version(Signature),
        header=SIGNATURE_COLUMNS,
        rows=_signature_rows,
    )


def _commitments_version() -> str:
    last = Commitment.objects.aggregate(last=Max("updated_at"))["last"]
    return f"{Commitment.objects.count()}:{last}:{timezone.localdate()}"


@require_GET
def commitments_csv(request: HttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    return downloads.csv_download(
        request,
        name="patto-impegni",
        version=_commitments_version(),
        header=COMMITMENT_COLUMNS,
        rows=lambda: (
            _commitment_row(c, today) for c in _commitments().iterator(chunk_size=1000)
        ),
    )


@require_GET
def pact_json(request: HttpRequest) -> JsonResponse:
    """Versions with their signatures, and the commitments, in one document."""
    today = timezone.localdate()
    signatures: dict[int, list[dict[str, Any]]] = {}
    for row in _signature_rows():
        signatures.setdefault(row[0], []).append(
            dict(zip(SIGNATURE_COLUMNS[1:], row[1:], strict=True))
        )
    versions = [
        {
            "number": version.number,
            "title": version.title,
            "status": version.status,
            "valid_from": version.valid_from.isoformat()
            if version.valid_from
            else None,
            "valid_until": version.valid_until.isoformat()
            if version.valid_until
            else None,
            "url": request.build_absolute_uri(version.get_absolute_url()),
            "signatures": signatures.get(version.number, []),
        }
        for version in _public_versions()
    ]
    commitments = [
        dict(zip(COMMITMENT_COLUMNS, _commitment_row(c, today), strict=True))
        for c in _commitments()
    ]
    response = JsonResponse(
        {"versions": versions, "commitments": commitments},
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Disposition"] = 'attachment; filename="patto.json"'
    return response

"""The HSDS OpenAPI document and JSON schemas, as this site serves them.

The files are Open Referral's, unchanged on disk (``SPEC_DIR``, with their
licence and README). Served, the document points at this site: ``servers`` is
the API's root and every ``$ref`` to a schema on GitHub becomes a URL under
``/api/schema/``, so it works offline and behind a firewall.
"""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import reverse

SPEC_DIR = Path(__file__).resolve().parent / "tests" / "fixtures" / "hsds-3.0"
UPSTREAM_SCHEMA_URL = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
)
# The schemas served; their relative $refs resolve among themselves.
SCHEMA_FILES = frozenset(
    {
        "taxonomy.json",
        "taxonomy_term.json",
        "metadata.json",
        "compiled/service.json",
        "compiled/service_list.json",
        "compiled/organization.json",
        "compiled/organization_list.json",
        "compiled/service_at_location.json",
        "compiled/service_at_location_list.json",
    }
)
# Upstream slip: /service_at_locations/{id} answers a service_at_location,
# not a service (its own description says so).
CORRECTED_REFS = {
    (
        "/service_at_locations/{id}",
        "compiled/service.json",
    ): "compiled/service_at_location.json"
}

TITLE = "Rete Famiglie — Open Referral HSDS 3.0"
LICENSE = {
    "name": "HSDS: Creative Commons Attribution Share-Alike 4.0 (Open Referral)",
    "url": "https://creativecommons.org/licenses/by-sa/4.0/",
}


@cache
def upstream_document() -> dict[str, Any]:
    """The HSDS OpenAPI document as published, read once."""
    return json.loads((SPEC_DIR / "openapi.json").read_text(encoding="utf-8"))


@cache
def schema_bytes(name: str) -> bytes | None:
    """A served schema file, read once; None for a name not served."""
    if name not in SCHEMA_FILES:
        return None
    return (SPEC_DIR / name).read_bytes()


def _rewrite_refs(node: Any, schema_root: str, path: str = "") -> Any:
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if (
                key == "$ref"
                and isinstance(value, str)
                and value.startswith(UPSTREAM_SCHEMA_URL)
            ):
                name = value.removeprefix(UPSTREAM_SCHEMA_URL)
                name = CORRECTED_REFS.get((path, name), name)
                result[key] = schema_root + name
            else:
                result[key] = _rewrite_refs(value, schema_root, path)
        return result
    if isinstance(node, list):
        return [_rewrite_refs(item, schema_root, path) for item in node]
    return node


def document(*, site_root: str, network_name: str) -> dict[str, Any]:
    """The OpenAPI document for this site; ``site_root`` like "https://x.it"."""
    upstream = upstream_document()
    schema_root = site_root + reverse("api:schema", kwargs={"name": "x"})[: -len("x")]
    result = copy.deepcopy(upstream)
    result["paths"] = {
        path: _rewrite_refs(operations, schema_root, path)
        for path, operations in upstream["paths"].items()
    }
    result["info"] = {
        "title": TITLE,
        "version": "3.0",
        "summary": f"Servizi per le famiglie di {network_name}, in formato HSDS 3.0.",
        "description": (
            "Open data of the family-support network, in the form of Open Referral "
            "HSDS 3.0. Only published services are listed. The API definition and "
            "schemas are by the Open Referral project (CC BY-SA 4.0)."
        ),
        "license": LICENSE,
    }
    result["servers"] = [{"url": site_root + reverse("api:root").rstrip("/")}]
    _as_this_site_answers(result)
    return result


# What this site accepts of each shared parameter, where HSDS leaves it open
# (the API refuses the rest with a 400 that names the parameter).
PARAMETER_SCHEMAS: dict[str, dict[str, Any]] = {
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1},
    "format": {"type": "string", "enum": ["json"]},
    "modified_after": {"type": "string", "format": "date-time"},
    "taxonomy_term_id": {"type": "string", "format": "uuid"},
    "taxonomy_id": {"type": "string", "format": "uuid"},
    "organization_id": {"type": "string", "format": "uuid"},
    "parent_id": {"type": "string", "format": "uuid"},
}
PARAMETER_NOTES = {
    "per_page": "At most 200: more is read as 200.",
    "format": "Only json: ndjson is not offered.",
    "modified_after": "Dates before 1900 are read as 1900, after 2199 as 2199.",
}
NO_NUL = "^[^\u0000]*$"
ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


def _as_this_site_answers(result: dict[str, Any]) -> None:
    """Make the document say what the API does: the values it accepts, and its
    400 (a parameter it cannot read) and 404 (no such object or path)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR
    parameters = components.get("parameters", {})
    for parameter in [
        *parameters.values(),
        *(
            parameter
            for item in result["paths"].values()
            for operation in item.values()
            if isinstance(operation, dict)
            for parameter in operation.get("parameters", [])
            if "$ref" not in parameter
        ),
    ]:
        name = parameter.get("name", "")
        if name in PARAMETER_SCHEMAS:
            parameter["schema"] = PARAMETER_SCHEMAS[name]
        elif parameter.get("schema", {}).get("type") == "string":
            # No text reaches PostgreSQL with a NUL character in it.
            parameter["schema"] = {**parameter["schema"], "pattern": NO_NUL}
        if name in PARAMETER_NOTES:
            parameter["description"] = (
                f"{parameter.get('description', '')} {PARAMETER_NOTES[name]}".strip()
            )
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["responses"].setdefault(
                "400",
                {"description": "A parameter the API cannot read.", "content": error},
            )
            operation["responses"].setdefault(
                "404", {"description": "No such object.", "content": error}
            )

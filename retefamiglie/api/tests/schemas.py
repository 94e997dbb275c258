"""Validators for HSDS 3.0 responses, from the local copy of the schemas.

The OpenAPI document refers to the schemas by their GitHub URLs; a
``referencing`` registry maps those URLs to the files in ``fixtures/hsds-3.0``
so validation works offline.
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_DIR = Path(__file__).resolve().parent / "fixtures" / "hsds-3.0"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SCHEMAS = [
    "taxonomy.json",
    "taxonomy_term.json",
    "metadata.json",
    "compiled/service.json",
    "compiled/service_list.json",
    "compiled/organization.json",
    "compiled/organization_list.json",
    "compiled/service_at_location.json",
    "compiled/service_at_location_list.json",
]


@cache
def registry() -> Registry:
    resources = [
        (
            UPSTREAM + name,
            Resource.from_contents(
                json.loads((SPEC_DIR / name).read_text(encoding="utf-8")),
                default_specification=DRAFT202012,
            ),
        )
        for name in SCHEMAS
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for the HSDS schema ``name`` ("compiled/service.json", …)."""
    return Draft202012Validator(
        {"$ref": UPSTREAM + name},
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def assert_valid(instance: object, name: str) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: e.path)
    assert not errors, "\n".join(
        f"{list(error.absolute_path)}: {error.message}" for error in errors[:10]
    )


PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def assert_valid_page(page: dict, item_schema: str) -> None:
    """An HSDS ``Page`` whose contents each validate against ``item_schema``."""
    for field, kind in PAGE_FIELDS.items():
        assert isinstance(page.get(field), kind), f"{field}: {page.get(field)!r}"
    assert page["size"] == len(page["contents"])
    for item in page["contents"]:
        assert_valid(item, item_schema)

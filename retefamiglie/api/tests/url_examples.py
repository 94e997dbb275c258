"""Examples of the URL parameters of the API's patterns (tests/wholesite)."""

from typing import Any

from retefamiglie.api import hsds
from retefamiglie.directory.tests.factories import CategoryFactory, ServiceFactory


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    category = CategoryFactory()
    service = ServiceFactory(organisation=organisation, categories=[category])
    at = service.service_at_locations.first()
    return {
        "api:service": {"id": str(service.hsds_id)},
        "api:organization": {"id": str(organisation.hsds_id)},
        "api:service_at_location": {"id": str(at.hsds_id) if at else "none"},
        "api:taxonomy": {"id": str(hsds.TAXONOMY_ID)},
        "api:taxonomy_term": {"id": str(category.hsds_id)},
        "api:schema": {"name": "compiled/service.json"},
        "api:datapackage_table": {"name": "organizations"},
        # The catch-all answers JSON 404 to any other path.
        "api/^hsds/(?P<rest>.*)$": {"rest": "no-such-thing"},
    }

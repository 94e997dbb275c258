"""Property-based checks of the HSDS API against the OpenAPI document it serves.

schemathesis reads ``/api/openapi.json`` from the WSGI application, generates
requests for every GET operation and checks that no answer is a server error
and that every documented answer matches its schema.

The served document's ``$ref``s point at the site's ``/api/schema/…``, which
schemathesis would fetch over the network (and, failing, skip the check). They
are pointed instead at the same files on disk, which the site serves unchanged
(``test_hsds_api.test_schemas_are_served``).
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks

from retefamiglie.api.openapi import SPEC_DIR
from retefamiglie.directory.tests.factories import (
    CategoryFactory,
    LocationFactory,
    ServiceFactory,
)

APP = get_wsgi_application()
SERVED_SCHEMAS = "http://testserver/api/schema/"


def _load_schema():
    """The served OpenAPI document, with its schemas read from disk."""
    text = Client().get("/api/openapi.json").content.decode()
    assert SERVED_SCHEMAS in text
    document = json.loads(text.replace(SERVED_SCHEMAS, SPEC_DIR.as_uri() + "/"))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = APP
    return loaded


schema = _load_schema()
# Every check schemathesis has (``--checks all``): no server error, answers and
# status codes as documented, documented values accepted, undocumented refused.
load_all_checks()
CHECKS = REGISTERED_CHECKS.get_all()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, as
    in production; the test's transaction lives on it, so keep it open (as
    Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def small_catalogue(db):
    """A few published services with categories, places and opening hours."""
    school = CategoryFactory(slug="sostegno-scolastico")
    sport = CategoryFactory(slug="sport-movimento")
    place = LocationFactory(accessibility="Ingresso senza gradini.")
    services = [
        ServiceFactory(
            name="Doposcuola San Concordio",
            categories=[school],
            is_free=True,
            age_min=6,
            age_max=14,
            phone="+39 0583 1",
            url="https://example.org/doposcuola",
            languages=["it", "ar"],
            weekdays=[0, 2, 4],
        ),
        ServiceFactory(
            organisation=place.organisation,
            location=place,
            categories=[sport, school],
            cost_description="10 euro",
        ),
        ServiceFactory(location=False, categories=[]),
    ]
    ServiceFactory(name="Bozza", status="draft")
    return services


# Called through WSGI, where nothing would undo the site's gzip (ADR 28).
PLAIN = {"Accept-Encoding": "identity"}


@schema.include(method="GET").parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_document(case, small_catalogue):
    """Whatever the parameters, no server error, and answers match the schema."""
    case.call_and_validate(checks=CHECKS, headers=PLAIN)


def _real_ids(services) -> dict[str, set]:
    return {
        "/services/{id}": {service.hsds_id for service in services},
        "/organizations/{id}": {service.organisation.hsds_id for service in services},
        "/service_at_locations/{id}": {
            at.hsds_id
            for service in services
            for at in service.service_at_locations.all()
        },
        "/taxonomy_terms/{id}": {
            category.hsds_id
            for service in services
            for category in service.categories.all()
        },
    }


@pytest.mark.parametrize(
    "path",
    [
        "/services/{id}",
        "/organizations/{id}",
        "/service_at_locations/{id}",
        "/taxonomy_terms/{id}",
    ],
)
def test_details_of_real_objects_conform(small_catalogue, path):
    """Generated ids rarely name anything: the real ones must conform too."""
    operation = schema[path]["GET"]
    ids = _real_ids(small_catalogue)[path]
    assert ids
    for hsds_id in ids:
        case = operation.Case(path_parameters={"id": str(hsds_id)})
        response = case.call_and_validate(checks=CHECKS, headers=PLAIN)
        assert response.status_code == 200

"""No query string makes a page fail: random dates, numbers and text are fed to
every GET parameter of the public pages and of the API (property-based)."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retefamiglie.core.testing import login_as
from retefamiglie.directory.forms_events import EventFilterForm
from retefamiglie.directory.forms_search import ServiceSearchForm
from retefamiglie.directory.tests.factories import EventFactory, ServiceFactory
from retefamiglie.helprequests.staff_forms import InboxFilterForm, PeriodForm
from retefamiglie.network.forms import DirectoryFilterForm
from retefamiglie.pacts.forms_commitments import CommitmentFilterForm
from retefamiglie.pacts.tests.factories import CommitmentFactory, PactVersionFactory

pytestmark = pytest.mark.django_db

# Values a link, a bot or a typo may bring: any date (year 1 to 9999), months
# past either end, numbers of any size, text of any kind.
VALUES = st.one_of(
    st.dates().map(date.isoformat),
    st.builds(
        lambda year, month: f"{year:04d}-{month:02d}",
        st.integers(0, 99999),
        st.integers(-1, 13),
    ),
    st.integers().map(str),
    st.text(max_size=40),
    st.sampled_from(
        ["", "0", "-1", "9999-12-31", "9999-12", "0001-01-01", "1e400", "calendario"]
    ),
)


def names(form_class, *extra: str) -> list[str]:
    return [*form_class.base_fields, *extra]


# (URL name, role, the GET parameters it reads).
PAGES = [
    ("core:home", "anonymous", ["q"]),
    ("directory:services", "anonymous", names(ServiceSearchForm, "page")),
    ("directory:map", "anonymous", names(ServiceSearchForm)),
    ("directory:map_geojson", "anonymous", names(ServiceSearchForm)),
    ("directory:events", "anonymous", names(EventFilterForm, "vista", "mese", "page")),
    ("directory:event_feed", "anonymous", names(EventFilterForm)),
    ("network:directory", "anonymous", names(DirectoryFilterForm, "page")),
    ("pacts:commitments", "anonymous", names(CommitmentFilterForm, "page")),
    ("pacts:commitments", "coordinator", names(CommitmentFilterForm, "page")),
    ("helprequests:inbox", "coordinator", names(InboxFilterForm, "page")),
    ("helprequests:statistics", "coordinator", names(PeriodForm)),
]


@pytest.fixture
def catalogue(organisation):
    ServiceFactory(organisation=organisation)
    EventFactory(organisation=organisation)
    CommitmentFactory(
        organisation=organisation, version=PactVersionFactory(in_force=True)
    )


def assert_no_server_error(client, url: str, parameters: list[str]) -> None:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.dictionaries(st.sampled_from(parameters), VALUES, min_size=1))
    def check(query: dict[str, str]) -> None:
        response = client.get(url, query)
        assert response.status_code < 500, f"{url} {query}: {response.status_code}"

    check()


@pytest.mark.parametrize(("name", "role", "parameters"), PAGES)
def test_no_parameter_of_a_page_makes_it_fail(
    client, people, catalogue, name, role, parameters
):
    login_as(client, people, role)
    assert_no_server_error(client, reverse(name), parameters)


def api_operations(client) -> list[tuple[str, list[str]]]:
    """Every GET of the OpenAPI document without path parameters, with its query
    parameters: what the document promises is what is probed."""
    document = client.get(reverse("api:openapi")).json()
    shared = document["components"]["parameters"]

    def resolved(parameter: dict) -> dict:
        if "$ref" in parameter:
            return shared[parameter["$ref"].rsplit("/", 1)[-1]]
        return parameter

    operations = []
    for path, item in document["paths"].items():
        if "{" in path or "get" not in item:
            continue
        declared = [*item.get("parameters", []), *item["get"].get("parameters", [])]
        parameters = [
            resolved(parameter)["name"]
            for parameter in declared
            if resolved(parameter).get("in") == "query"
        ]
        if parameters:
            operations.append((f"/api/hsds{path}", parameters))
    return operations


def test_no_parameter_of_the_api_makes_it_fail(client, catalogue):
    operations = api_operations(client)
    assert len(operations) >= 4
    for url, parameters in operations:
        assert_no_server_error(client, url, parameters)


@pytest.mark.parametrize(
    "query",
    [
        {"dal": "9999-12-30"},
        {"al": "9999-12-31"},
        {"vista": "calendario", "mese": "9999-12"},
        {"vista": "calendario", "dal": "9999-12-30"},
        {"vista": "calendario", "mese": "0000-01"},
    ],
)
def test_dates_at_the_end_of_the_calendar_do_not_break_the_events(client, query):
    """The issue's cases: they answered 500 (OverflowError, year 10000)."""
    response = client.get(reverse("directory:events"), query)
    assert response.status_code == 200


def test_a_date_out_of_bounds_says_which_dates_are_accepted(client):
    response = client.get("/en/eventi/", {"dal": "9999-12-30"})
    assert "Enter a date between 1900 and 2199." in response.content.decode()


@pytest.mark.parametrize(
    ("value", "found"), [("9999-12-31", 0), ("0001-01-01T00:00:00", 1)]
)
def test_the_api_reads_dates_out_of_bounds_as_the_nearest_bound(
    client, catalogue, value, found
):
    response = client.get("/api/hsds/services", {"modified_after": value})
    assert response.status_code == 200
    assert response.json()["total_items"] == found

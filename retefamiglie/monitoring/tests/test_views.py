"""The dashboard page and the population upload, as people use them."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile

from retefamiglie.core.testing import ROLES
from retefamiglie.directory.tests.factories import ServiceFactory
from retefamiglie.helprequests.tests.factories import HelpRequestFactory
from retefamiglie.monitoring import services
from retefamiglie.monitoring.models import AreaPopulation, Snapshot
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/monitoraggio/"
POPULATION = "/gestione/popolazione/"


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


def _catalogue(areas: int, services_each: int) -> None:
    for index in range(areas):
        area = AreaFactory(name=f"Zona {index}", slug=f"zona-{index}")
        member = OrganisationFactory(area=area)
        for _ in range(services_each):
            ServiceFactory(organisation=member, location__area=area)


def test_before_the_first_computation_the_page_says_so_and_asks_the_worker(
    client, clock
):
    _catalogue(1, 1)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "in corso di calcolo" in response.text or "computed" in response.text
    # The worker was asked (tests run tasks at once): the next visit has figures.
    assert Snapshot.objects.exists()
    response = client.get(DASHBOARD)
    assert "Servizi offerti" in response.text


def test_the_dashboard_shows_a_figure_its_definition_chart_and_table(client, clock):
    _catalogue(2, 3)
    services.snapshots_compute()
    response = client.get(DASHBOARD, {"periodo": "2026-11"})
    page = response.text
    assert response.status_code == 200
    assert "Novembre 2026" in page
    assert "Servizi offerti" in page
    assert 'role="img"' in page
    assert "<title id=" in page
    assert "<desc id=" in page
    assert "Tabella dei dati" in page
    # Six services: three in each area; the chart describes its bars in words.
    assert "Zona 0: 3" in page


def test_choosing_an_area_shows_its_figures_only(client, clock):
    _catalogue(2, 3)
    ServiceFactory(
        organisation=OrganisationFactory(), location__area=AreaFactory(slug="zona-1")
    )
    services.snapshots_compute()
    response = client.get(DASHBOARD, {"periodo": "2026-Q4", "zona": "zona-1"})
    figure = response.context["sections"][0].figures[0]
    assert figure.indicator.key == "services"
    assert figure.total == 4
    assert "Zona 1" in response.text
    # The coverage of the areas belongs to the whole city's view.
    assert response.context["coverage"] is None


def test_the_period_before_is_compared(client, clock, organisation):
    ServiceFactory(organisation=organisation)
    services.snapshots_compute()
    response = client.get(DASHBOARD, {"periodo": "2026-11"})
    figure = response.context["sections"][0].figures[0]
    assert (figure.previous, figure.change) == ("0", "+1")


def test_an_unknown_period_or_area_falls_back_to_the_current_quarter(client, clock):
    _catalogue(1, 1)
    services.snapshots_compute()
    response = client.get(DASHBOARD, {"periodo": "2099-13", "zona": "nowhere"})
    assert response.status_code == 200
    assert response.context["period"].key == "2026-Q4"


def test_small_help_request_figures_show_as_fewer_than_the_threshold(client, clock):
    area = AreaFactory(name="Centro", slug="centro")
    for _ in range(3):
        HelpRequestFactory(area=area)
    services.snapshots_compute()
    response = client.get(DASHBOARD, {"periodo": "2026-11"})
    assert "meno di 5" in response.text
    help_section = next(
        s for s in response.context["sections"] if s.section.key == "help"
    )
    assert help_section.figures[0].total is None


def test_the_dashboard_costs_the_same_queries_with_three_times_the_data(
    client, clock, django_assert_num_queries
):
    _catalogue(2, 2)
    services.snapshots_compute()
    client.get(DASHBOARD)  # warm up sessions and translations
    with django_assert_num_queries(7) as first:
        client.get(DASHBOARD)
    _catalogue(6, 6)
    services.snapshots_compute()
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(DASHBOARD)


def test_the_dashboard_is_in_english_under_en(client, clock):
    _catalogue(1, 1)
    services.snapshots_compute()
    response = client.get("/en/monitoraggio/")
    assert "Services offered" in response.text
    assert "What the network achieves" in response.text


def test_coverage_per_thousand_children_marks_the_least_offer(client, clock):
    _catalogue(3, 2)  # two services in each of three areas
    AreaPopulation.objects.create(
        area=AreaFactory(slug="zona-0"), children=400, year=2025
    )
    AreaPopulation.objects.create(
        area=AreaFactory(slug="zona-1"), children=1000, year=2025
    )
    services.snapshots_compute()
    coverage = client.get(DASHBOARD).context["coverage"]
    rates = {row.area: row.rate for row in coverage.rows}
    assert rates == {"Zona 0": 5.0, "Zona 1": 2.0, "Zona 2": None}
    assert coverage.least == ["Zona 1"]


# ------------------------------------------------------------------------------
# Population upload
# ------------------------------------------------------------------------------

ALLOWED = {"coordinator", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_upload_the_population(client, people, role):
    user = people[role]
    if user is not None:
        client.force_login(with_mfa(user))
    response = client.get(POPULATION)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/" in response["Location"]
    elif role in ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def _upload(client, content: bytes, year: int = 2025):
    return client.post(
        POPULATION,
        {
            "file": SimpleUploadedFile("popolazione.csv", content, "text/csv"),
            "year": year,
            "source": "ISTAT",
        },
    )


def test_a_coordinator_uploads_the_istat_figures(client, people):
    AreaFactory(name="Sant'Anna", slug="santanna")
    AreaFactory(name="Centro storico", slug="centro")
    client.force_login(with_mfa(people["coordinator"]))
    response = _upload(client, b"zona;minori\nSant'Anna;1.234\ncentro;560\n")
    assert response.status_code == 302
    saved = {p.area.slug: p.children for p in AreaPopulation.objects.all()}
    assert saved == {"santanna": 1234, "centro": 560}
    assert (
        AreaPopulation.objects.get(area__slug="centro").uploaded_by
        == people["coordinator"]
    )


def test_a_bad_file_is_refused_line_by_line_and_nothing_is_saved(client, people):
    AreaFactory(name="Centro storico", slug="centro")
    client.force_login(with_mfa(people["coordinator"]))
    response = _upload(client, b"area,children\ncentro,560\nMarte,12\ncentro,abc\n")
    assert response.status_code == 200
    assert "Riga 3" in response.text
    assert "Marte" in response.text
    assert "Riga 4" in response.text
    assert not AreaPopulation.objects.exists()


def test_a_file_without_the_columns_is_refused(client, people):
    client.force_login(with_mfa(people["coordinator"]))
    response = _upload(client, b"foo,bar\n1,2\n")
    assert response.status_code == 200
    assert "prima riga" in response.text
    assert not AreaPopulation.objects.exists()


def test_uploading_again_replaces_an_areas_figures(client, people):
    area = AreaFactory(name="Centro storico", slug="centro")
    AreaPopulation.objects.create(area=area, children=100, year=2020)
    client.force_login(with_mfa(people["coordinator"]))
    _upload(client, b"area,children\ncentro,560\n", year=2025)
    population = AreaPopulation.objects.get()
    assert (population.children, population.year) == (560, 2025)


def test_the_demo_gives_every_lucca_area_a_population_once(client, clock):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert AreaPopulation.objects.count() == 15
    services.snapshots_compute()
    coverage = client.get(DASHBOARD).context["coverage"]
    assert coverage.least
    assert all(row.children for row in coverage.rows if row.area != "")

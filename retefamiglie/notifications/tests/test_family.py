"""My children (birth month and year only), interests, saved searches, follows."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory
from retefamiglie.notifications import follow_targets
from retefamiglie.notifications.models import Child, SavedSearch
from retefamiglie.notifications.personal_data import erase, export
from retefamiglie.notifications.selectors import (
    children_ages,
    families_with_children_aged,
)
from retefamiglie.notifications.services import child_add, follow

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        ((2019, 5), (2026, 4, 30), 6),
        ((2019, 5), (2026, 5, 1), 7),
        ((2023, 12), (2026, 12, 3), 3),
        ((2026, 12), (2026, 12, 3), 0),
    ],
)
def test_children_grow_older_by_themselves(born, today, age):
    import datetime as dt

    child = Child(birth_year=born[0], birth_month=born[1])
    assert child.age_on(dt.date(*today)) == age


def test_age_window_finds_families_by_their_childrens_age():
    import datetime as dt

    today = dt.date(2026, 12, 3)
    seven = UserFactory()
    Child.objects.create(user=seven, birth_year=2019, birth_month=6)
    three = UserFactory()
    Child.objects.create(user=three, birth_year=2023, birth_month=12)
    # 6 until January 2027, 7 after: not yet 7 in December 2026.
    almost = UserFactory()
    Child.objects.create(user=almost, birth_year=2020, birth_month=1)

    def found(low, high):
        return set(families_with_children_aged(low, high, today))

    assert found(7, 7) == {seven}
    assert found(3, 6) == {three, almost}
    assert found(None, 2) == set()
    assert found(None, None) == {seven, three, almost}


def test_giulia_adds_her_children_by_month_and_year():
    giulia = UserFactory()
    client = logged_in(giulia)
    page = client.get(reverse("family:page")).content.decode()
    assert 'name="birth_month"' in page
    assert 'name="name"' not in page  # no child's name is ever asked
    for year in (2019, 2023):
        response = client.post(
            reverse("family:child_add"), {"birth_month": 3, "birth_year": year}
        )
        assert response.status_code == 302
    assert children_ages(giulia, timezone.localdate().replace(year=2026, month=12)) == [
        3,
        7,
    ]


def test_a_birth_in_the_future_is_refused_and_the_form_keeps_it():
    client = logged_in(UserFactory())
    next_year = timezone.localdate().year + 1
    response = client.post(
        reverse("family:child_add"), {"birth_month": 1, "birth_year": next_year}
    )
    assert response.status_code == 400
    assert not Child.objects.exists()


def test_nobody_removes_someone_elses_child():
    child = child_add(user=UserFactory(), birth_year=2019, birth_month=1)
    response = logged_in(UserFactory()).post(
        reverse("family:child_remove", kwargs={"pk": child.pk})
    )
    assert response.status_code == 404
    assert Child.objects.exists()


def test_interests_offer_the_areas_of_the_network():
    AreaFactory(name="Sant'Anna", slug="sant-anna")
    giulia = UserFactory()
    client = logged_in(giulia)
    assert "Sant&#x27;Anna" in client.get(reverse("family:page")).content.decode()
    client.post(
        reverse("family:interests"), {"areas": ["sant-anna"], "languages": ["it"]}
    )
    assert giulia.family_profile.areas == ["sant-anna"]


def test_family_pages_need_an_account():
    for name in (
        "family:page",
        "notifications:saved_searches",
        "notifications:follows",
    ):
        response = Client().get(reverse(name))
        assert response.status_code == 302


def test_save_a_search_from_a_list():
    giulia = UserFactory()
    client = logged_in(giulia)
    url = reverse("notifications:saved_search_create")
    page = client.get(url, {"lista": "directory.events", "filtri": "eta=7"})
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "scope": "directory.events",
            "query": "eta=7&zona=sant-anna",
            "name": "Sport, 7",
            "frequency": "daily",
        },
    )
    assert response["Location"] == "/eventi/?eta=7&zona=sant-anna"
    search = SavedSearch.objects.get(user=giulia)
    assert (search.name, search.frequency) == ("Sport, 7", "daily")
    listing = client.get(reverse("notifications:saved_searches")).content.decode()
    assert "Sport, 7" in listing


def test_saving_needs_a_name_and_keeps_the_filters():
    client = logged_in(UserFactory())
    response = client.post(
        reverse("notifications:saved_search_create"),
        {
            "scope": "directory.events",
            "query": "eta=7",
            "name": "",
            "frequency": "daily",
        },
    )
    assert response.status_code == 200
    assert 'value="eta=7"' in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_an_unknown_list_cannot_be_saved():
    client = logged_in(UserFactory())
    response = client.post(
        reverse("notifications:saved_search_create"),
        {"scope": "accounts.users", "query": "", "name": "x", "frequency": "daily"},
    )
    assert response.status_code == 400
    assert not SavedSearch.objects.exists()


def test_nobody_changes_someone_elses_saved_search():
    search = SavedSearch.objects.create(
        user=UserFactory(), scope="directory.events", name="Mine", query=""
    )
    client = logged_in(UserFactory())
    for name in (
        "notifications:saved_search_update",
        "notifications:saved_search_delete",
    ):
        assert client.post(reverse(name, kwargs={"pk": search.pk})).status_code == 404
    assert SavedSearch.objects.get().frequency == "daily"


def test_follow_refuses_what_is_not_followable():
    client = logged_in(UserFactory())
    forged = follow_targets.make(UserFactory())  # people cannot be followed
    response = client.post(reverse("notifications:follow"), {"target": forged})
    assert response.status_code == 400
    response = client.post(reverse("notifications:follow"), {"target": "garbage"})
    assert response.status_code == 400


def test_follows_page_lists_and_unfollows():
    giulia = UserFactory()
    organisation = OrganisationFactory(name="Panathlon")
    follow(user=giulia, target=organisation)
    client = logged_in(giulia)
    page = client.get(reverse("notifications:follows")).content.decode()
    assert "Panathlon" in page
    client.post(
        reverse("notifications:follow"),
        {"target": follow_targets.make(organisation), "action": "unfollow"},
    )
    assert not giulia.follows.exists()


def test_personal_data_export_and_erase():
    giulia = UserFactory()
    child_add(user=giulia, birth_year=2019, birth_month=5)
    follow(user=giulia, target=OrganisationFactory())
    data = export(giulia)
    assert data["children"] == [{"birth_year": 2019, "birth_month": 5}]
    assert len(data["follows"]) == 1
    erase(giulia)
    assert export(giulia)["children"] == []
    assert export(giulia)["follows"] == []

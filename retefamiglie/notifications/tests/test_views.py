"""The centre, the header count, preferences and the unsubscribe page."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.notifications import links
from retefamiglie.notifications.kinds import Frequency
from retefamiglie.notifications.models import Notification, Preference, Suppression
from retefamiglie.notifications.services import notify

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_centre_needs_an_account():
    response = Client().get(reverse("notifications:centre"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_centre_lists_unread_first_and_only_ones_own():
    giulia, other = UserFactory(), UserFactory()
    old = notify(recipient=giulia, kind="tests.listing", context={"title": "Old"})
    notify(recipient=giulia, kind="tests.listing", context={"title": "Newer"})
    notify(recipient=other, kind="tests.listing", context={"title": "Not hers"})
    old.read_at = old.created_at
    old.save()
    notify(recipient=giulia, kind="tests.listing", context={"title": "Newest"})
    page = logged_in(giulia).get(reverse("notifications:centre")).content.decode()
    assert page.index("New: Newest") < page.index("New: Newer") < page.index("New: Old")
    assert "Not hers" not in page
    assert "2 notifiche da leggere" in page


def test_centre_keeps_a_constant_number_of_queries(django_assert_num_queries):
    giulia = UserFactory()
    client = logged_in(giulia)

    def render_with(count):
        for index in range(count):
            notify(recipient=giulia, kind="tests.listing", context={"title": index})
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications:centre")).status_code == 200
        return len(queries)

    assert render_with(3) == render_with(6)


def test_open_marks_read_and_goes_to_the_link():
    giulia = UserFactory()
    notification = notify(
        recipient=giulia,
        kind="tests.answer",
        context={"link": "http://127.0.0.1:8000/eventi/"},
    )
    client = logged_in(giulia)
    response = client.get(notification.get_absolute_url())
    assert response["Location"] == "/eventi/"
    notification.refresh_from_db()
    assert not notification.is_unread


def test_open_never_leaves_the_site():
    giulia = UserFactory()
    notification = notify(
        recipient=giulia, kind="tests.answer", context={"link": "https://evil.test/"}
    )
    response = logged_in(giulia).get(notification.get_absolute_url())
    assert response["Location"] == reverse("notifications:centre")


def test_nobody_opens_or_marks_someone_elses_notification():
    notification = notify(recipient=UserFactory(), kind="tests.answer")
    intruder = logged_in(UserFactory())
    assert intruder.get(notification.get_absolute_url()).status_code == 404
    url = reverse("notifications:mark_read", kwargs={"pk": notification.pk})
    assert intruder.post(url).status_code == 404
    assert Notification.objects.get().is_unread


def test_mark_one_and_all_read_update_the_header_count(
    django_capture_on_commit_callbacks,
):
    giulia = UserFactory()
    first = notify(recipient=giulia, kind="tests.answer")
    notify(recipient=giulia, kind="tests.answer")
    notify(recipient=giulia, kind="tests.answer")
    client = logged_in(giulia)
    home = client.get("/").content.decode()
    assert 'data-unread="3"' in home
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:mark_read", kwargs={"pk": first.pk}))
    assert 'data-unread="2"' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:mark_all_read"))
    assert 'data-unread="0"' in client.get("/").content.decode()


def test_header_count_costs_no_query_once_cached(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    from retefamiglie.notifications.selectors import unread_count

    giulia = UserFactory()
    notify(recipient=giulia, kind="tests.answer")
    with django_assert_num_queries(1):
        assert unread_count(giulia) == 1
    with django_assert_num_queries(0):
        assert unread_count(giulia) == 1
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=giulia, kind="tests.answer")
    # The cache is forgotten when a notice arrives (after commit).
    with django_assert_num_queries(1):
        assert unread_count(giulia) == 2


def test_preferences_are_saved_per_kind():
    giulia = UserFactory()
    client = logged_in(giulia)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "An answer to your request" in page
    assert "Booking confirmation link" not in page  # essential: no choice
    assert "A new request to handle" not in page  # staff only
    response = client.post(
        reverse("notifications:preferences"),
        {
            "kind__tests__answer": Frequency.DAILY,
            "kind__tests__listing": Frequency.NEVER,
            "kind__tests__sms": Frequency.IMMEDIATE,
            "language": "en",
            "quiet_from": "22:00",
            "quiet_until": "07:30",
        },
    )
    assert response.status_code == 302
    assert dict(
        Preference.objects.filter(user=giulia, kind__startswith="tests.").values_list(
            "kind", "frequency"
        )
    ) == {"tests.answer": "daily", "tests.listing": "never"}
    assert giulia.notification_settings.language == "en"


def test_preferences_bad_input_keeps_what_was_typed():
    client = logged_in(UserFactory())
    response = client.post(
        reverse("notifications:preferences"),
        {
            "kind__tests__answer": "sometimes",
            "language": "en",
            "quiet_from": "25:00",
            "quiet_until": "07:30",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Selezionare una scelta valida" in page or "valida" in page
    assert 'value="07:30"' in page


def test_staff_see_staff_kinds(people):
    page = logged_in(people["coordinator"]).get(reverse("notifications:preferences"))
    assert "A new request to handle" in page.content.decode()


def _unsubscribe_url(**target):
    return reverse(
        "notifications:unsubscribe",
        kwargs={"token": links.unsubscribe_token(**target)},
    )


def test_unsubscribe_get_shows_a_page_and_changes_nothing():
    giulia = UserFactory()
    url = _unsubscribe_url(kind="tests.answer", user_id=giulia.pk)
    response = Client().get(url)
    assert response.status_code == 200
    assert "An answer to your request" in response.content.decode()
    assert not Preference.objects.filter(user=giulia).exists()


def test_unsubscribe_one_click_post_without_login_or_csrf():
    giulia = UserFactory()
    url = _unsubscribe_url(kind="tests.answer", user_id=giulia.pk)
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=giulia).frequency == "never"
    notify(recipient=giulia, kind="tests.answer")
    assert mail.outbox == []


def test_unsubscribe_page_button():
    giulia = UserFactory()
    url = _unsubscribe_url(kind="tests.answer", user_id=giulia.pk)
    page = Client().post(url).content.decode()
    assert "Fatto" in page
    assert Preference.objects.get(user=giulia).frequency == "never"


def test_unsubscribe_for_an_address_without_account():
    url = _unsubscribe_url(kind="tests.listing", email="Famiglia@Example.org")
    Client().post(url, {"List-Unsubscribe": "One-Click"})
    Client().post(url, {"List-Unsubscribe": "One-Click"})  # twice is fine
    assert Suppression.objects.get().email == "famiglia@example.org"


def test_forged_unsubscribe_link_is_refused():
    giulia = UserFactory()
    url = _unsubscribe_url(kind="tests.answer", user_id=giulia.pk)
    response = Client().post(url[:-6] + "AAAAA/")
    assert response.status_code == 404
    assert not Preference.objects.exists()


def test_unsubscribe_link_in_the_email_works(django_capture_on_commit_callbacks):
    giulia = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=giulia, kind="tests.answer")
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert url in mail.outbox[0].body
    Client().post(url, {"List-Unsubscribe": "One-Click"})
    assert Preference.objects.get(user=giulia, kind="tests.answer").frequency == "never"

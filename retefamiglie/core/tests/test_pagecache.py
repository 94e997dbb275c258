"""The shared cache of public pages (core.pagecache), seen through the home page."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from retefamiglie.core import pagecache

NONCE = re.compile(r'nonce="([^"]+)"')


def queries_of(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response, len(queries)


def nonces(response) -> set[str]:
    return set(NONCE.findall(response.content.decode()))


@pytest.mark.django_db
def test_a_visitor_gets_the_page_another_visitor_caused_without_the_database(client):
    first, first_queries = queries_of(client, "/")
    again, again_queries = queries_of(client, "/")
    assert first_queries > 0
    assert again_queries == 0
    assert NONCE.sub("", again.content.decode()) == NONCE.sub(
        "", first.content.decode()
    )


@pytest.mark.django_db
def test_a_page_from_the_cache_carries_a_fresh_nonce_matching_its_policy(client):
    first = client.get("/")
    again = client.get("/")
    (first_nonce,) = nonces(first)
    (again_nonce,) = nonces(again)
    assert again_nonce != first_nonce
    assert f"'nonce-{again_nonce}'" in again["Content-Security-Policy"]
    assert first_nonce not in again["Content-Security-Policy"]


@pytest.mark.django_db
def test_each_language_has_its_own_page(client):
    client.get("/")
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english
    italian = client.get("/").content.decode()
    assert '<html lang="it">' in italian


@pytest.mark.django_db
def test_logged_in_people_never_get_or_leave_a_cached_page(client, people):
    family = people["family"]
    queries_of(client, "/")  # an anonymous visitor fills the cache
    client.force_login(family)
    mine, mine_queries = queries_of(client, "/")
    assert mine_queries > 0
    assert "Create an account" not in mine.content.decode()
    assert "Crea un account" not in mine.content.decode()
    _, again_queries = queries_of(client, "/")
    assert again_queries > 0
    client.logout()
    anonymous = client.get("/").content.decode()
    assert family.email not in anonymous
    assert "Crea un account" in anonymous


@pytest.mark.django_db
def test_a_waiting_message_is_shown_to_its_visitor_only(client):
    queries_of(client, "/")  # cached without any message
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Prenotazione annullata.")]
    )
    with_message = client.get("/").content.decode()
    assert "Prenotazione annullata." in with_message
    other = client.__class__()
    assert "Prenotazione annullata." not in other.get("/").content.decode()


@pytest.mark.django_db
def test_saving_public_content_renews_every_page_and_private_data_does_not(
    client, organisation, people
):
    queries_of(client, "/")
    before = pagecache.version()
    people["family"].save()  # accounts: nothing public changes
    assert pagecache.version() == before
    _, cached_queries = queries_of(client, "/")
    assert cached_queries == 0
    organisation.name = "Panathlon Lucca, sezione giovani"
    organisation.save()  # network: public
    assert pagecache.version() != before
    _, renewed_queries = queries_of(client, "/")
    assert renewed_queries > 0


@pytest.mark.django_db
def test_the_page_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    queries_of(client, "/")
    _, again_queries = queries_of(client, "/")
    assert again_queries > 0


def _anonymous_get(path: str = "/prova/"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = "it"
    return request


@pytest.mark.django_db
def test_a_page_holding_a_csrf_token_is_never_shared():
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    renders = []

    @pagecache.cache_public_page
    def with_form(request):
        renders.append(1)
        return HttpResponse(
            f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">'
        )

    @pagecache.cache_public_page
    def without_form(request):
        renders.append(2)
        return HttpResponse("<p>Servizi</p>")

    first = with_form(_anonymous_get()).content
    second = with_form(_anonymous_get()).content
    assert renders == [1, 1]
    assert first != second  # each visitor gets their own token
    without_form(_anonymous_get("/altra/"))
    without_form(_anonymous_get("/altra/"))
    assert renders == [1, 1, 2]


@pytest.mark.django_db
def test_public_pages_carry_no_csrf_token_for_anonymous_visitors(client, people):
    for path in ("/", "/servizi/", "/eventi/", "/api/hsds/services"):
        response = client.get(path)
        assert "X-CSRFToken" not in response.content.decode(), path
        assert "csrftoken" not in response.cookies, path
    client.force_login(people["family"])
    assert "X-CSRFToken" in client.get("/").content.decode()


@pytest.mark.django_db
def test_after_a_deploy_the_command_renews_every_page(client):
    from django.core.management import call_command

    queries_of(client, "/")
    call_command("renew_public_pages", verbosity=0)
    _, queries = queries_of(client, "/")
    assert queries > 0


@pytest.mark.django_db
def test_deleting_rows_nobody_shows_keeps_djangos_single_delete(people):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    for _ in range(5):
        SessionStore().create()
    with CaptureQueriesContext(connection) as queries:
        Session.objects.all().delete()
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert "SELECT" not in statements
    assert statements.count("DELETE") == 1


UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Nothing listens on port 1: every call is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    },
}


@pytest.mark.django_db
def test_without_its_cache_the_site_renders_pages_and_saves_edits(
    client, organisation, settings
):
    settings.CACHES = UNREACHABLE
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    organisation.name = "Panathlon Lucca"
    organisation.save()  # renewing the pages fails quietly, the edit does not
    organisation.refresh_from_db()
    assert organisation.name == "Panathlon Lucca"


@pytest.mark.django_db
def test_an_edit_renews_pages_even_within_the_same_instant(client, organisation):
    import time_machine

    with time_machine.travel("2026-12-01 10:00 +01:00", tick=False):
        queries_of(client, "/")
        organisation.save()
        _, queries = queries_of(client, "/")
    assert queries > 0

"""Private by default: no response is kept by a cache unless it is public."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from retefamiglie.core.middleware import PrivateByDefaultMiddleware, public_page

pytestmark = pytest.mark.django_db


def stored_by_caches(response) -> bool:
    return "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    [
        "/gestione/",
        "/account/email/",
        "/account/2fa/",
        "/account/profilo/",
        "/gestione/catalogo/",
        "/",
        "/servizi/",
    ],
)
def test_every_page_for_a_logged_in_person_is_no_store(client, people, url):
    client.force_login(people["coordinator"])
    response = client.get(url)
    assert response.status_code < 500
    assert not stored_by_caches(response)
    assert "private" in response["Cache-Control"]


def test_public_pages_may_be_kept_for_visitors(client):
    for url in ("/", "/servizi/", "/eventi/", "/rete/", "/patto/", "/privacy/"):
        assert stored_by_caches(client.get(url)), url


@pytest.mark.parametrize("url", ["/account/login/", "/aiuto/", "/rete/aderisci/"])
def test_pages_holding_a_form_are_private_for_visitors_too(client, url):
    assert not stored_by_caches(client.get(url))


def test_a_public_page_that_hands_out_a_csrf_token_is_private():
    def view(request):
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        return HttpResponse("form")

    request = RequestFactory().get("/")
    response = PrivateByDefaultMiddleware(public_page(view))(request)
    assert not stored_by_caches(response)


def test_a_new_view_is_private_unless_it_opts_in():
    request = RequestFactory().get("/")
    private = PrivateByDefaultMiddleware(lambda request: HttpResponse("x"))(request)
    assert not stored_by_caches(private)
    public = PrivateByDefaultMiddleware(public_page(lambda r: HttpResponse("x")))(
        RequestFactory().get("/")
    )
    assert stored_by_caches(public)


def test_the_admin_login_is_private(client):
    assert not stored_by_caches(client.get(reverse("admin:login")))

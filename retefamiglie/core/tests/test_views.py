import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from retefamiglie.core.tasks import deliver_email

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_home_is_italian_with_our_own_bootstrap_italia(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="it">' in html
    assert '<link rel="stylesheet" href="/static/css/all.css">' in html
    assert "Vai al contenuto" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_english_home_under_en_prefix(client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "What the network does" in html


@pytest.mark.django_db
def test_language_links_point_to_the_same_page_in_the_other_language(client):
    html = client.get("/privacy/").content.decode()
    assert 'href="/en/privacy/"' in html
    html = client.get("/en/privacy/").content.decode()
    assert 'href="/privacy/"' in html


@pytest.mark.django_db
def test_security_headers_and_strict_csp(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'nonce-" in script_src
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_every_script_carries_the_nonce(client):
    response = client.get("/")
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    scripts = html.count("<script")
    assert scripts >= 1
    assert html.count(f'nonce="{nonce}"') == scripts


@pytest.mark.django_db
def test_404_page_in_the_site_design(client):
    response = client.get("/pagina-che-non-esiste/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina non trovata" in html
    assert "it-header-wrapper" in html


@pytest.mark.django_db
def test_404_page_in_english(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_renders_without_database_or_request(rf):
    from retefamiglie.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "it-header-wrapper" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )


def test_healthz_is_503_when_the_database_cannot_be_reached(tmp_path):
    """A real unreachable database: a SQLite file in a folder that does not exist."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/folder/db.sqlite3",
        "RETEFAMIGLIE_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["database"] == "unreachable"


@pytest.mark.django_db(transaction=True)
@override_settings(
    MAILERS={
        "default": {"BACKEND": "retefamiglie.core.mail.TaskEmailBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
)
def test_email_goes_out_through_a_task():
    mail.outbox.clear()
    sent = mail.send_mail(
        "Conferma", "Testo", "rete@example.org", ["famiglia@example.org"]
    )
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["famiglia@example.org"]]
    assert mail.outbox[0].subject == "Conferma"


def test_email_task_keeps_html_alternative():
    mail.outbox.clear()
    payload = {
        "subject": "Oggetto",
        "body": "Testo",
        "from_email": "rete@example.org",
        "to": ["a@example.org"],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [["<p>Testo</p>", "text/html"]],
    }
    deliver_email.call(payload)
    assert mail.outbox[0].alternatives[0].content == "<p>Testo</p>"


@pytest.mark.django_db
def test_privacy_notice_shows_its_version(client, settings):
    settings.RETEFAMIGLIE = {**settings.RETEFAMIGLIE, "PRIVACY_NOTICE_VERSION": "v9"}
    html = client.get("/privacy/").content.decode()
    assert "v9" in html

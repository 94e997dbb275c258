"""`make demo` runs as production does: DEBUG off, the site's own error pages."""

from pathlib import Path

from retefamiglie.core.testing import probe_settings

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json
from django.conf import settings
from django.test import Client
page = Client(HTTP_HOST="127.0.0.1").get("/una-pagina-che-non-esiste/")
print(json.dumps({
    "debug": settings.DEBUG,
    "status": page.status_code,
    "technical": b"Using the URLconf" in page.content,
    "own_page": "Pagina non trovata" in page.content.decode(),
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def test_the_demo_shows_the_sites_404_not_djangos_technical_page(tmp_path):
    probe = probe_settings(
        "config.settings.demo",
        PROBE,
        {"RETEFAMIGLIE_VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "false"},
    )
    assert probe == {
        "debug": False,
        "status": 404,
        "technical": False,
        "own_page": True,
        "static": "retefamiglie.core.storage.StaticStorage",
    }


def test_make_demo_uses_the_demo_settings():
    makefile = (ROOT / "Makefile").read_text()
    assert "demo: export DJANGO_SETTINGS_MODULE = config.settings.demo" in makefile

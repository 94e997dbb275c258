"""`make demo` runs as production does: DEBUG off, the site's own error pages."""

import json
import os
import subprocess
import sys
from pathlib import Path

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
    env = {**os.environ, "RETEFAMIGLIE_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_DEBUG", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.demo"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
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

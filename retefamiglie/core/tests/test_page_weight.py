"""What a phone downloads: pages compressed, the site's script in one file (ADR 28)."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_a_page_is_sent_compressed_to_a_browser_that_accepts_gzip(client):
    plain = client.get("/servizi/")
    compressed = client.get("/servizi/", headers={"accept-encoding": "gzip, br"})

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 3
    page = gzip.decompress(compressed.content).decode()
    assert "<h1" in page
    assert page.count("</html>") == 1


def test_compressed_pages_vary_in_length_against_breach(client):
    """Django pads each gzip stream with 0-99 random bytes: a page's compressed
    length says nothing about a secret in it (a few requests to be sure)."""
    lengths = {
        len(client.get("/", headers={"accept-encoding": "gzip"}).content)
        for _ in range(8)
    }
    assert len(lengths) > 1


@pytest.mark.skipif(
    not (settings.ASSETS_DIR / "js" / "site.js").exists(),
    reason="the front-end build (make install) has not run in this checkout",
)
def test_the_site_script_is_one_file_with_the_plugins_inside():
    served = finders.find("js/site.js")
    with open(served, encoding="utf-8") as script:
        text = script.read()

    assert served.startswith(str(settings.ASSETS_DIR))
    # No module left to fetch: every import was bundled in.
    assert not re.search(r"\bimport\s*[\"'{*]", text)
    # The two components the layout uses are in it (their data keys).
    assert "bs.navbarcollapsible" in text
    assert "bs.collapse" in text


@pytest.mark.skipif(
    not (settings.ASSETS_DIR / "css" / "all.css").exists(),
    reason="the front-end build (make install) has not run in this checkout",
)
def test_every_page_loads_one_stylesheet_with_everything_inside(client):
    page = client.get("/").content.decode()
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == [
        "/static/css/all.css"
    ]
    served = finders.find("css/all.css")
    with open(served, encoding="utf-8") as sheet:
        text = sheet.read()
    assert served.startswith(str(settings.ASSETS_DIR))
    assert "@import" not in text
    assert "font-family:Titillium Web" in text  # fonts.css
    assert ".it-header-wrapper" in text  # Bootstrap Italia, purged
    assert ".hp-field" in text  # the site's own rules

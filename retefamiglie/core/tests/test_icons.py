"""Icons are drawn inline from Bootstrap Italia's sprite, not fetched whole."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

from retefamiglie.core.templatetags.core_tags import sprite_symbols

APP_DIR = Path(__file__).resolve().parents[2]
ICON_TAG = re.compile(r"""\{%\s*icon\s+["']([\w-]+)["']""")


def test_every_icon_the_templates_use_is_in_the_sprite():
    used = {
        name
        for template in APP_DIR.rglob("templates/**/*.html")
        for name in ICON_TAG.findall(template.read_text())
    }
    assert used, "no template uses an icon: the pattern above is wrong"
    assert used <= set(sprite_symbols())
    assert len(sprite_symbols()) > 100


def test_an_icon_is_inline_and_hidden_from_screen_readers():
    html = Template('{% load core_tags %}{% icon "it-user" "icon-white" %}').render(
        Context()
    )
    assert html.startswith('<svg class="icon icon-white" viewBox="0 0 24 24"')
    assert 'aria-hidden="true"' in html
    assert "<path " in html
    assert "sprites.svg" not in html


def test_a_misspelt_icon_fails_loudly():
    with pytest.raises(TemplateSyntaxError, match="it-usr"):
        Template('{% load core_tags %}{% icon "it-usr" %}').render(Context())


@pytest.mark.django_db
def test_pages_do_not_fetch_the_whole_sprite(client):
    html = client.get("/").content.decode()
    assert '<svg class="icon' in html
    assert "sprites.svg" not in html

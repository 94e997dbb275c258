"""The checks of the browser tests fail on broken pages (a check that cannot fail is
a defect)."""

import pytest

from .a11y import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_valid_html,
    check_with_command_line,
)

BROKEN = """<!DOCTYPE html>
<html lang="it"><head><meta charset="utf-8"><title>Rotta</title></head>
<body><main>
  <h1>Pagina rotta</h1>
  <p>Testo<ul><li>una lista dentro un paragrafo</li></ul></p>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p id="doppio" style="color:#bbb;background:#fff">Testo poco contrastato</p>
  <p id="doppio" style="width:600px">Troppo largo per un telefono</p>
</main></body></html>"""


def test_axe_finds_violations(page):
    page.set_content(BROKEN)

    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)

    message = str(failure.value)
    assert "image-alt" in message
    assert "color-contrast" in message


def test_vnu_finds_errors(html_checker):
    with pytest.raises(AssertionError) as failure:
        assert_valid_html({"rotta": BROKEN}, checker=html_checker)

    message = str(failure.value)
    assert "rotta:" in message
    assert "Duplicate ID “doppio”" in message
    assert "No “p” element in scope" in message
    assert "must have an “alt” attribute" in message


def test_vnu_command_line_finds_the_same_errors(html_checker):
    """Without the service, one vnu.jar run checks a batch of documents."""
    valid = BROKEN.replace('id="doppio" style="width', 'style="width')
    errors = check_with_command_line({"rotta": BROKEN, "meno rotta": valid})

    def messages(found):
        return [(error["lastLine"], error["message"]) for error in found]

    service = html_checker.check({"rotta": BROKEN})["rotta"]
    assert messages(errors["rotta"]) == messages(service)
    assert len(errors["meno rotta"]) == len(errors["rotta"]) - 1


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_reflow_check_finds_horizontal_scroll(page):
    page.set_content(BROKEN)

    with pytest.raises(AssertionError, match="scrolls horizontally at 360px"):
        assert_no_horizontal_scroll(page)

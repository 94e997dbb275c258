"""The foundation pages, in Italian and English, on a desktop and on a 360 px phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .factories import PASSWORD, UserFactory
from .helpers import assert_no_page_errors, field_label, log_in

PAGES = {
    "home": "/",
    "login": "/account/login/",
    "signup": "/account/signup/",
    "password_reset": "/account/password/reset/",
    "profile": "/account/profilo/",
    "privacy": "/privacy/",
    "not_found": "/pagina-inesistente/",
}
LOGGED_IN = {"profile"}
LANGUAGES = {"it": "", "en": "/en"}


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_foundation_page_is_accessible_and_valid(page, audit, login_as, name, language):
    """Each page passes axe-core and vnu, and reflows without scrolling at 360 px."""
    if name in LOGGED_IN:
        login_as("family")

    response = page.goto(LANGUAGES[language] + PAGES[name])

    assert response.status == (404 if name == "not_found" else 200)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main")).to_be_visible()
    audit()


def test_stylesheets_and_fonts_load(page, page_log):
    """Bootstrap Italia, its font and the site's own CSS reach the browser, in
    the one stylesheet every page loads (bundled by `make install`, ADR 28)."""
    page.goto("/")

    sheets = page.evaluate(
        "[...document.styleSheets].map(s => [s.href, s.cssRules.length])"
    )
    assert [href.rsplit("/", 1)[-1] for href, _rules in sheets] == ["all.css"]
    # Bootstrap Italia's rules (the skip link is hidden until focused) and the
    # site's own (only the current language's link is underlined) both apply.
    skip = page.get_by_role("link", name="Vai al contenuto")
    assert skip.evaluate("e => getComputedStyle(e).position") == "absolute"
    decoration = "e => getComputedStyle(e).textDecorationLine"
    current = page.locator('.nav-languages a[aria-current="true"]')
    other = page.locator('.nav-languages a:not([aria-current="true"])').first
    assert current.evaluate(decoration) == "underline"
    assert other.evaluate(decoration) == "none"
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Titillium Web" in body_font
    assert_no_page_errors(page_log)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_sign_up_confirm_the_address_and_use_the_phone_menu(page, audit):
    """A person signs up, confirms the address from the e-mail and lands logged in
    on the profile; on a phone the burger button opens the menu, and the language
    switch shows the same page in English."""
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Crea un account").click()
    expect(page).to_have_url(re.compile(r"/account/signup/$"))
    audit()

    page.get_by_label(field_label("Email")).fill("giulia@example.org")
    page.get_by_label(field_label("Nome visibile agli altri")).fill("Giulia")
    page.get_by_label(field_label("Password")).fill(PASSWORD)
    page.get_by_label(field_label("Password (di nuovo)")).fill(PASSWORD)
    # Bootstrap Italia draws its own box over the real checkbox; a click on the
    # label could land on the privacy link inside it, so use the keyboard.
    privacy = page.get_by_label(re.compile("informativa sulla privacy"))
    privacy.focus()
    page.keyboard.press("Space")
    expect(privacy).to_be_checked()
    page.get_by_role("button", name="Registrazione").click()

    expect(page).to_have_url(re.compile(r"/account/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("verifica", re.IGNORECASE)
    )
    audit()
    assert [message.to for message in mail.outbox] == [["giulia@example.org"]]
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    page.goto(link.group(0))
    audit()
    page.get_by_role("button", name="Conferma").click()

    expect(page).to_have_url(re.compile(r"/account/profilo/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Il mio profilo")
    expect(page.locator("dd").filter(has_text="giulia@example.org")).to_be_visible()
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Il mio profilo")).to_be_visible()
    audit()

    navigation = page.get_by_role("navigation", name="Navigazione principale")
    home_link = navigation.get_by_role("link", name="Home")
    expect(home_link).to_be_hidden()
    burger = page.get_by_role("button", name="Mostra o nascondi il menu")
    expect(burger).to_have_attribute("aria-expanded", "false")
    burger.click()
    expect(home_link).to_be_visible()
    expect(burger).to_have_attribute("aria-expanded", "true")
    # Once open, the menu takes the focus; until then it ignores the close button.
    close = page.get_by_role("button", name="Nascondi il menu", exact=True)
    expect(close).to_be_focused()
    audit()
    close.click()
    expect(home_link).to_be_hidden()
    expect(burger).to_be_focused()

    page.get_by_role("navigation", name="Lingua").get_by_role(
        "link", name=re.compile("English")
    ).click()
    expect(page).to_have_url(re.compile(r"/en/account/profilo/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.get_by_role("button", name="Show or hide the menu")).to_be_visible()
    audit()


def test_coordinator_is_sent_to_set_up_two_factor_authentication(page, login_as, audit):
    """A coordinator without MFA does not enter the staff area but is sent to set
    up an authenticator app.

    allauth asks for the password once more before adding a second factor, even
    right after logging in (MFA_REAUTHENTICATION_REQUIRED defaults to True).
    """
    login_as("coordinator")

    page.goto("/gestione/")

    expect(page).to_have_url(re.compile(r"/account/reauthenticate/\?next=.*2fa"))
    expect(page.get_by_role("status")).to_contain_text("autenticazione a due fattori")
    audit()
    page.get_by_label(field_label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Conferma").click()

    expect(page).to_have_url(
        re.compile(r"/account/2fa/totp/activate/\?next=%2Fgestione%2F$")
    )
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Area riservata")
    main = page.get_by_role("main")
    expect(main.get_by_role("img")).to_be_visible()  # the QR code
    expect(main.get_by_label("Segreto dell'autenticatore")).to_be_disabled()
    audit()


def test_organisation_staff_reaches_the_staff_area(page, login_as, audit):
    """An organisation's admin enters the staff area and sees their organisation."""
    user = login_as("org_staff")
    organisation = user.organisation_roles.get().organisation

    page.get_by_role("navigation", name="Navigazione principale").get_by_role(
        "link", name="Area riservata"
    ).click()

    expect(page).to_have_url(re.compile(r"/gestione/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Area riservata")
    row = page.get_by_role("row", name=re.compile(re.escape(organisation.name)))
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("^Modifica"))).to_be_visible()
    audit()


def test_five_wrong_passwords_lock_the_account(page, audit):
    """After five wrong passwords even the right one is refused.

    The fifth failure shows django-axes' lockout page; later attempts are stopped
    earlier by allauth's own limit on failed logins (5 per address in 5 minutes),
    which answers with an alert on the login form.
    """
    user = UserFactory()
    lockout = page.get_by_role("heading", level=1, name="Troppi tentativi non riusciti")
    for _ in range(4):
        log_in(page, user.email, password="sbagliata-123")
        expect(page.get_by_role("alert")).to_contain_text("non sono corretti")
    response = log_in(page, user.email, password="sbagliata-123")
    assert response.status == 429
    expect(lockout).to_be_visible()
    expect(page.get_by_role("link", name="Reimposta la password")).to_be_visible()
    audit()

    log_in(page, user.email, password=PASSWORD)

    expect(page).to_have_url(re.compile(r"/account/login/$"))
    expect(page.get_by_role("alert")).to_have_text(
        "Troppi tentativi di accesso. Riprova più tardi."
    )
    page.goto("/account/profilo/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next="))

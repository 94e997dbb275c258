"""What the browser tests share besides fixtures: viewports, form labels, logging in,
and a log of what went wrong in a page (failed requests, script errors, CSP)."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, Response

from .a11y import assert_no_axe_violations, assert_valid_html
from .factories import PASSWORD

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 360, "height": 740},
}
PHONE_WIDTH = VIEWPORTS["phone"]["width"]


def field_label(text: str) -> re.Pattern:
    """A form label as screen readers hear it: required fields end in "(required)"."""
    return re.compile(
        rf"^{re.escape(text)}( \((obbligatorio|required)\))?$", re.IGNORECASE
    )


def log_in(page: Page, email: str, password: str = PASSWORD) -> Response | None:
    """Fill in and submit the real login form, as a person would."""
    page.goto("/account/login/")
    page.get_by_label(field_label("Email")).fill(email)
    page.get_by_label(field_label("Password")).fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Accedi").click()
    return navigation.value


@dataclass
class PageLog:
    """The documents a page loaded and the errors a person could notice."""

    documents: list[Response] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def last_document(self) -> Response | None:
        return self.documents[-1] if self.documents else None

    def watch(self, page: Page) -> None:
        def on_response(response: Response) -> None:
            request = response.request
            if request.is_navigation_request() and request.frame == page.main_frame:
                # A 404 page is a document like any other; its status is the test's.
                if not 300 <= response.status < 400:
                    self.documents.append(response)
            elif response.status >= 400:
                self.errors.append(f"{response.status} for {response.url}")

        def on_console(message) -> None:
            # Failed sub-resources are reported by on_response, with their URL;
            # Content-Security-Policy refusals and script errors arrive here.
            if (
                message.type == "error"
                and "Failed to load resource" not in message.text
            ):
                self.errors.append(f"console: {message.text}")

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))

        def on_request_failed(request) -> None:
            # A navigation cancels the previous page's pending requests.
            if request.failure != "net::ERR_ABORTED":
                self.errors.append(f"request failed: {request.url} ({request.failure})")

        page.on("requestfailed", on_request_failed)


def assert_no_page_errors(log: PageLog) -> None:
    assert not log.errors, "The page reported errors:\n" + "\n".join(log.errors)


def tick(locator) -> None:
    """Tick a checkbox or radio as a keyboard user does.

    Bootstrap Italia draws the box on the label, which covers the real input, so a
    pointer click on the input itself is intercepted.
    """
    locator.focus()
    locator.page.keyboard.press("Space")


def open_as(browser, live_server, user, viewport="desktop") -> tuple[Page, PageLog]:
    """A browser already logged in as ``user`` (the login form has its own tests).

    Coordinators must have a second factor to enter the staff area; logging in
    with it would need a code from an app, so the session is created directly.
    """
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[viewport], locale="en-GB"
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log = PageLog()
    log.watch(page)
    return page, log


def check(page: Page, log: PageLog) -> None:
    """The page as a person sees it now: valid HTML, accessible, no errors."""
    page.wait_for_load_state("load")
    document = log.last_document
    assert document is not None
    assert_valid_html({page.url: document.text()})
    assert_no_axe_violations(page)
    if page.viewport_size and page.viewport_size["width"] <= 360:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{page.url} scrolls sideways ({width}px)"
    assert_no_page_errors(log)

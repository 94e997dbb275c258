"""Browser tests: Playwright drives Debian's Chromium against pytest-django's
live server.

Fixtures:
- ``browser`` (session): one headless Chromium for the whole run.
- ``viewport``: ``desktop`` (1280x900) unless parametrised indirectly, e.g.
  ``@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)``;
  ``phone`` is 360x740.
- ``page``: a fresh browser context per test (own cookies), with ``base_url`` set to
  the live server, so ``page.goto("/account/login/")`` works. The page keeps its
  real Content-Security-Policy: axe-core is evaluated through DevTools.
- ``audit``: checks the page as it is now: the Nu Html Checker on the raw HTML the
  server sent, axe-core, no horizontal scroll on phones, no failed requests or
  script errors.
- ``login_as``: creates a person of a role and logs in through the real form.

Set ``E2E_SCREENSHOT_DIR`` to keep a full-page screenshot of every audited page.
"""

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread, which makes Django
# refuse ORM calls from the test (factories, assertions) unless told they are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright

from .a11y import (
    HtmlChecker,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    assert_valid_html,
    set_default_checker,
)
from .factories import user_with_role
from .helpers import (
    PHONE_WIDTH,
    VIEWPORTS,
    PageLog,
    assert_no_page_errors,
    log_in,
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    # Every test in this folder needs the browser, so ``-m "not e2e"`` skips them.
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def html_checker() -> Iterator[HtmlChecker]:
    """The Nu Html Checker service; it starts while the browser launches."""
    checker = HtmlChecker()
    checker.start()
    set_default_checker(checker)
    yield checker
    set_default_checker(None)
    checker.stop()


@pytest.fixture(scope="session")
def browser(html_checker) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits live in the cache and count per IP address, and every
    browser test comes from 127.0.0.1: each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


class _OneRequestAtATime:
    """A WSGI wrapper that lets one request in at a time, body included."""

    lock = threading.Lock()

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.application(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time on SQLite.

    The suite's SQLite database lives in memory, so every request thread of the
    live server uses the test's one connection to it; two requests at once (the
    photos of a page) used it together and SQLite answered "bad parameter or
    other API misuse" (a 500 for a thumbnail, CI of 2026-12-04). On PostgreSQL
    each thread has its own connection, and requests stay parallel.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = lambda application: _OneRequestAtATime(
            StaticFilesHandler(application)
        )
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _uploads_on_disk(tmp_path_factory):
    """Uploads in a folder of the test's own, opened afresh by every request.

    The suite's InMemoryStorage hands every request for a file the same file
    object, which two parallel requests would read and seek under each other.
    The folder is not MEDIA_ROOT, so the live server's own media handler finds
    nothing there and the site's media view (core.views.media, attachments
    only) serves every upload.
    """
    from django.conf import settings
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("uploads"))},
        },
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture
def viewport(request) -> str:
    """The name of the viewport; ``desktop`` unless parametrised."""
    name = getattr(request, "param", "desktop")
    assert name in VIEWPORTS, f"Unknown viewport {name!r}"
    return name


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, live_server, viewport, page_log) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[viewport],
        locale="it-IT",
        timezone_id="Europe/Rome",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page_log.watch(page)
    yield page
    context.close()


def _screenshot(page: Page, request, number: int) -> None:
    directory = os.environ.get("E2E_SCREENSHOT_DIR")
    if not directory:
        return
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    Path(directory).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=Path(directory) / f"{name}-{number}.png", full_page=True)


@pytest.fixture
def audit(page: Page, page_log: PageLog, viewport, request) -> Callable[..., None]:
    """Check the page currently shown: validity, accessibility, reflow, errors.

    ``audit()`` validates the raw HTML of the last document the browser loaded
    (``page.content()`` would be the DOM after scripts); pass ``html=`` to validate
    something else, ``disable_rules=`` to skip axe rules (say why in the test).
    """

    audited = 0

    def check(*, html: str | None = None, disable_rules=()) -> None:
        nonlocal audited
        audited += 1
        page.wait_for_load_state("load")
        _screenshot(page, request, audited)
        if html is None:
            document = page_log.last_document
            assert document is not None, "No document loaded yet"
            html = document.text()
        assert_valid_html({page.url: html})
        assert_no_axe_violations(page, disable_rules=disable_rules)
        if VIEWPORTS[viewport]["width"] <= PHONE_WIDTH:
            assert_no_horizontal_scroll(page)
        assert_no_page_errors(page_log)

    return check


@pytest.fixture
def login_as(page: Page) -> Callable[..., object]:
    """``login_as("coordinator")`` creates such a person, logs in, returns them.

    Roles: family, org_staff (admin of a new organisation), coordinator,
    municipal_officer, superuser.
    """

    def login(role: str, **user_fields):
        user = user_with_role(role, **user_fields)
        log_in(page, user.email)
        return user

    return login

"""Every URL pattern of the site, as every role: no server error, and
``Cache-Control: no-store`` on every private response.

The patterns come from the URL resolver, so a new app's pages are walked as
soon as they are routed. A pattern with parameters takes its example from one
place per app: ``url_examples(organisation, people)`` in the app's
``tests/url_examples.py``, returning the keyword arguments by URL name (or, for
an unnamed pattern, by its route); third-party patterns take theirs from
``tests/wholesite/url_examples.py``. A pattern without an example fails the
test, saying where to add one.
"""

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from retefamiglie.core.testing import ROLES, login_as

pytestmark = pytest.mark.django_db

# Django's admin is walked by Django's own tests; its index and login are here.
SKIPPED_NAMESPACES = {"admin"}
ADMIN_PAGES = ["/admin/", "/admin/login/"]


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None
    parameters: tuple[str, ...]
    module: str

    @property
    def key(self) -> str:
        return self.name or self.route


def _parameters(pattern: Any) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def routes(resolver: URLResolver | None = None, prefix: str = "", namespace=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
            if inner in SKIPPED_NAMESPACES:
                continue
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (
                f"{namespace}:{entry.name}" if namespace else entry.name
            )
            yield Route(
                prefix + str(entry.pattern),
                name,
                _parameters(entry.pattern),
                entry.callback.__module__,
            )


def examples_module(route: Route) -> str:
    config = apps.get_containing_app_config(route.module)
    if config is not None and config.name.startswith("retefamiglie."):
        return f"{config.name}.tests.url_examples"
    return "tests.wholesite.url_examples"


def all_examples(organisation, people) -> dict[str, dict]:
    examples: dict[str, dict] = {}
    for module in sorted({examples_module(route) for route in routes()}):
        try:
            found = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        examples.update(found.url_examples(organisation, people))
    return examples


def url_of(route: Route, examples: dict[str, dict]) -> str:
    kwargs = examples.get(route.key, {}) if route.parameters else {}
    if route.name:
        return reverse(route.name, kwargs=kwargs or None)
    path = "/" + route.route.replace("^", "").replace("$", "")
    for parameter, value in kwargs.items():
        path = path.replace(f"(?P<{parameter}>.*)", str(value))
    return path


def test_every_pattern_with_parameters_has_an_example(organisation, people):
    examples = all_examples(organisation, people)
    missing = [
        f"{route.key} ({route.route}): add it to "
        f"{examples_module(route).replace('.', '/')}.py"
        for route in routes()
        if route.parameters and route.key not in examples
    ]
    assert not missing, "URL patterns without an example:\n" + "\n".join(missing)


def private(response, role: str, url: str) -> bool:
    if role != "anonymous":
        return True
    content = b"" if response.streaming else response.content
    return (
        b"csrfmiddlewaretoken" in content
        or "/prenotazioni/" in url
        or ("/aiuto/stato/" in url)
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(client, organisation, people, role):
    examples = all_examples(organisation, people)
    login_as(client, people, role)
    failures = []
    # Patterns without an example fail the test above, not this one.
    urls = [
        url_of(route, examples)
        for route in routes()
        if not route.parameters or route.key in examples
    ] + ADMIN_PAGES
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        elif private(response, role, url) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            failures.append(f"{url}: private, but no Cache-Control: no-store")
    assert not failures, f"as {role}:\n" + "\n".join(failures)

"""Accessibility and validity checks for the browser tests.

- ``assert_no_axe_violations(page)`` runs axe-core (WCAG 2.0/2.1 A and AA rules).
- ``assert_valid_html(html_strings)`` runs the Nu Html Checker (vnu) on raw HTML as
  the server sent it (``page.content()`` would be the DOM after scripts ran).
- ``assert_no_horizontal_scroll(page)`` checks reflow at the page's viewport width.

vnu is a Java program that needs about two seconds to start. ``HtmlChecker`` runs
it once per test session as a local HTTP service, so each page costs a few
milliseconds; without the service it falls back to one command-line run per call,
with every document of the call in a single batch.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
NODE_MODULES = BASE_DIR / "node_modules"
AXE_PATH = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe_source: str | None = None


def _axe() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_PATH.read_text(encoding="utf-8")
    return _axe_source


# ------------------------------------------------------------------------------
# axe-core
# ------------------------------------------------------------------------------
def axe_violations(page, *, disable_rules: Iterable[str] = ()) -> list[dict]:
    """Run axe-core on the current page and return its violations.

    The script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not restrict, so the page is tested with its real
    policy in force instead of a context that bypasses it.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {_axe()}\n }}")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Should evaluation ever be blocked, fall back to a script element.
            page.add_script_tag(content=_axe())
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable_rules},
    }
    return page.evaluate(
        "async (options) => (await window.axe.run(document, options)).violations",
        options,
    )


def format_axe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}\n      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more nodes")
    return "\n".join(lines)


def assert_no_axe_violations(page, *, disable_rules: Iterable[str] = ()) -> None:
    """Fail listing every WCAG 2.1 A/AA violation axe-core finds on the page."""
    violations = axe_violations(page, disable_rules=disable_rules)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG violation(s) on {page.url}:\n"
        + format_axe_violations(violations)
    )


# ------------------------------------------------------------------------------
# Reflow
# ------------------------------------------------------------------------------
# Visible elements that stick out on the right: the usual culprits of a scroll.
_WIDE_ELEMENTS_JS = """(width) => {
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (rect.width === 0 || rect.height === 0) continue;
        if (style.visibility === 'hidden' || style.position === 'fixed') continue;
        if (el.closest('.visually-hidden, .visually-hidden-focusable')) continue;
        if (rect.right > width + 1) {
            const id = el.id ? '#' + el.id : '';
            const cls = [...el.classList].map((c) => '.' + c).join('');
            const right = Math.round(rect.right);
            culprits.push(`${el.tagName.toLowerCase()}${id}${cls} right=${right}`);
        }
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        culprits: culprits.slice(0, 10),
    };
}"""


def assert_no_horizontal_scroll(page) -> None:
    """The page fits its viewport's width (WCAG 1.4.10 Reflow at 320-360 px)."""
    width = page.viewport_size["width"]
    found = page.evaluate(_WIDE_ELEMENTS_JS, width)
    assert found["scrollWidth"] <= width, (
        f"{page.url} scrolls horizontally at {width}px "
        f"(scrollWidth {found['scrollWidth']}); wide elements: {found['culprits']}"
    )


# ------------------------------------------------------------------------------
# Nu Html Checker
# ------------------------------------------------------------------------------
def _is_error(message: dict) -> bool:
    # Same as vnu --errors-only: errors and fatal errors; warnings are "info".
    return message.get("type") in {"error", "non-document-error"}


def _format_vnu(name: str, message: dict) -> str:
    line = message.get("lastLine", "?")
    extract = (message.get("extract") or "").replace("\n", "⏎")
    return f"- {name}:{line}: {message.get('message')}\n    {extract}"


class HtmlChecker:
    """The Nu Html Checker as a local HTTP service, started once and reused."""

    def __init__(self, jar: Path = VNU_JAR):
        self.jar = jar
        self.java = shutil.which("java")
        self.process: subprocess.Popen | None = None
        self.url: str | None = None
        self._ready = False

    # A service that fails to start is not an error: the command line still works.
    def start(self) -> None:
        if self.java is None or not self.jar.exists():
            return
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [
                self.java,
                "-Xss8m",  # vnu's schema needs a deep stack
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(self.jar),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/?out=json"

    def _wait_until_ready(self, timeout: float = 60) -> bool:
        if self._ready:
            return True
        if self.process is None:
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url.split("?")[0], timeout=2):  # noqa: S310
                    self._ready = True
                    return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        self._ready = False

    def _check_with_service(self, html: str) -> list[dict]:
        request = urllib.request.Request(  # noqa: S310 - local service
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.load(response)["messages"]

    def check(self, documents: Mapping[str, str]) -> dict[str, list[dict]]:
        """Return the errors of each document, by name."""
        if self._wait_until_ready():
            return {
                name: [m for m in self._check_with_service(html) if _is_error(m)]
                for name, html in documents.items()
            }
        return check_with_command_line(documents)


def check_with_command_line(documents: Mapping[str, str]) -> dict[str, list[dict]]:
    """Validate every document in one ``vnu.jar`` run."""
    java = shutil.which("java")
    assert java, "Java is needed to run the Nu Html Checker"
    errors: dict[str, list[dict]] = {name: [] for name in documents}
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        by_file: dict[str, str] = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(directory) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            by_file[path.name] = name
        result = subprocess.run(
            [
                java,
                "-Xss8m",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                *(
                    str(Path(directory) / f"page-{i}.html")
                    for i in range(len(documents))
                ),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    for message in report["messages"]:
        name = by_file.get(message.get("url", "").rsplit("/", 1)[-1], "?")
        errors.setdefault(name, []).append(message)
    return errors


_default_checker: HtmlChecker | None = None


def set_default_checker(checker: HtmlChecker | None) -> None:
    global _default_checker
    _default_checker = checker


def assert_valid_html(
    html_strings: Mapping[str, str] | Iterable[str],
    checker: HtmlChecker | None = None,
) -> None:
    """Fail listing the Nu Html Checker's errors in the given documents.

    ``html_strings`` is a mapping of a name (e.g. the URL) to the raw HTML, or an
    iterable of HTML strings.
    """
    if isinstance(html_strings, Mapping):
        documents = dict(html_strings)
    else:
        documents = {f"document {i + 1}": html for i, html in enumerate(html_strings)}
    checker = checker or _default_checker
    if checker is not None:
        errors = checker.check(documents)
    else:
        errors = check_with_command_line(documents)
    found = [
        _format_vnu(name, message)
        for name, messages in errors.items()
        for message in messages
    ]
    assert not found, f"The Nu Html Checker found {len(found)} error(s):\n" + "\n".join(
        found
    )

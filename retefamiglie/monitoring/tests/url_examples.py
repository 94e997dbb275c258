"""Examples of the URL parameters of monitoring's patterns (tests/wholesite)."""

from typing import Any


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    # No snapshot computed: the file is not found, for everyone.
    return {"monitoring:indicator_csv": {"key": "help_received", "period": "2026-11"}}

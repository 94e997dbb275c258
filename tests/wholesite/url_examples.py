"""Examples of the URL parameters of third-party patterns (allauth)."""

from typing import Any


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    # Keys nobody was sent: the pages say the link is not valid.
    return {
        "account_confirm_email": {"key": "no-such-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "no-such-key"},
    }

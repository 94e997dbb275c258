from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from retefamiglie.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind login_required, for type checking."""

    user: "User"  # type: ignore[assignment]

"""How django-axes names the account a login attempt is for."""


def username_from_request(request, credentials: dict | None) -> str | None:
    """allauth authenticates with ``email``; its login form posts ``login``."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or (request.POST.get("login") if request is not None else None)
    )
    return value.strip().lower() if isinstance(value, str) else value

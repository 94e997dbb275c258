"""Counting submissions per client address or contact, in the shared cache.

Redis in production, so every application server sees the same counts.
"""

import ipaddress
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SALT = "retefamiglie.core.ratelimit"


def hit(scope: str, value: str, window: int) -> int:
    """Count one event for ``value`` in the current fixed window; return the count.

    The value is hashed, so the cache never holds a phone number or an address.
    The window is part of the key, and ``touch`` restores the expiry after
    ``incr``: the database cache's ``incr`` resets it to the default 300 seconds.
    """
    digest = salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]
    key = f"ratelimit:{scope}:{int(time.time() // window)}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    cache.touch(key, timeout=window)
    return count


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it, behind the reverse proxy too."""
    return get_client_ip_address(request) or ""


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as the reverse proxies in front saw it.

    django-axes asks this (``AXES_CLIENT_IP_CALLABLE``), and so every lockout
    and rate limit. With ``TRUSTED_PROXY_COUNT`` proxies in front, each appends
    the address it was reached from to ``X-Forwarded-For``, so the client is the
    N-th entry from the right; what the client itself wrote in the header stands
    further left and is ignored. With no proxy, or a header shorter than the
    proxies (a request that bypassed them), the connection's own address counts.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

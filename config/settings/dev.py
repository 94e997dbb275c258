"""Embedded mode for a laptop or the demo: SQLite in var/, console e-mail."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is fine for a local demo; production.py refuses to start without one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production-0123456789"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

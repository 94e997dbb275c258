"""Settings for the test suite: fast hashing, tasks run at once, mail kept in memory."""

from .base import *  # noqa: F403
from .base import RETEFAMIGLIE

SECRET_KEY = "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
# Static files are served from the finders, so the suite needs no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test machine has no network: maps show their markers without tiles.
RETEFAMIGLIE = {**RETEFAMIGLIE, "MAP_TILE_URL": ""}
# Text messages are kept in retefamiglie.notifications.sms.outbox.
NOTIFICATIONS_SMS_BACKEND = "retefamiglie.notifications.sms.LocmemSmsBackend"

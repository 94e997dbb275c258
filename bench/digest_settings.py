"""Settings for the digest benchmark (bench/digest.py): bench.settings, with mail
delivered to nowhere so the figure is the platform's own work, not an SMTP
server's."""

from bench.settings import *  # noqa: F403

MAILERS = {
    "default": {"BACKEND": "retefamiglie.core.mail.TaskEmailBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"},
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": True}

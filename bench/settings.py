"""Settings for `make bench`: production-like, but runnable on a laptop.

DEBUG off, PostgreSQL, Redis cache, hashed static files, persistent database
connections, as in production; no HTTPS redirect or secure cookies, because the
load runner talks plain HTTP to 127.0.0.1. The database comes from
BENCH_DATABASE_URL (bench/run.py sets it for each data set).
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import POSTGRES_OPTIONS, env

DEBUG = False
SECRET_KEY = "bench-" + "x" * 60
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

DATABASES = {
    "default": env.db_url(
        "BENCH_DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/retefamiglie_bench_100k",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"] = dict(POSTGRES_OPTIONS)

# Its own Redis database, which bench/run.py empties before measuring.
BENCH_REDIS_URL = env.str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    alias: {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": BENCH_REDIS_URL,
        "KEY_PREFIX": alias,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
    for alias in ("default", "pages")
}

# One log line per request would measure the terminal, not the application.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

"""Settings shared by every run mode.

Every value that differs between a laptop and a production server comes from the
environment (django-environ), with defaults that suit the embedded mode: SQLite in
``var/``, console e-mail, database cache, uploads in ``var/media``.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APP_DIR = BASE_DIR / "retefamiglie"
VAR_DIR = Path(environ.Env().str("RETEFAMIGLIE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "retefamiglie.core",
    "retefamiglie.accounts",
    "retefamiglie.notifications",
    "retefamiglie.network",
    "retefamiglie.bookings",
    "retefamiglie.moderation",
    "retefamiglie.directory",
    "retefamiglie.helprequests",
    "retefamiglie.exchange",
    "retefamiglie.participation",
    "retefamiglie.monitoring",
    "retefamiglie.pacts",
    "retefamiglie.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # Full-text search and trigram lookups on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks_db",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come pre-compressed from WhiteNoise, above);
    # Django pads each gzip stream with random bytes against BREACH (ADR 28).
    "django.middleware.gzip.GZipMiddleware",
    # Sees every response but static files (served above): no-store by default.
    "retefamiglie.core.middleware.PrivateByDefaultMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "retefamiglie.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # AxesMiddleware turns a lockout into the lockout page; it must come last.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APP_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "retefamiglie.core.context_processors.site",
            ],
        },
    }
]
FORM_RENDERER = "retefamiglie.core.forms.BootstrapItaliaFormRenderer"

# ------------------------------------------------------------------------------
# Database and cache
# ------------------------------------------------------------------------------
# The embedded default is a SQLite file in var/ in WAL mode, so the web server and
# the task worker can read while the other writes.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=5000;"
        "PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
}
# JIT compilation pays off on long analytical queries, not on a page's: it added
# about 0.7 s to a search at 100,000 services (bench/RESULTS.md, ADR 10).
POSTGRES_OPTIONS = {"options": "-c jit=off"}
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'retefamiglie.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)

REDIS_URL = env.str("REDIS_URL", default="")
# "pages" holds the public pages of core.pagecache (ADR 10), apart from the
# rate-limit counters in "default": filling it with pages must never evict a
# counter. In production give it its own Redis (PAGE_CACHE_REDIS_URL) with an
# eviction policy; docs/deploy.md.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        },
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env.str("PAGE_CACHE_REDIS_URL", default=REDIS_URL),
            "KEY_PREFIX": "pages",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "retefamiglie_cache",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "retefamiglie_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Public pages for visitors who are not logged in are kept this long in the cache
# above (core.pagecache, ADR 10); 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=120)
# Values only the catalogue changes (counts of the open-data API), kept under
# the same version as pages, for everyone and also with the page cache off (ADR 20).
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=3600)

# ------------------------------------------------------------------------------
# Background tasks (django.tasks with the database backend)
# ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# ------------------------------------------------------------------------------
# E-mail: every message goes out through a background task
# ------------------------------------------------------------------------------
# "default" enqueues; the task delivers through "delivery" (console here, SMTP in
# production).
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "retefamiglie.core.mail.TaskEmailBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.console.EmailBackend"},
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Rete Famiglie <noreply@retefamiglie.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------------------
# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [APP_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static files and uploads
# ------------------------------------------------------------------------------
NODE_MODULES = BASE_DIR / "node_modules"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Only the parts of the npm packages that pages use are published.
# `make install` builds Bootstrap Italia's stylesheet without the rules no
# template uses and the fonts subset to Latin into var/assets/ (ADR 21,
# scripts/build_assets.py); a checkout where it never ran serves the npm files.
ASSETS_DIR = VAR_DIR / "assets"
_BUILT = (ASSETS_DIR / "bootstrap-italia/css/bootstrap-italia.min.css").exists()
STATICFILES_DIRS = [
    # The bundled script and stylesheet (ADR 28) come first: they replace the
    # sources of the same name in retefamiglie/static/.
    *[
        (kind, ASSETS_DIR / kind)
        for kind, name in (("js", "site.js"), ("css", "all.css"))
        if (ASSETS_DIR / kind / name).exists()
    ],
    APP_DIR / "static",
    (
        "bootstrap-italia/css",
        ASSETS_DIR / "bootstrap-italia/css"
        if _BUILT
        else NODE_MODULES / "bootstrap-italia/dist/css",
    ),
    ("bootstrap-italia/svg", NODE_MODULES / "bootstrap-italia/dist/svg"),
    ("bootstrap-italia/plugins", NODE_MODULES / "bootstrap-italia/dist/plugins"),
    (
        "fonts/titillium-web",
        ASSETS_DIR / "fonts/titillium-web"
        if _BUILT
        else NODE_MODULES / "bootstrap-italia/dist/fonts/Titillium_Web",
    ),
    (
        "fonts/lora",
        ASSETS_DIR / "fonts/lora"
        if _BUILT
        else NODE_MODULES / "bootstrap-italia/dist/fonts/Lora",
    ),
    ("htmx", NODE_MODULES / "htmx.org/dist"),
    ("leaflet", NODE_MODULES / "leaflet/dist"),
]
MEDIA_ROOT_PATH = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT_PATH},
    },
    "staticfiles": {
        "BACKEND": "retefamiglie.core.storage.StaticStorage",
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = MEDIA_ROOT_PATH

# ------------------------------------------------------------------------------
# Security headers and Content-Security-Policy
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap Italia's stylesheet embeds small SVG and font data URIs; the MFA
    # set-up page shows its QR code as a data URI.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Browser features no page uses, off for the site and anything it frames; a page
# that needs one names the origins allowed (e.g. "geolocation": ["self"]).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "browsing-topics",
    )
}

# ------------------------------------------------------------------------------
# Accounts: allauth (e-mail login, verification, MFA) and axes (lockout)
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "retefamiglie.accounts.backends.AccountBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "retefamiglie.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "retefamiglie.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Rete Famiglie")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# An account is locked whatever the address, and an address whatever the account.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "retefamiglie.accounts.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies stand in front (nginx: 1), each appending to
# X-Forwarded-For; lockouts and rate limits read the client's address from there
# (core.ratelimit.client_ip). AXES_IPWARE_PROXY_COUNT is its former name.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=env.int("AXES_IPWARE_PROXY_COUNT", default=0)
)
AXES_CLIENT_IP_CALLABLE = "retefamiglie.core.ratelimit.client_ip"

# ------------------------------------------------------------------------------
# The network: everything city-specific is a setting or data
# ------------------------------------------------------------------------------
# Absolute address of the site, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

RETEFAMIGLIE = {
    "NETWORK_NAME": env.str("NETWORK_NAME", default="Lucca In… famiglia"),
    "NETWORK_TAGLINE": env.str(
        "NETWORK_TAGLINE", default="La rete di Lucca per le famiglie"
    ),
    "OWNER_NAME": env.str("NETWORK_OWNER", default="Comune di Lucca"),
    "OWNER_URL": env.str("NETWORK_OWNER_URL", default="https://www.comune.lucca.it/"),
    "LOGO": env.str("NETWORK_LOGO", default="img/logo.svg"),
    "CONTACT_EMAIL": env.str("NETWORK_CONTACT_EMAIL", default="famiglie@example.org"),
    "CONTACT_PHONE": env.str("NETWORK_CONTACT_PHONE", default="+39 0583 000000"),
    "CONTACT_ADDRESS": env.str(
        "NETWORK_CONTACT_ADDRESS", default="Via Santa Giustina 6, 55100 Lucca"
    ),
    "ACCESSIBILITY_STATEMENT_URL": env.str(
        "ACCESSIBILITY_STATEMENT_URL",
        default="https://form.agid.gov.it/view/",
    ),
    "PRIVACY_NOTICE_VERSION": env.str("PRIVACY_NOTICE_VERSION", default="2026-11"),
    "DATA_CONTROLLER": env.str("DATA_CONTROLLER", default="Comune di Lucca"),
    "DPO_EMAIL": env.str("DPO_EMAIL", default="dpo@example.org"),
    # Map tiles; the pages work without them (an accessible list sits beside).
    "MAP_TILE_URL": env.str(
        "MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    ),
    "MAP_TILE_ATTRIBUTION": env.str(
        "MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors"
    ),
    "MAP_CENTRE": env.list("MAP_CENTRE", cast=float, default=[43.8429, 10.5027]),
    "CITY_BBOX": env.list(
        "CITY_BBOX", cast=float, default=[10.38, 43.76, 10.62, 43.93]
    ),
}

# ------------------------------------------------------------------------------
# Notifications (ADR 12, 13)
# ------------------------------------------------------------------------------
# Digests leave from this hour (city time); the weekly one on this weekday
# (0 = Monday; 3 = Thursday, in time to plan the weekend).
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)
NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY = env.int(
    "NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY", default=3
)
# Text messages: the console backend prints them; the HTTP gateway backend
# (retefamiglie.notifications.sms.HttpGatewaySmsBackend) posts them to a provider.
NOTIFICATIONS_SMS_BACKEND = env.str(
    "NOTIFICATIONS_SMS_BACKEND",
    default="retefamiglie.notifications.sms.ConsoleSmsBackend",
)
NOTIFICATIONS_SMS_GATEWAY_URL = env.str("NOTIFICATIONS_SMS_GATEWAY_URL", default="")
NOTIFICATIONS_SMS_GATEWAY_TOKEN = env.str("NOTIFICATIONS_SMS_GATEWAY_TOKEN", default="")
NOTIFICATIONS_SMS_SENDER = env.str("NOTIFICATIONS_SMS_SENDER", default="ReteFamiglie")
# Web Push (VAPID): `manage.py notifications_vapid_keys` makes a pair; without
# them the site offers no push notifications.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
# Only the tests' local push service speaks plain HTTP.
NOTIFICATIONS_PUSH_ALLOW_HTTP = False
VAPID_SUBJECT = env.str(
    "VAPID_SUBJECT", default=f"mailto:{RETEFAMIGLIE['CONTACT_EMAIL']}"
)

# ------------------------------------------------------------------------------
# Monitoring and open data
# ------------------------------------------------------------------------------
# No figure about people below this count is shown or exported (k-anonymity).
MONITORING_MIN_CELL = env.int("MONITORING_MIN_CELL", default=5)
# Identity of the publisher in the DCAT-AP_IT catalogue: its IPA code (Indice
# delle Pubbliche Amministrazioni; c_e715 is the Comune di Lucca).
OPEN_DATA_PUBLISHER_IPA = env.str("OPEN_DATA_PUBLISHER_IPA", default="c_e715")

# ------------------------------------------------------------------------------
# Help requests
# ------------------------------------------------------------------------------
# Closed requests lose their personal data after this many months.
HELPREQUESTS_RETENTION_MONTHS = env.int("HELPREQUESTS_RETENTION_MONTHS", default=12)
# Organisations are reminded of a referral left unanswered this long.
HELPREQUESTS_REMINDER_HOURS = env.int("HELPREQUESTS_REMINDER_HOURS", default=48)
# Submissions allowed per client address and per contact address, per hour/day.
HELPREQUESTS_LIMIT_PER_IP_PER_HOUR = env.int("HELPREQUESTS_LIMIT_PER_IP", default=5)
HELPREQUESTS_LIMIT_PER_CONTACT_PER_DAY = env.int(
    "HELPREQUESTS_LIMIT_PER_CONTACT", default=3
)

# ------------------------------------------------------------------------------
# Moderation
# ------------------------------------------------------------------------------
# Flags from this many different people hide an object until a coordinator decides.
MODERATION_HIDE_AFTER_FLAGS = env.int("MODERATION_HIDE_AFTER_FLAGS", default=3)

# ------------------------------------------------------------------------------
# Exchange
# ------------------------------------------------------------------------------
# Hours a giver waits before choosing among interested families.
EXCHANGE_SIMMER_HOURS = env.float("EXCHANGE_SIMMER_HOURS", default=4)
# Days a listing stays up before it expires (renewable).
EXCHANGE_LISTING_DAYS = env.int("EXCHANGE_LISTING_DAYS", default=30)
# Both sides of a loan are reminded this many days before the return date.
EXCHANGE_LOAN_REMINDER_DAYS = env.int("EXCHANGE_LOAN_REMINDER_DAYS", default=2)
EXCHANGE_TERMS_VERSION = env.str("EXCHANGE_TERMS_VERSION", default="2026-12")
EXCHANGE_NEW_CONVERSATIONS_PER_DAY = env.int(
    "EXCHANGE_NEW_CONVERSATIONS_PER_DAY", default=10
)
EXCHANGE_MESSAGES_PER_HOUR = env.int("EXCHANGE_MESSAGES_PER_HOUR", default=60)

# The map's tile server is the only other origin pages load from.
if RETEFAMIGLIE["MAP_TILE_URL"]:
    _TILE_ORIGIN = "{0.scheme}://{0.netloc}".format(
        urlsplit(RETEFAMIGLIE["MAP_TILE_URL"].replace("{s}", "a"))
    )
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], _TILE_ORIGIN]

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
AXES_VERBOSE = False

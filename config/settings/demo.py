"""`make demo`: the embedded mode (SQLite in var/, console e-mail) run as in
production — DEBUG off, the site's own error pages, static files from
collectstatic through WhiteNoise, uploads through core.views.media."""

from .dev import *  # noqa: F403

DEBUG = False

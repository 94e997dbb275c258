"""URL contract: Italian paths unprefixed, English under /en/ (see DESIGN.md)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from retefamiglie.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # The open-data API: no language prefix, one URL per resource.
    path("api/", include("retefamiglie.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Uploads, always served as downloads (core.uploads); with object storage
    # (production's S3 option) their URLs point at the bucket instead.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.media, name="media"
    ),
]

urlpatterns += i18n_patterns(
    path("", include("retefamiglie.core.urls")),
    path("account/", include("retefamiglie.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("", include("retefamiglie.directory.urls")),
    path("", include("retefamiglie.helprequests.urls")),
    path("", include("retefamiglie.monitoring.urls")),
    # Before the network's: "rete/aderisci/" must not be read as a member's slug.
    path("", include("retefamiglie.pacts.urls")),
    path("", include("retefamiglie.network.urls")),
    prefix_default_language=False,
)

handler403 = "retefamiglie.core.views.permission_denied"
handler404 = "retefamiglie.core.views.page_not_found"
handler500 = "retefamiglie.core.views.server_error"

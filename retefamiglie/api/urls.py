"""The HSDS 3.0 API under /api/hsds/ (HSDS paths: no trailing slash), its
OpenAPI document, the schemas it refers to, and the documentation page."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("hsds/", views.root, name="root"),
    path("hsds/services", views.service_list, name="services"),
    path("hsds/services/<str:id>", views.service_detail, name="service"),
    path("hsds/organizations", views.organization_list, name="organizations"),
    path("hsds/organizations/<str:id>", views.organization_detail, name="organization"),
    path(
        "hsds/service_at_locations",
        views.service_at_location_list,
        name="service_at_locations",
    ),
    path(
        "hsds/service_at_locations/<str:id>",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    path("hsds/taxonomies", views.taxonomy_list, name="taxonomies"),
    path("hsds/taxonomies/<str:id>", views.taxonomy_detail, name="taxonomy"),
    path("hsds/taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path(
        "hsds/taxonomy_terms/<str:id>",
        views.taxonomy_term_detail,
        name="taxonomy_term",
    ),
    re_path(r"^hsds/(?P<rest>.*)$", views.not_found),
    # The same records as a CSV data package (datapackage.py)
    path(
        "hsds-csv/datapackage.json",
        views.datapackage_descriptor,
        name="datapackage",
    ),
    path("hsds-csv/<str:name>.csv", views.datapackage_table, name="datapackage_table"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("schema/<path:name>", views.schema, name="schema"),
    path("docs/", views.docs, name="docs"),
]

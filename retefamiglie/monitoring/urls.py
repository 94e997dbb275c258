from django.urls import path

from . import views, views_data

app_name = "monitoring"

urlpatterns = [
    path("monitoraggio/", views.dashboard_page, name="dashboard"),
    path("gestione/popolazione/", views.population, name="population"),
    path("dati/", views_data.catalogue_page, name="catalogue"),
    path("dati/catalogo.jsonld", views_data.catalogue_jsonld, name="catalogue_jsonld"),
    path("dati/catalogo.rdf", views_data.catalogue_rdf, name="catalogue_rdf"),
    path("dati/eventi.csv", views_data.events_csv, name="events_csv"),
    path(
        "dati/indicatori/<slug:key>/<str:period>.csv",
        views_data.indicator_csv,
        name="indicator_csv",
    ),
]

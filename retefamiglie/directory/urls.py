from django.urls import path

from .views import events, manage, services

app_name = "directory"
urlpatterns = [
    # Services (views/services.py)
    path("servizi/", services.service_list, name="services"),
    path("servizi/<slug:slug>/", services.service_detail, name="service"),
    path(
        "servizi/<slug:slug>/volantino/", services.service_flyer, name="service_flyer"
    ),
    # Events and bookings (views/events.py)
    path("eventi/", events.event_list, name="events"),
    path("eventi/feed.ics", events.event_feed, name="event_feed"),
    path("eventi/<slug:slug>.ics", events.event_ics, name="event_ics"),
    path("eventi/<slug:slug>/", events.event_detail, name="event"),
    path("eventi/<slug:slug>/prenota/", events.book, name="book"),
    path(
        "eventi/prenotazioni/<str:token>/conferma/",
        events.booking_confirm,
        name="booking_confirm",
    ),
    path("eventi/prenotazioni/<str:token>/", events.booking_detail, name="booking"),
    path(
        "eventi/prenotazioni/<str:token>/annulla/",
        events.booking_cancel,
        name="booking_cancel",
    ),
    # Map (views/services.py)
    path("mappa/", services.map_page, name="map"),
    path("mappa/dati.geojson", services.map_geojson, name="map_geojson"),
    # Staff area (views/manage.py)
    path("gestione/catalogo/", manage.manage, name="manage"),
    path(
        "gestione/catalogo/servizi/nuovo/", manage.service_create, name="service_create"
    ),
    path(
        "gestione/catalogo/servizi/<slug:slug>/",
        manage.service_edit,
        name="service_edit",
    ),
    path("gestione/catalogo/eventi/nuovo/", manage.event_create, name="event_create"),
    path("gestione/catalogo/eventi/<slug:slug>/", manage.event_edit, name="event_edit"),
    path(
        "gestione/catalogo/<str:kind>/<slug:slug>/azione/",
        manage.listing_action,
        name="listing_action",
    ),
    path(
        "gestione/catalogo/eventi/<slug:slug>/prenotazioni/",
        manage.event_bookings,
        name="event_bookings",
    ),
    path(
        "gestione/catalogo/eventi/<slug:slug>/prenotazioni.csv",
        manage.event_bookings_csv,
        name="event_bookings_csv",
    ),
    path("gestione/catalogo/luoghi/", manage.locations, name="locations"),
    path(
        "gestione/catalogo/luoghi/nuovo/",
        manage.location_create,
        name="location_create",
    ),
    path(
        "gestione/catalogo/luoghi/<int:pk>/", manage.location_edit, name="location_edit"
    ),
]

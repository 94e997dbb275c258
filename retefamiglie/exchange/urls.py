from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("scambio/", views.listing_list, name="list"),
    path("scambio/nuovo/", views.listing_create, name="create"),
    path("scambio/partecipa/", views.join, name="join"),
    path("scambio/miei/", views.mine, name="mine"),
    path("scambio/<int:pk>/", views.listing_detail, name="detail"),
    path("scambio/<int:pk>/modifica/", views.listing_edit, name="edit"),
    path("scambio/<int:pk>/foto/", views.photos_add, name="photos_add"),
    path("scambio/foto/<int:pk>/elimina/", views.photo_delete, name="photo_delete"),
    path("scambio/<int:pk>/ritira/", views.listing_withdraw, name="withdraw"),
    path("scambio/<int:pk>/rinnova/", views.listing_renew, name="renew"),
    path("scambio/<int:pk>/interesse/", views.interest_create, name="interest"),
    path(
        "scambio/<int:pk>/interesse/ritira/",
        views.interest_withdraw,
        name="interest_withdraw",
    ),
    path(
        "scambio/<int:pk>/scegli/<int:interest_id>/",
        views.interest_choose,
        name="choose",
    ),
    path(
        "scambio/consegne/<int:pk>/conferma/",
        views.handover_confirm,
        name="handover_confirm",
    ),
    path(
        "scambio/consegne/<int:pk>/annulla/",
        views.handover_cancel,
        name="handover_cancel",
    ),
    path(
        "scambio/consegne/<int:pk>/restituzione/",
        views.return_confirm,
        name="return_confirm",
    ),
    path("scambio/consegne/<int:pk>/grazie/", views.gratitude_create, name="thank"),
    path("scambio/<int:pk>/scrivi/", views.conversation_start, name="write"),
    path("scambio/persone/<int:pk>/blocca/", views.block, name="block"),
    path("scambio/persone/<int:pk>/sblocca/", views.unblock, name="unblock"),
    path("messaggi/", views.conversations, name="conversations"),
    path("messaggi/<int:pk>/", views.conversation, name="conversation"),
]

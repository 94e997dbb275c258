from django.urls import path

from . import views, views_pwa

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/apri/", views.open_notification, name="open"),
    path("<int:pk>/letta/", views.mark_read, name="mark_read"),
    path("tutte-lette/", views.mark_all_read, name="mark_all_read"),
    path("preferenze/", views.preferences, name="preferences"),
    path("disiscriviti/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("ricerche/", views.saved_searches, name="saved_searches"),
    path("ricerche/salva/", views.saved_search_create, name="saved_search_create"),
    path(
        "ricerche/<int:pk>/modifica/",
        views.saved_search_update,
        name="saved_search_update",
    ),
    path(
        "ricerche/<int:pk>/elimina/",
        views.saved_search_delete,
        name="saved_search_delete",
    ),
    path("push/iscrivi/", views_pwa.push_subscribe, name="push_subscribe"),
    path("push/annulla/", views_pwa.push_unsubscribe, name="push_unsubscribe"),
    path("seguiti/", views.follows, name="follows"),
    path("segui/", views.follow_toggle, name="follow"),
]

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/apri/", views.open_notification, name="open"),
    path("<int:pk>/letta/", views.mark_read, name="mark_read"),
    path("tutte-lette/", views.mark_all_read, name="mark_all_read"),
    path("preferenze/", views.preferences, name="preferences"),
    path("disiscriviti/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

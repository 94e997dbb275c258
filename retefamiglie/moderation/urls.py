from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path(
        "segnala/<slug:app_label>/<slug:model_name>/<int:pk>/",
        views.flag,
        name="flag",
    ),
    path("gestione/moderazione/", views.queue, name="queue"),
    path("gestione/moderazione/<int:pk>/", views.case_detail, name="case"),
    path(
        "gestione/moderazione/<int:pk>/decisione/",
        views.decide,
        name="decide",
    ),
    path(
        "gestione/moderazione/<int:pk>/sospendi/",
        views.suspend,
        name="suspend",
    ),
    path("gestione/sospensioni/", views.suspensions, name="suspensions"),
    path(
        "gestione/sospensioni/<int:pk>/revoca/",
        views.suspension_lift,
        name="suspension_lift",
    ),
]

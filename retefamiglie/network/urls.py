from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path(
        "organizzazioni/<slug:slug>/modifica/",
        views.organisation_edit,
        name="organisation_edit",
    ),
]

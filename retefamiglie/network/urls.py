from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("gestione/", views.staff_home, name="staff_home"),
    path(
        "gestione/organizzazioni/<slug:slug>/modifica/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("gestione/organizzazioni/<slug:slug>/staff/", views.staff, name="staff"),
    path(
        "gestione/organizzazioni/<slug:slug>/staff/<int:staff_id>/rimuovi/",
        views.staff_remove,
        name="staff_remove",
    ),
    path(
        "gestione/organizzazioni/<slug:slug>/inviti/<int:invitation_id>/ritira/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("gestione/organizzazioni/<slug:slug>/lascia/", views.leave, name="leave"),
    # Public directory; "rete/aderisci/" is the pact app's and is matched first.
    path("rete/", views.directory, name="directory"),
    path("rete/invito/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("rete/<slug:slug>/", views.member, name="member"),
]

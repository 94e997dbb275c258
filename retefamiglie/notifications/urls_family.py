from django.urls import path

from . import views

app_name = "family"
urlpatterns = [
    path("", views.family, name="page"),
    path("figli/aggiungi/", views.child_add, name="child_add"),
    path("figli/<int:pk>/rimuovi/", views.child_remove, name="child_remove"),
    path("interessi/", views.interests, name="interests"),
]

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profilo/", views.profile, name="profile"),
    path("i-miei-dati/", views.export_data, name="export"),
    path("elimina/", views.delete_account, name="delete"),
]

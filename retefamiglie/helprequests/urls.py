from django.urls import path

from .views import family, staff

app_name = "helprequests"
urlpatterns = [
    # Families (no account needed)
    path("aiuto/", family.ask, name="ask"),
    path("aiuto/stato/<str:token>/", family.status, name="status"),
    path("aiuto/stato/<str:token>/rispondi/", family.reply, name="reply"),
    path("aiuto/stato/<str:token>/ritira/", family.withdraw, name="withdraw"),
    path("aiuto/le-mie-richieste/", family.my_requests, name="my_requests"),
    path(
        "aiuto/le-mie-richieste/<uuid:public_id>/", family.my_request, name="my_request"
    ),
    # Staff area: coordinators and member organisations
    path("gestione/richieste/", staff.inbox, name="inbox"),
    path("gestione/richieste/statistiche/", staff.statistics, name="statistics"),
    path("gestione/richieste/registro-accessi/", staff.access_log, name="access_log"),
    path("gestione/richieste/offerte/", staff.offers, name="offers"),
    path(
        "gestione/richieste/offerte/<slug:slug>/", staff.offer_edit, name="offer_edit"
    ),
    path("gestione/richieste/<uuid:public_id>/", staff.detail, name="staff_detail"),
    path("gestione/richieste/<uuid:public_id>/smista/", staff.triage, name="triage"),
    path("gestione/richieste/<uuid:public_id>/invia/", staff.refer, name="refer"),
    path(
        "gestione/richieste/<uuid:public_id>/invii/<int:referral_id>/accetta/",
        staff.accept,
        name="accept",
    ),
    path(
        "gestione/richieste/<uuid:public_id>/invii/<int:referral_id>/rifiuta/",
        staff.decline,
        name="decline",
    ),
    path(
        "gestione/richieste/<uuid:public_id>/messaggio/", staff.message, name="message"
    ),
    path("gestione/richieste/<uuid:public_id>/nota/", staff.note, name="note"),
    path("gestione/richieste/<uuid:public_id>/chiudi/", staff.close, name="close"),
]

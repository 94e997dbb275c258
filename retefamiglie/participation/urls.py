from django.urls import path

from .views import manage, public

app_name = "participation"

urlpatterns = [
    path("partecipa/", public.index, name="index"),
    path("partecipa/percorsi/<slug:slug>/", public.process_detail, name="process"),
    path("partecipa/incontri/", public.meeting_list, name="meetings"),
    path("partecipa/incontri/feed.ics", public.meeting_feed, name="meeting_feed"),
    path("partecipa/incontri/<slug:slug>.ics", public.meeting_ics, name="meeting_ics"),
    path("partecipa/incontri/<slug:slug>/", public.meeting_detail, name="meeting"),
    path(
        "partecipa/incontri/<slug:slug>/verbale/",
        public.minutes_print,
        name="minutes_print",
    ),
    path(
        "partecipa/incontri/<slug:slug>/verbale.pdf",
        public.minutes_pdf,
        name="minutes_pdf",
    ),
    path(
        "partecipa/iscrizione/<str:token>/",
        public.registration_detail,
        name="registration",
    ),
    path(
        "partecipa/iscrizione/<str:token>/conferma/",
        public.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "partecipa/iscrizione/<str:token>/annulla/",
        public.registration_cancel,
        name="registration_cancel",
    ),
    path("partecipa/proposte/", public.proposal_list, name="proposals"),
    path("partecipa/proposte/nuova/", public.proposal_create, name="proposal_create"),
    path("partecipa/proposte/<int:pk>/", public.proposal_detail, name="proposal"),
    path(
        "partecipa/proposte/<int:pk>/modifica/",
        public.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "partecipa/proposte/<int:pk>/ritira/",
        public.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "partecipa/proposte/<int:pk>/sostegno/",
        public.proposal_support,
        name="proposal_support",
    ),
    path(
        "partecipa/proposte/<int:pk>/commenta/",
        public.proposal_comment,
        name="proposal_comment",
    ),
    path(
        "partecipa/proposte/<int:pk>/risposta/",
        public.proposal_answer,
        name="proposal_answer",
    ),
    path(
        "partecipa/proposte/<int:pk>/unisci/",
        public.proposal_merge,
        name="proposal_merge",
    ),
    path("partecipa/obiettivi/", public.objective_list, name="objectives"),
    path("partecipa/obiettivi/<slug:slug>/", public.objective_detail, name="objective"),
    path(
        "partecipa/obiettivi/<slug:slug>/azioni/<int:pk>/aggiorna/",
        manage.action_update,
        name="action_update",
    ),
    # Staff area.
    path("gestione/partecipazione/", manage.manage, name="manage"),
    path(
        "gestione/partecipazione/proposte/",
        manage.proposals_to_answer,
        name="manage_proposals",
    ),
    path(
        "gestione/partecipazione/percorsi/nuovo/",
        manage.process_edit,
        name="manage_process_create",
    ),
    path(
        "gestione/partecipazione/percorsi/<slug:slug>/",
        manage.process_edit,
        name="manage_process",
    ),
    path(
        "gestione/partecipazione/incontri/nuovo/",
        manage.meeting_create,
        name="manage_meeting_create",
    ),
    path(
        "gestione/partecipazione/incontri/<slug:slug>/",
        manage.meeting_edit,
        name="manage_meeting",
    ),
    path(
        "gestione/partecipazione/incontri/<slug:slug>/pubblica/",
        manage.meeting_publish,
        name="manage_meeting_publish",
    ),
    path(
        "gestione/partecipazione/incontri/<slug:slug>/verbale/",
        manage.meeting_report,
        name="manage_report",
    ),
    path(
        "gestione/partecipazione/obiettivi/nuovo/",
        manage.objective_create,
        name="manage_objective_create",
    ),
    path(
        "gestione/partecipazione/obiettivi/<slug:slug>/azioni/nuova/",
        manage.action_create,
        name="manage_action_create",
    ),
]

from django.urls import path

from .views import commitments, joining, open_data, reports, versions

app_name = "pacts"
urlpatterns = [
    # The pact and its versions (versions.py)
    path("patto/", versions.current, name="current"),
    # The pact as open data (open_data.py), listed in /dati/
    path("patto/dati/patto.json", open_data.pact_json, name="open_data_json"),
    path("patto/dati/versioni.csv", open_data.versions_csv, name="open_data_versions"),
    path("patto/dati/firme.csv", open_data.signatures_csv, name="open_data_signatures"),
    path(
        "patto/dati/impegni.csv",
        open_data.commitments_csv,
        name="open_data_commitments",
    ),
    path("patto/versioni/", versions.version_list, name="versions"),
    path("patto/versioni/<int:number>/", versions.version_detail, name="version"),
    path(
        "patto/versioni/<int:number>/stampa/",
        versions.version_print,
        name="version_print",
    ),
    path("patto/versioni/<int:number>/pdf/", versions.version_pdf, name="version_pdf"),
    path(
        "patto/versioni/<int:number>/confronta/",
        versions.version_diff,
        name="version_diff",
    ),
    path("patto/versioni/<int:number>/firma/", versions.sign, name="sign"),
    path(
        "patto/versioni/<int:number>/sezioni/<int:section_id>/commenta/",
        versions.comment,
        name="comment",
    ),
    path("gestione/patto/", versions.manage, name="manage_versions"),
    path("gestione/patto/nuova/", versions.version_create, name="version_create"),
    path(
        "gestione/patto/<int:number>/modifica/",
        versions.version_edit,
        name="version_edit",
    ),
    path(
        "gestione/patto/<int:number>/stato/",
        versions.version_transition,
        name="version_transition",
    ),
    path(
        "gestione/patto/commenti/<int:comment_id>/rispondi/",
        versions.comment_answer,
        name="comment_answer",
    ),
    # Joining the network (joining.py)
    path("rete/aderisci/", joining.apply, name="join"),
    path("rete/aderisci/<int:pk>/", joining.application, name="application"),
    path("gestione/adesioni/", joining.application_list, name="applications"),
    path(
        "gestione/adesioni/<int:pk>/",
        joining.application_review,
        name="application_review",
    ),
    # Commitments (commitments.py)
    path("patto/impegni/", commitments.commitment_list, name="commitments"),
    path(
        "patto/impegni/nuovo/", commitments.commitment_create, name="commitment_create"
    ),
    path("patto/impegni/<int:pk>/", commitments.commitment_detail, name="commitment"),
    path(
        "patto/impegni/<int:pk>/modifica/",
        commitments.commitment_edit,
        name="commitment_edit",
    ),
    # Reports (reports.py)
    path("patto/rendiconti/", reports.report_list, name="reports"),
    path("patto/rendiconti/nuovo/", reports.report_create, name="report_create"),
    path("patto/rendiconti/<int:pk>/", reports.report_detail, name="report"),
    path(
        "patto/rendiconti/<int:pk>/modifica/", reports.report_edit, name="report_edit"
    ),
    path(
        "patto/rendiconti/rete/<int:year>/<str:period>/",
        reports.network_report,
        name="network_report",
    ),
    path(
        "patto/rendiconti/rete/<int:year>/<str:period>/dati.csv",
        reports.network_report_csv,
        name="network_report_csv",
    ),
    path(
        "patto/rendiconti/rete/<int:year>/<str:period>/rendiconto.pdf",
        reports.network_report_pdf,
        name="network_report_pdf",
    ),
]

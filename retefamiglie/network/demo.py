"""The network's part of the Lucca demo: areas, members, one account per role.

Idempotent: running it again updates the same rows. Everything it creates is
marked as demo data.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from retefamiglie.network.models import Area, Organisation, OrganisationStaff

DEMO_PASSWORD = "lucca-demo-2026"  # noqa: S105 - a published demo password

# Zones and frazioni of Lucca with approximate centres.
AREAS = [
    ("Centro storico", "centro-storico", 43.8429, 10.5027),
    ("Sant'Anna", "santanna", 43.8447, 10.4850),
    ("San Vito", "san-vito", 43.8540, 10.5210),
    ("San Concordio", "san-concordio", 43.8325, 10.5050),
    ("Arancio", "arancio", 43.8385, 10.5200),
    ("San Marco", "san-marco", 43.8530, 10.5080),
    ("Sant'Alessio", "santalessio", 43.8690, 10.4870),
    ("Monte San Quirico", "monte-san-quirico", 43.8610, 10.4950),
    ("Ponte a Moriano", "ponte-a-moriano", 43.9010, 10.5360),
    ("Picciorana", "picciorana", 43.8540, 10.5420),
    ("Sant'Anna – Pontetetto", "pontetetto", 43.8280, 10.4880),
    ("San Filippo", "san-filippo", 43.8510, 10.4960),
    ("Oltreserchio – Nozzano", "nozzano", 43.8200, 10.4300),
    ("Mutigliano", "mutigliano", 43.8770, 10.4820),
    ("San Pietro a Vico", "san-pietro-a-vico", 43.8680, 10.5300),
]

ORGANISATIONS = [
    (
        "Comune di Lucca – Politiche Formative",
        "comune-di-lucca",
        Organisation.Type.PUBLIC_BODY,
        "centro-storico",
        "Assessorato alle Politiche Formative: promuove la rete e il patto.",
        "politicheformative@example.org",
    ),
    (
        "Istituto Comprensivo Lucca 3",
        "ic-lucca-3",
        Organisation.Type.SCHOOL,
        "san-concordio",
        "Scuole dell'infanzia, primarie e secondaria di primo grado.",
        "segreteria.iclucca3@example.org",
    ),
    (
        "Panathlon Club Lucca",
        "panathlon-lucca",
        Organisation.Type.THIRD_SECTOR,
        "centro-storico",
        "Sport e fair play a scuola e fuori, per tutte le età.",
        "panathlon.lucca@example.org",
    ),
    (
        "Scuola dell'infanzia Bucaneve",
        "bucaneve",
        Organisation.Type.SCHOOL,
        "santanna",
        "Scuola dell'infanzia comunale: incontri con i genitori sul gioco.",
        "bucaneve@example.org",
    ),
    (
        "Biblioteca civica Agorà",
        "biblioteca-agora",
        Organisation.Type.PUBLIC_BODY,
        "centro-storico",
        "Letture ad alta voce, prestito di libri per l'infanzia, spazio studio.",
        "agora@example.org",
    ),
    (
        "Parrocchia di San Concordio",
        "parrocchia-san-concordio",
        Organisation.Type.THIRD_SECTOR,
        "san-concordio",
        "Oratorio, doposcuola e raccolta di abiti per bambini.",
        "oratorio.sanconcordio@example.org",
    ),
    (
        "Associazione Genitori Insieme",
        "genitori-insieme",
        Organisation.Type.THIRD_SECTOR,
        "arancio",
        "Gruppi di mutuo aiuto tra genitori e ludoteca del sabato.",
        "genitori.insieme@example.org",
    ),
    (
        "Cartoleria Il Quaderno",
        "cartoleria-il-quaderno",
        Organisation.Type.BUSINESS,
        "san-vito",
        "Materiale scolastico a prezzo ridotto per le famiglie della rete.",
        "ilquaderno@example.org",
    ),
    (
        "Mamme in rete Sant'Anna",
        "mamme-in-rete-santanna",
        Organisation.Type.INFORMAL_GROUP,
        "santanna",
        "Gruppo informale di genitori: scambio di abiti e passeggiate.",
        "",
    ),
]

# email, display name, role flags, organisation staff (slug, role)
ACCOUNTS = [
    ("famiglia@demo.retefamiglie.it", "Giulia (famiglia)", {}, None),
    (
        "staff@demo.retefamiglie.it",
        "Marco (Panathlon)",
        {},
        ("panathlon-lucca", OrganisationStaff.Role.ADMIN),
    ),
    (
        "scuola@demo.retefamiglie.it",
        "Anna (IC Lucca 3)",
        {},
        ("ic-lucca-3", OrganisationStaff.Role.EDITOR),
    ),
    (
        "referente@demo.retefamiglie.it",
        "Sara (referente)",
        {"is_coordinator": True},
        None,
    ),
    (
        "comune@demo.retefamiglie.it",
        "Paolo (Comune)",
        {"is_municipal_officer": True},
        None,
    ),
    (
        "admin@demo.retefamiglie.it",
        "Amministratore",
        {"is_superuser": True, "is_staff": True},
        None,
    ),
]


def seed(write) -> None:
    areas = {}
    for name, slug, latitude, longitude in AREAS:
        area, _created = Area.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "latitude": latitude, "longitude": longitude},
        )
        areas[slug] = area
    organisations = {}
    for name, slug, kind, area_slug, description, email in ORGANISATIONS:
        organisation, _created = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "type": kind,
                "area": areas[area_slug],
                "description": f"{description} [Dati dimostrativi]",
                "email": email,
                "is_demo": True,
            },
        )
        organisations[slug] = organisation
    user_model = get_user_model()
    write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, display_name, flags, staff in ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            email=email, defaults={"display_name": display_name, **flags}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if staff:
            OrganisationStaff.objects.update_or_create(
                organisation=organisations[staff[0]],
                user=user,
                defaults={"role": staff[1]},
            )
        write(f"  {display_name:<22} {email}")
    write(
        "Coordinator, municipal officer and admin set up two-factor "
        "authentication on their first visit to /gestione/."
    )

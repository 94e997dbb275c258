"""The pact's part of the Lucca demo: version 1 in force, signed by the demo
members, and version 2 in consultation with a member's comment.

Idempotent: running it again updates the same rows. Statuses are set only when a
version is first created, so steps taken while trying the demo are kept.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from retefamiglie.network.models import Organisation

from .models import (
    Commitment,
    PactSection,
    PactVersion,
    Period,
    Report,
    SectionComment,
    SectionKind,
    Signature,
)

DEMO = "\n\n[Testo dimostrativo]"
TITLE = "Patto di collaborazione della rete Lucca In… famiglia"

SECTIONS_V1 = {
    SectionKind.PARTIES: (
        "Il presente patto è sottoscritto dal Comune di Lucca – Assessorato alle "
        "Politiche Formative e dai soggetti che aderiscono alla rete Lucca In… "
        "famiglia: istituzioni scolastiche, enti del terzo settore, parrocchie, "
        "attività economiche, gruppi informali e singoli cittadini attivi.\n"
        "Ogni aderente sottoscrive il patto tramite il proprio legale "
        "rappresentante o un suo delegato."
    ),
    SectionKind.COMMON_GOOD: (
        "Il bene comune curato dal patto è il benessere delle famiglie con figli "
        "che vivono a Lucca, e in particolare delle famiglie più fragili.\n"
        "Obiettivi: far conoscere e rendere accessibili le opportunità del "
        "territorio; attivare la comunità, che mette a disposizione tempo, spazi, "
        "beni e competenze; fare in modo che nessuna famiglia affronti da sola le "
        "proprie difficoltà; contrastare la povertà educativa con azioni "
        "progettate insieme."
    ),
    SectionKind.ACTIONS: (
        "Le parti realizzano insieme: una mappa aggiornata dei servizi e delle "
        "attività per le famiglie; percorsi di ascolto e di accompagnamento per "
        "chi chiede aiuto; laboratori educativi gratuiti nei quartieri; una rete "
        "di scambio di beni per l'infanzia (abiti, passeggini, libri, giochi)."
    ),
    SectionKind.COMMITMENTS: (
        "Ogni aderente indica sulla piattaforma almeno un impegno concreto, con "
        "obiettivo, destinatari, traguardo misurabile e scadenza, e ne aggiorna "
        "l'avanzamento.\n"
        "Gli aderenti si impegnano a rispondere entro cinque giorni lavorativi "
        "alle richieste di aiuto che il referente della rete invia loro."
    ),
    SectionKind.MUNICIPAL_SUPPORT: (
        "Il Comune mette a disposizione: la piattaforma della rete e il suo "
        "referente; spazi comunali per incontri e laboratori, a titolo gratuito "
        "secondo disponibilità; la comunicazione istituzionale delle iniziative; "
        "la copertura assicurativa dei volontari impegnati nelle azioni del patto."
    ),
    SectionKind.DURATION: (
        "Il patto ha durata triennale, dal 1° gennaio 2026 al 31 dicembre 2028.\n"
        "Alla scadenza può essere rinnovato, anche con modifiche, al termine di un "
        "percorso partecipativo aperto a tutti gli aderenti."
    ),
    SectionKind.RESPONSIBILITIES: (
        "Ciascun aderente risponde delle attività che organizza e dei propri "
        "volontari. Le attività con minori si svolgono alla presenza di adulti "
        "responsabili e nel rispetto delle norme sulla tutela dei minori."
    ),
    SectionKind.PUBLICITY: (
        "Le parti danno conoscenza del patto e delle sue azioni con il logo della "
        "rete. Il testo del patto, gli aderenti e i rendiconti sono pubblicati "
        "sulla piattaforma e sono liberamente consultabili."
    ),
    SectionKind.MONITORING: (
        "Ogni aderente presenta un rendiconto semestrale delle attività svolte. "
        "Il referente della rete redige un rendiconto annuale complessivo, "
        "presentato in un incontro pubblico e trasmesso al Comune."
    ),
    SectionKind.DISPUTES: (
        "Le divergenze sull'attuazione del patto sono discusse in un incontro di "
        "conciliazione convocato dal referente della rete. Se non si raggiunge "
        "un accordo, decide il Comune sentite le parti."
    ),
    SectionKind.AMENDMENTS: (
        "Ogni aderente può proporre modifiche al patto. Le proposte sono "
        "discusse in consultazione sulla piattaforma e approvate dal Comune; gli "
        "aderenti sono poi invitati a sottoscrivere la nuova versione."
    ),
}

CHANGES_V2 = {
    SectionKind.ACTIONS: SECTIONS_V1[SectionKind.ACTIONS]
    + (
        "\nSi aggiungono: un doposcuola solidale del sabato in ogni zona della "
        "città e uno sportello di orientamento per le famiglie arrivate da poco "
        "a Lucca, con mediatori linguistici."
    ),
    SectionKind.COMMITMENTS: SECTIONS_V1[SectionKind.COMMITMENTS].replace(
        "entro cinque giorni lavorativi", "entro tre giorni lavorativi"
    ),
}

# slug, signer, role
SIGNATORIES = [
    ("comune-di-lucca", "Lucia Ricci", "assessora alle Politiche Formative"),
    ("ic-lucca-3", "Giovanni Bartoli", "dirigente scolastico"),
    ("panathlon-lucca", "Marco (Panathlon)", "presidente"),
    ("bucaneve", "Elena Pardini", "coordinatrice pedagogica"),
    ("biblioteca-agora", "Francesca Lenzi", "responsabile della biblioteca"),
    ("parrocchia-san-concordio", "don Andrea Giusti", "parroco"),
    ("genitori-insieme", "Chiara Martinelli", "presidente"),
    ("cartoleria-il-quaderno", "Roberto Del Carlo", "titolare"),
]


def _version(number: int, create_defaults: dict, **fields) -> PactVersion:
    version, _created = PactVersion.objects.update_or_create(
        number=number,
        defaults={"title": TITLE, "is_demo": True, **fields},
        create_defaults={"number": number, "title": TITLE, "is_demo": True}
        | fields
        | create_defaults,
    )
    return version


def _sections(version: PactVersion, texts: dict) -> dict[str, PactSection]:
    sections: dict[str, PactSection] = {}
    for index, kind in enumerate(SectionKind):
        section, _created = PactSection.objects.update_or_create(
            version=version,
            kind=kind,
            defaults={
                "order": index,
                "title": str(kind.label),
                "body": texts[kind] + DEMO,
            },
        )
        sections[kind] = section
    return sections


def seed(write) -> None:
    users = get_user_model().objects
    officer = users.filter(email="comune@demo.retefamiglie.it").first()
    member_staff = users.filter(email="staff@demo.retefamiglie.it").first()
    rome = timezone.get_current_timezone()
    approved_at = datetime.datetime(2025, 12, 15, 11, tzinfo=rome)
    in_force_at = datetime.datetime(2026, 1, 1, 0, 1, tzinfo=rome)
    first = _version(
        1,
        {
            "status": PactVersion.Status.IN_FORCE,
            "approved_by": officer,
            "approved_at": approved_at,
            "in_force_at": in_force_at,
        },
        summary="Prima versione del patto, scritta negli incontri del 2025.",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2028, 12, 31),
    )
    _sections(first, SECTIONS_V1)
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(slug__in=[s for s, *_r in SIGNATORIES])
    }
    for slug, signer, role in SIGNATORIES:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        Signature.objects.update_or_create(
            version=first,
            organisation=organisation,
            defaults={
                "signer_name": signer,
                "signer_role": role,
                "signed_by": member_staff if slug == "panathlon-lucca" else None,
            },
        )
    # The demo members signed when version 1 took force, not when the demo loaded.
    Signature.objects.filter(version=first, signed_at__gt=in_force_at).update(
        signed_at=in_force_at
    )
    second = _version(
        2,
        {"status": PactVersion.Status.CONSULTATION},
        summary=(
            "Nuove azioni (doposcuola del sabato, sportello per le famiglie "
            "arrivate da poco) e risposte più rapide alle richieste di aiuto."
        ),
        valid_from=datetime.date(2027, 1, 1),
        valid_until=datetime.date(2029, 12, 31),
        consultation_until=datetime.date(2026, 12, 31),
    )
    sections = _sections(second, SECTIONS_V1 | CHANGES_V2)
    SectionComment.objects.update_or_create(
        section=sections[SectionKind.COMMITMENTS],
        organisation=organisations.get("panathlon-lucca"),
        defaults={
            "author": member_staff,
            "body": (
                "Tre giorni lavorativi sono pochi per le associazioni di soli "
                "volontari: proponiamo tre giorni per una prima risposta e dieci "
                "per prendere in carico la richiesta. [Testo dimostrativo]"
            ),
        },
    )
    _commitments_and_reports(first, organisations, member_staff)
    _link_objectives()
    write(
        "Demo pact: version 1 in force at /patto/, version 2 in consultation "
        "at /patto/versioni/2/, commitments at /patto/impegni/, reports at "
        "/patto/rendiconti/."
    )


# slug, objective, what, for whom, target, unit, reached, due date
COMMITMENTS = [
    (
        "panathlon-lucca",
        "educational_poverty",
        "Sport a scuola con i campioni del Panathlon",
        "Classi delle primarie dell'IC Lucca 3",
        12,
        "incontri",
        7,
        datetime.date(2026, 12, 20),
    ),
    (
        "biblioteca-agora",
        "know_services",
        "Letture ad alta voce il sabato mattina",
        "Bambini di 3-6 anni e le loro famiglie",
        40,
        "letture",
        31,
        datetime.date(2026, 12, 31),
    ),
    (
        "parrocchia-san-concordio",
        "no_family_alone",
        "Doposcuola gratuito due pomeriggi a settimana",
        "Ragazzi della secondaria di primo grado",
        25,
        "ragazzi seguiti",
        18,
        datetime.date(2027, 6, 30),
    ),
    (
        "genitori-insieme",
        "community",
        "Gruppi di mutuo aiuto tra genitori",
        "Genitori di bambini 0-6 anni",
        10,
        "incontri",
        3,
        datetime.date(2026, 10, 31),
    ),
    (
        "cartoleria-il-quaderno",
        "educational_poverty",
        "Kit scolastici a prezzo ridotto",
        "Famiglie segnalate dalla rete",
        60,
        "kit",
        60,
        datetime.date(2026, 9, 15),
    ),
]


def _commitments_and_reports(version, organisations, author) -> None:
    for slug, objective, title, whom, target, unit, reached, due in COMMITMENTS:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        Commitment.objects.update_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "version": version,
                "objective": objective,
                "beneficiaries": f"{whom} [Dati dimostrativi]",
                "target_value": target,
                "target_unit": unit,
                "progress_value": reached,
                "due_date": due,
                "area": organisation.area,
                "status": (
                    Commitment.Status.DONE
                    if reached >= target
                    else Commitment.Status.IN_PROGRESS
                ),
            },
        )
    panathlon = organisations.get("panathlon-lucca")
    if panathlon is not None:
        Report.objects.update_or_create(
            organisation=panathlon,
            year=2026,
            period=Period.FIRST_HALF,
            defaults={
                "activities": (
                    "Sette incontri di sport a scuola nelle primarie dell'IC Lucca 3; "
                    "una giornata di sport inclusivo al campo scuola. "
                    "[Dati dimostrativi]"
                ),
                "volunteer_hours": 86,
                "families_reached": 140,
                "children_reached": 210,
                "status": Report.Status.SUBMITTED,
                "submitted_by": author,
                "submitted_at": datetime.datetime(
                    2026, 7, 10, 10, tzinfo=timezone.get_current_timezone()
                ),
            },
        )


# Commitment title → the participation objectives it serves (slugs).
SERVES = {
    "Doposcuola gratuito due pomeriggi a settimana": ["doposcuola-del-sabato"],
    "Letture ad alta voce il sabato mattina": [
        "doposcuola-del-sabato",
        "famiglie-santanna-conoscono-doposcuola",
    ],
    "Gruppi di mutuo aiuto tra genitori": ["accoglienza-nuove-famiglie"],
}


def _link_objectives() -> None:
    """Pacts writes the link between its commitments and participation's
    objectives (participation sits to its left)."""
    from retefamiglie.participation.models import Objective

    objectives = {o.slug: o for o in Objective.objects.all()}
    for commitment in Commitment.objects.filter(title__in=SERVES):
        commitment.participation_objectives.add(
            *[objectives[s] for s in SERVES[commitment.title] if s in objectives]
        )

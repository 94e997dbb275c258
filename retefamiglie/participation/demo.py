"""Participation's part of the Lucca demo: the "Lucca In… famiglia 2026"
process in its co-design phase, two past meetings with minutes and attendance,
one coming meeting with registrations and a waiting list, eight proposals in
different states with comments and supports, three objectives with actions.

Dates follow today, so the co-design phase is always the current one.
Idempotent: running it again updates the same rows.
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from retefamiglie.network.models import Area, Location, Organisation

from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Category,
    Comment,
    Meeting,
    Milestone,
    Objective,
    Phase,
    Process,
    Proposal,
    Registration,
    Support,
)
from .search import proposal_refresh_search_document

DEMO = " [Testo dimostrativo]"

# title, from (days from today), to, proposals, supports, comments, meetings
PHASES = [
    ("Ascolto", -150, -91, False, False, True, True),
    ("Proposte", -90, -31, True, True, True, False),
    ("Incontri di co-progettazione", -30, 45, True, True, True, True),
    ("Stesura del patto", 46, 100, False, False, True, False),
    ("Monitoraggio", 101, 400, False, False, False, True),
]

CITIZENS = [
    ("luca@demo.retefamiglie.it", "Luca (papà)"),
    ("fatima@demo.retefamiglie.it", "Fatima"),
    ("elena@demo.retefamiglie.it", "Elena, nonna"),
]

# key, title, body, category, area, author, state, answer, pact section
PROPOSALS = [
    (
        "doposcuola-sabato",
        "Un doposcuola anche il sabato mattina",
        "Molti genitori lavorano il sabato: un doposcuola nei locali della "
        "parrocchia o della biblioteca aiuterebbe le famiglie di San Concordio.",
        Category.SCHOOL,
        "san-concordio",
        "famiglia",
        Proposal.State.ACCEPTED,
        "Accolta: la inseriamo tra le azioni della prossima versione del patto.",
        "actions",
    ),
    (
        "sportello-nuove-famiglie",
        "Uno sportello per le famiglie arrivate da poco",
        "Chi arriva in città non sa a chi rivolgersi: uno sportello con "
        "mediatori culturali una volta a settimana, in più lingue.",
        Category.INCLUSION,
        "",
        "fatima",
        Proposal.State.ACCEPTED,
        "Accolta: il Comune mette a disposizione la sala e la rete i mediatori.",
        "municipal_support",
    ),
    (
        "risposte-tre-giorni",
        "Rispondere alle richieste di aiuto entro tre giorni",
        "Cinque giorni lavorativi sono tanti per chi è in difficoltà: "
        "proponiamo tre giorni per la prima risposta.",
        Category.NETWORK,
        "",
        "staff",
        Proposal.State.EVALUATING,
        "La valutiamo con le associazioni di soli volontari.",
        "commitments",
    ),
    (
        "mappa-cartacea",
        "Una mappa di carta dei servizi nelle scuole",
        "Non tutti usano internet: una mappa stampata dei servizi, da dare a "
        "ogni famiglia all'iscrizione a scuola.",
        Category.SERVICES,
        "santanna",
        "scuola",
        Proposal.State.IMPLEMENTED,
        "Fatto: la mappa è stata distribuita in tutte le primarie.",
        "",
    ),
    (
        "cortili-aperti",
        "Cortili delle scuole aperti d'estate",
        "I cortili delle scuole restano chiusi per tre mesi: aprirli il "
        "pomeriggio, con i volontari, darebbe ai bambini un posto per giocare.",
        Category.SPACES,
        "arancio",
        "luca",
        Proposal.State.PUBLISHED,
        "",
        "",
    ),
    (
        "banca-del-tempo",
        "Una banca del tempo tra genitori",
        "Un'ora di babysitting in cambio di un'ora di ripetizioni o di un "
        "passaggio: scambiarsi tempo tra famiglie del quartiere.",
        Category.COMMUNITY,
        "san-vito",
        "elena",
        Proposal.State.PUBLISHED,
        "",
        "",
    ),
    (
        "app-obbligatoria",
        "Iscrizioni solo con l'app",
        "Per semplificare, accettare le iscrizioni alle attività solo dall'app.",
        Category.NETWORK,
        "",
        "luca",
        Proposal.State.REJECTED,
        "Respinta: molte famiglie non hanno uno smartphone o non lo usano "
        "volentieri; le iscrizioni restano possibili anche di persona e per "
        "telefono.",
        "",
    ),
    (
        "merenda-insieme",
        "Merenda insieme dopo gli incontri",
        "Finire gli incontri con una merenda, così i bambini che aspettano e i "
        "genitori si conoscono.",
        Category.COMMUNITY,
        "centro-storico",
        "fatima",
        Proposal.State.EVALUATING,
        "",
        "",
    ),
]

# proposal key, author, stance, text
COMMENTS = [
    ("doposcuola-sabato", "fatima", "favour", "Sì, anche per chi fa i turni."),
    ("doposcuola-sabato", "luca", "against", "Meglio potenziare i pomeriggi."),
    ("cortili-aperti", "famiglia", "favour", "A Sant'Anna servirebbe tantissimo."),
    ("banca-del-tempo", "staff", "neutral", "Il Panathlon può offrire la sede."),
    ("risposte-tre-giorni", "elena", "favour", "Tre giorni sono già tanti."),
    ("merenda-insieme", "scuola", "favour", "La scuola può ospitarla."),
]

# proposal key, supporters
SUPPORTS = {
    "doposcuola-sabato": ["famiglia", "fatima", "elena", "scuola"],
    "sportello-nuove-famiglie": ["famiglia", "luca", "elena"],
    "risposte-tre-giorni": ["famiglia", "fatima"],
    "mappa-cartacea": ["luca", "elena"],
    "cortili-aperti": ["famiglia", "fatima", "elena"],
    "banca-del-tempo": ["famiglia"],
    "merenda-insieme": ["luca"],
}


def _users() -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    model = get_user_model()
    users = {
        key: model.objects.filter(email=f"{key}@demo.retefamiglie.it").first()
        for key in ("famiglia", "staff", "scuola", "referente", "comune")
    }
    for email, name in CITIZENS:
        user, created = model.objects.get_or_create(
            email=email, defaults={"display_name": name}
        )
        if created:
            user.set_password("demo-retefamiglie")
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email.split("@")[0]] = user
    return users


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def seed(write: Any) -> None:
    today = timezone.localdate()
    users = _users()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    areas = {a.slug: a for a in Area.objects.all()}
    process, _created = Process.objects.update_or_create(
        slug="lucca-in-famiglia-2026",
        defaults={
            "title": "Lucca In… famiglia 2026",
            "summary": (
                "Il percorso partecipativo che scrive la nuova versione del patto "
                "di collaborazione: ascolto delle famiglie, proposte, incontri di "
                "co-progettazione, stesura e monitoraggio." + DEMO
            ),
            "support_threshold": 4,
            "is_demo": True,
        },
    )
    phases = {}
    for order, (
        title,
        start,
        end,
        takes,
        supports,
        comments,
        meets,
    ) in enumerate(PHASES):
        phases[title], _c = Phase.objects.update_or_create(
            process=process,
            order=order,
            defaults={
                "title": title,
                "starts_on": today + datetime.timedelta(days=start),
                "ends_on": today + datetime.timedelta(days=end),
                "proposals_open": takes,
                "supports_open": supports,
                "comments_open": comments,
                "meetings_open": meets,
            },
        )
    codesign = phases["Incontri di co-progettazione"]
    listening = phases["Ascolto"]
    proposals = _proposals(process, phases["Proposte"], users, areas)
    _meetings(process, listening, codesign, users, organisations, areas, proposals)
    _objectives(process, users, organisations, areas, proposals)
    write(
        "Demo participation: the process at /partecipa/, meetings at "
        "/partecipa/incontri/, proposals at /partecipa/proposte/, objectives at "
        "/partecipa/obiettivi/."
    )


def _proposals(
    process: Process, phase: Phase, users: dict[str, Any], areas: dict[str, Area]
) -> dict[str, Proposal]:
    coordinator = users.get("referente")
    proposals = {}
    now = timezone.now()
    for number, row in enumerate(PROPOSALS):
        key, title, body, category, area, author, state, answer, section = row
        answered = state != Proposal.State.PUBLISHED and bool(answer)
        proposal, _c = Proposal.objects.update_or_create(
            process=process,
            title=title,
            defaults={
                "phase": phase,
                "author": users.get(author),
                "body": body + DEMO,
                "category": category,
                "area": areas.get(area),
                "pact_section": section,
                "state": state,
                "answer": answer,
                "answered_at": now - datetime.timedelta(days=3) if answered else None,
                "answered_by": coordinator if answered else None,
                "is_demo": True,
            },
        )
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=now - datetime.timedelta(days=60 - number * 4)
        )
        proposal_refresh_search_document(proposal)
        proposals[key] = proposal
    for key, supporters in SUPPORTS.items():
        for name in supporters:
            if users.get(name) is not None:
                Support.objects.get_or_create(proposal=proposals[key], user=users[name])
    for key, author, stance, text in COMMENTS:
        Comment.objects.get_or_create(
            proposal=proposals[key],
            author=users.get(author),
            body=text + DEMO,
            defaults={"stance": stance},
        )
    for proposal in proposals.values():
        Proposal.objects.filter(pk=proposal.pk).update(
            supports_count=proposal.supports.count(),
            comments_count=proposal.comments.count(),
        )
    # Those with the process's threshold of supports await an answer (ADR 26).
    Proposal.objects.filter(
        process=process,
        supports_count__gte=process.support_threshold or 0,
        threshold_reached_at__isnull=True,
    ).update(threshold_reached_at=now)
    return proposals


def _meeting(
    process: Process, slug: str, defaults: dict[str, Any], agenda: list[tuple]
) -> Meeting:
    meeting, _c = Meeting.objects.update_or_create(
        slug=slug,
        defaults={
            "process": process,
            "status": Meeting.Status.PUBLISHED,
            "is_demo": True,
            **defaults,
        },
    )
    meeting.agenda.all().delete()
    for time, title, speaker in agenda:
        AgendaItem.objects.create(
            meeting=meeting, starts_at=time, title=title, speaker=speaker
        )
    return meeting


def _meetings(
    process: Process,
    listening: Phase,
    codesign: Phase,
    users: dict[str, Any],
    organisations: dict[str, Organisation],
    areas: dict[str, Area],
    proposals: dict[str, Proposal],
) -> None:
    today = timezone.localdate()
    t = datetime.time
    first_day = today - datetime.timedelta(days=100)
    library = Location.objects.filter(organisation__slug="biblioteca-agora").first()
    first = _meeting(
        process,
        "ascolto-delle-famiglie",
        {
            "phase": listening,
            "title": "Ascolto delle famiglie",
            "summary": "Che cosa serve alle famiglie con figli a Lucca?" + DEMO,
            "starts_at": _at(first_day, 17, 30),
            "ends_at": _at(first_day, 19, 30),
            "mode": Meeting.Mode.IN_PERSON,
            # The library's place of the network, when the directory's demo
            # made it.
            "location": library,
            "place": "" if library else "Biblioteca Agorà",
            "address": "" if library else "Piazza dei Servi, Lucca",
            "area": areas.get("centro-storico"),
            "capacity": 60,
            "childcare_offered": True,
            "accessibility": "Accesso senza gradini, interprete LIS su richiesta.",
            "organiser": organisations.get("biblioteca-agora"),
            "families_count": 23,
            "members_count": 9,
            "citizens_count": 6,
            "officers_count": 2,
            "attendance_recorded_at": _at(first_day, 20),
            "minutes": (
                "Le famiglie hanno raccontato le difficoltà a conoscere i servizi e "
                "a conciliare lavoro e cura dei figli. Sono emersi tre temi: "
                "informazione, tempi delle attività, accoglienza delle famiglie "
                "arrivate da poco." + DEMO
            ),
            "decisions": "Raccogliere le proposte sulla piattaforma fino a fine mese.",
            "minutes_published_at": _at(first_day + datetime.timedelta(days=2), 10),
        },
        [
            (t(17, 30), "Accoglienza e presentazione del percorso", "Sara Bianchi"),
            (t(17, 50), "Tavoli di ascolto", ""),
            (t(19, 0), "Restituzione", "Paolo Verdi, Comune di Lucca"),
        ],
    )
    first.proposals.set([proposals["sportello-nuove-famiglie"]])
    second_day = today - datetime.timedelta(days=12)
    second = _meeting(
        process,
        "co-progettazione-doposcuola",
        {
            "phase": codesign,
            "title": "Co-progettazione: doposcuola e tempi delle famiglie",
            "summary": "Dalle proposte alle azioni: doposcuola e sabato." + DEMO,
            "starts_at": _at(second_day, 17),
            "ends_at": _at(second_day, 19),
            "mode": Meeting.Mode.HYBRID,
            "place": "Parrocchia di San Concordio, sala grande",
            "address": "Piazza San Concordio, Lucca",
            "area": areas.get("san-concordio"),
            "online_url": "https://meet.example.org/lucca-in-famiglia",
            "capacity": 40,
            "childcare_offered": True,
            "organiser": organisations.get("parrocchia-san-concordio"),
            "families_count": 14,
            "members_count": 7,
            "citizens_count": 3,
            "officers_count": 1,
            "attendance_recorded_at": _at(second_day, 19, 30),
            "minutes": (
                "Discusse le proposte sul doposcuola del sabato e sulla merenda "
                "insieme. La parrocchia offre i locali due sabati al mese." + DEMO
            ),
            "decisions": "Il doposcuola del sabato entra nella bozza del patto.",
            "minutes_published_at": _at(second_day + datetime.timedelta(days=1), 9),
        },
        [
            (t(17, 0), "Le proposte arrivate", "Sara Bianchi"),
            (t(17, 30), "Lavoro in gruppi", ""),
        ],
    )
    second.proposals.set([proposals["doposcuola-sabato"], proposals["merenda-insieme"]])
    next_day = today + datetime.timedelta(days=9)
    coming = _meeting(
        process,
        "co-progettazione-spazi-estate",
        {
            "phase": codesign,
            "title": "Co-progettazione: spazi per l'estate",
            "summary": "Cortili aperti, banca del tempo: che cosa facciamo?" + DEMO,
            "starts_at": _at(next_day, 17, 30),
            "ends_at": _at(next_day, 19),
            "mode": Meeting.Mode.IN_PERSON,
            "place": "Scuola primaria di Sant'Anna, palestra",
            "address": "Via Matteo Civitali, Lucca",
            "area": areas.get("santanna"),
            "capacity": 8,
            "childcare_offered": True,
            "accessibility": "Accesso senza gradini; bagno accessibile.",
            "organiser": organisations.get("ic-lucca-3"),
        },
        [
            (t(17, 30), "Benvenuto", "Anna Rossi, IC Lucca 3"),
            (t(17, 45), "Cortili aperti: proposte e vincoli", ""),
            (t(18, 30), "Chi fa che cosa", ""),
        ],
    )
    coming.proposals.set([proposals["cortili-aperti"], proposals["banca-del-tempo"]])
    # Eight seats: three families fill them, two more wait.
    registrations = [
        ("Famiglia Rossi", "rossi", 2, {"3-5": 1}, True, Registration.Status.CONFIRMED),
        ("Famiglia Ahmed", "ahmed", 1, {"0-2": 1}, True, Registration.Status.CONFIRMED),
        ("Elena", "elena.r", 1, {"6-10": 2}, False, Registration.Status.CONFIRMED),
        ("Famiglia Conti", "conti", 2, {"3-5": 2}, True, Registration.Status.WAITING),
        ("Marta", "marta", 1, {}, False, Registration.Status.WAITING),
    ]
    now = timezone.now()
    for number, (name, key, adults, children, childcare, status) in enumerate(
        registrations
    ):
        Registration.objects.update_or_create(
            meeting=coming,
            email=f"{key}@demo.retefamiglie.it",
            defaults={
                "name": name,
                "adults": adults,
                "children": children,
                "needs_childcare": childcare,
                "status": status,
                "confirmed_at": now - datetime.timedelta(hours=48 - number),
            },
        )


# slug, title, area, description, [(action, owner, status, progress, milestones)]
OBJECTIVES = [
    (
        "famiglie-santanna-conoscono-doposcuola",
        "Ogni famiglia di Sant'Anna conosce i servizi del doposcuola",
        "santanna",
        "Far arrivare a tutte le famiglie del quartiere l'informazione sui "
        "doposcuola gratuiti.",
        [
            ("Mappa di carta nelle scuole", "ic-lucca-3", "done", 100),
            (
                "Incontri di presentazione con i genitori",
                "ic-lucca-3",
                "in_progress",
                40,
            ),
        ],
        ["mappa-cartacea"],
    ),
    (
        "doposcuola-del-sabato",
        "Un doposcuola anche il sabato",
        "san-concordio",
        "Aprire il doposcuola due sabati al mese nei locali della parrocchia.",
        [
            (
                "Locali e volontari per il sabato",
                "parrocchia-san-concordio",
                "in_progress",
                50,
            ),
            ("Letture del sabato per i più piccoli", "biblioteca-agora", "planned", 0),
        ],
        ["doposcuola-sabato"],
    ),
    (
        "accoglienza-nuove-famiglie",
        "Nessuna famiglia arrivata da poco resta sola",
        "",
        "Uno sportello settimanale con mediatori culturali e un gruppo di "
        "genitori che accompagna le nuove famiglie.",
        [
            (
                "Sportello con mediatori culturali",
                "genitori-insieme",
                "in_progress",
                30,
            ),
        ],
        ["sportello-nuove-famiglie"],
    ),
]


def _objectives(
    process: Process,
    users: dict[str, Any],
    organisations: dict[str, Organisation],
    areas: dict[str, Area],
    proposals: dict[str, Proposal],
) -> None:
    today = timezone.localdate()
    for slug, title, area, description, actions, from_proposals in OBJECTIVES:
        objective, _c = Objective.objects.update_or_create(
            slug=slug,
            defaults={
                "process": process,
                "title": title,
                "area": areas.get(area),
                "description": description + DEMO,
                "is_demo": True,
            },
        )
        for key in from_proposals:
            Proposal.objects.filter(pk=proposals[key].pk).update(objective=objective)
        for action_title, owner, status, progress in actions:
            if owner not in organisations:
                continue
            action, _c = Action.objects.update_or_create(
                objective=objective,
                title=action_title,
                defaults={
                    "owner": organisations[owner],
                    "status": status,
                    "progress": progress,
                },
            )
            Milestone.objects.get_or_create(
                action=action,
                title="Avvio",
                defaults={
                    "due_on": today - datetime.timedelta(days=20),
                    "done_on": today - datetime.timedelta(days=18),
                },
            )
            Milestone.objects.get_or_create(
                action=action,
                title="Verifica a metà percorso",
                defaults={"due_on": today + datetime.timedelta(days=60)},
            )
            if progress and not action.updates.exists():
                ActionUpdate.objects.create(
                    action=action,
                    author=users.get("staff"),
                    body="Primo aggiornamento dell'azione." + DEMO,
                    progress=progress,
                    status=status,
                    created_at=timezone.now() - datetime.timedelta(days=5),
                )

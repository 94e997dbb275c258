"""Synthetic catalogue for the load benchmark: a fresh PostgreSQL database per size.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/generate.py \
        --database retefamiglie_bench_100k --services 100000 --events 10000

Creates the database if missing, migrates it, and fills it with bulk_create
(no factories, no services layer: speed over business rules, but every row
respects the model's constraints). Idempotent: a database that already holds
exactly the requested numbers of published services and events is left alone.
Random with a fixed seed, so two runs build the same catalogue.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Always the bench settings, whatever the Makefile exports.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
ROME = ZoneInfo("Europe/Rome")
BATCH = 2000

# ------------------------------------------------------------------------------
# Word lists
# ------------------------------------------------------------------------------
KINDS = [
    ("Doposcuola", 6, 14, "aiuto nei compiti e studio assistito"),
    ("Aiuto compiti", 6, 14, "sostegno allo studio in piccoli gruppi"),
    ("Ludoteca", 2, 10, "giochi, costruzioni e laboratori creativi"),
    ("Centro estivo", 3, 14, "attività all'aperto, gite e giochi d'acqua"),
    ("Corso di nuoto", 4, 16, "acquaticità e nuoto con istruttori federali"),
    ("Scuola calcio", 5, 14, "allenamenti e partite di calcio giovanile"),
    ("Minibasket", 5, 11, "pallacanestro e giochi di movimento"),
    ("Judo", 5, 16, "arti marziali, equilibrio e rispetto delle regole"),
    ("Danza creativa", 3, 12, "movimento, musica ed espressione corporea"),
    ("Laboratorio di lettura", 3, 11, "letture animate e prestito di libri"),
    ("Teatro ragazzi", 7, 17, "laboratorio teatrale e spettacolo finale"),
    ("Coro di voci bianche", 6, 14, "canto corale e educazione musicale"),
    ("Scuola di musica", 4, 18, "lezioni di strumento e musica d'insieme"),
    ("Spazio gioco 0-3", 0, 3, "gioco libero per bambini con i loro genitori"),
    ("Sportello psicologico", 11, 19, "ascolto e consulenza per ragazzi e genitori"),
    ("Consultorio familiare", None, None, "consulenza a coppie e famiglie"),
    ("Mediazione familiare", None, None, "accompagnamento nelle separazioni"),
    ("Corso di italiano per genitori", None, None, "lingua italiana per adulti"),
    ("Laboratorio di robotica", 8, 15, "coding, robotica e piccoli esperimenti"),
    ("Orto didattico", 4, 12, "semina, raccolta ed educazione ambientale"),
    ("Gruppo di mamme", None, None, "incontri tra neogenitori e allattamento"),
    ("Sostegno DSA", 7, 18, "metodo di studio per disturbi dell'apprendimento"),
    ("Servizio di babysitting", 0, 10, "custodia dei bambini a domicilio"),
    ("Sportello famiglie", None, None, "informazioni su bonus, servizi e iscrizioni"),
    ("Pre e post scuola", 3, 11, "accoglienza prima e dopo l'orario scolastico"),
]
AUDIENCES = [
    "per la primaria",
    "per la secondaria",
    "per l'infanzia",
    "per tutta la famiglia",
    "per bambini e ragazzi",
    "del quartiere",
    "in biblioteca",
    "all'oratorio",
    "al centro civico",
    "in palestra",
]
ADJECTIVES = [
    "gratuito",
    "solidale",
    "inclusivo",
    "per tutti",
    "pomeridiano",
    "del sabato",
    "estivo",
    "invernale",
    "in inglese",
    "bilingue",
]
SENTENCES = [
    "Il servizio offre {what} {audience}.",
    "Gli educatori seguono i bambini con attenzione a ciascuno.",
    "Le attività si svolgono in spazi sicuri e accoglienti a {area}.",
    "È richiesta l'iscrizione presso la segreteria o per e-mail.",
    "I posti sono limitati: conviene prenotare per tempo.",
    "Si accolgono anche bambini con disabilità, con un educatore dedicato.",
    "Le famiglie possono partecipare a un incontro di presentazione.",
    "Il progetto è sostenuto dal Comune di Lucca e dalla rete delle famiglie.",
    "Durante l'anno scolastico l'attività si ferma nelle vacanze di Natale e Pasqua.",
    "Merenda sana offerta a metà pomeriggio.",
    "Gli operatori parlano più lingue e aiutano le famiglie arrivate da poco.",
    "Al termine del percorso viene organizzata una festa con i genitori.",
]
ORG_KINDS = [
    ("Associazione", "third_sector"),
    ("Cooperativa sociale", "third_sector"),
    ("Polisportiva", "third_sector"),
    ("Istituto Comprensivo", "school"),
    ("Parrocchia", "third_sector"),
    ("Circolo", "informal_group"),
    ("Centro", "business"),
    ("Comune di Lucca – Ufficio", "public_body"),
]
ORG_NAMES = [
    "Il Girasole",
    "Arcobaleno",
    "La Tartaruga",
    "Mille Colori",
    "Il Ponte",
    "Le Mura",
    "Serchio Insieme",
    "Piccoli Passi",
    "La Lanterna",
    "Il Melograno",
    "Casa Aperta",
    "Il Grillo Parlante",
    "Pinocchio",
    "San Frediano",
    "Guinigi",
    "Puccini",
    "Fillungo",
    "Il Cortile",
    "La Bussola",
    "Lo Scoiattolo",
]
STREETS = [
    "Via Fillungo",
    "Via dell'Arancio",
    "Viale Carducci",
    "Via di Sant'Anna",
    "Via Pisana",
    "Via Romana",
    "Via per Camaiore",
    "Via del Brennero",
    "Viale San Concordio",
    "Via Vincenzo Consani",
    "Piazza San Michele",
    "Via Elisa",
    "Via Santa Croce",
    "Via di Tiglio",
]
PLACES = ["Sede", "Palestra", "Centro civico", "Biblioteca", "Oratorio", "Scuola"]
EVENT_KINDS = [
    "Letture animate",
    "Festa di quartiere",
    "Laboratorio di cucina",
    "Caccia al tesoro",
    "Passeggiata sulle Mura",
    "Cinema per bambini",
    "Incontro per genitori",
    "Torneo di calcetto",
    "Laboratorio di riciclo",
    "Teatro dei burattini",
    "Yoga mamma e bambino",
    "Giornata dello sport",
]
LANGUAGES = ["en", "fr", "es", "ar", "sq", "ro", "uk", "zh", "ur", "bn", "lis"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--services", type=int, required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--listings", type=int, default=0)
    parser.add_argument("--proposals", type=int, default=0)
    parser.add_argument("--meetings", type=int, default=0)
    return parser.parse_args()


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"  created database {name}")


def timed(label: str):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            print(f"  {label}: {time.perf_counter() - self.start:.1f} s", flush=True)

    return Timer()


def description(rng: random.Random, what: str, audience: str, area: str) -> str:
    chosen = rng.sample(SENTENCES[1:], rng.randint(3, 6))
    text = [SENTENCES[0].format(what=what, audience=audience, area=area)]
    text += [s.format(area=area) for s in chosen]
    return " ".join(text)


def languages(rng: random.Random) -> list[str]:
    extra = rng.sample(LANGUAGES, rng.choice([0, 0, 0, 1, 1, 2]))
    return ["it", *extra]


def ages(rng: random.Random, low, high) -> tuple[int | None, int | None]:
    if low is None:
        return None, None
    low = max(0, low + rng.randint(-1, 1))
    high = min(25, max(low, high + rng.randint(-1, 1)))
    return low, high


def generate(args: argparse.Namespace) -> None:  # noqa: C901
    from django.db import connection, transaction
    from django.utils.text import slugify

    from retefamiglie.directory.models import (
        Category,
        Event,
        EventOccurrence,
        Location,
        OpeningHours,
        Publishable,
        Service,
        ServiceAtLocation,
    )
    from retefamiglie.directory.services.events import occurrence_times
    from retefamiglie.network.demo import AREAS
    from retefamiglie.network.models import Area, Organisation

    rng = random.Random(20261126)  # noqa: S311 - synthetic data
    published = Publishable.Status.PUBLISHED
    have = (
        Service.objects.filter(status=published).count(),
        Event.objects.filter(status=published).count(),
    )
    if have == (args.services, args.events):
        print(f"  {args.database}: already {have[0]} services, {have[1]} events")
        return
    if any(have) or Organisation.objects.exists():
        print(f"  {args.database}: holds {have}; emptying it")
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE directory_service, directory_event, directory_location, "
                "network_organisation CASCADE"
            )

    with transaction.atomic():
        with timed("areas, categories, organisations, places"):
            # Migration 0002 seeds the categories.
            categories = list(Category.objects.all())
            areas = []
            for name, slug, lat, lon in AREAS:
                area, _created = Area.objects.get_or_create(
                    slug=slug,
                    defaults={
                        "name": name,
                        "latitude": Decimal(str(lat)),
                        "longitude": Decimal(str(lon)),
                    },
                )
                areas.append(area)
            organisations = []
            for index in range(args.organisations):
                prefix, kind = ORG_KINDS[index % len(ORG_KINDS)]
                name = f"{prefix} {ORG_NAMES[index % len(ORG_NAMES)]} {index + 1}"
                organisations.append(
                    Organisation(
                        name=name,
                        slug=slugify(name),
                        type=kind,
                        description="Associazione della rete (dati sintetici).",
                        area=rng.choice(areas),
                        email=f"info{index}@example.org",
                    )
                )
            organisations = Organisation.objects.bulk_create(organisations)
            locations = []
            for organisation in organisations:
                for n in range(rng.randint(2, 6)):
                    area = rng.choice(areas)
                    locations.append(
                        Location(
                            organisation=organisation,
                            name=f"{rng.choice(PLACES)} {organisation.name} {n + 1}",
                            address=f"{rng.choice(STREETS)} {rng.randint(1, 300)}",
                            postal_code="55100",
                            area=area,
                            # Within ~2 km of the area's centre, inside the city box.
                            latitude=Decimal(
                                f"{float(area.latitude) + rng.uniform(-0.01, 0.01):.6f}"
                            ),
                            longitude=Decimal(
                                f"{float(area.longitude) + rng.uniform(-0.01, 0.01):.6f}"  # noqa: E501
                            ),
                        )
                    )
            locations = Location.objects.bulk_create(locations, batch_size=BATCH)
            by_org: dict[int, list] = {}
            for location in locations:
                by_org.setdefault(location.organisation_id, []).append(location)

        with timed(f"{args.services} services"):
            services = []
            for index in range(args.services):
                kind, low, high, what = rng.choice(KINDS)
                audience = rng.choice(AUDIENCES)
                name = f"{kind} {audience}"
                if rng.random() < 0.5:
                    name += f" {rng.choice(ADJECTIVES)}"
                organisation = rng.choice(organisations)
                age_min, age_max = ages(rng, low, high)
                free = rng.random() < 0.3
                services.append(
                    Service(
                        organisation=organisation,
                        name=name,
                        slug=f"{slugify(name)[:200]}-{index}",
                        summary=f"{kind}: {what} {audience}.",
                        description=description(
                            rng, what, audience, rng.choice(areas).name
                        ),
                        age_min=age_min,
                        age_max=age_max,
                        is_free=free,
                        cost_description=""
                        if free
                        else f"{rng.randint(5, 60)} € al mese",
                        languages=languages(rng),
                        email=f"servizio{index}@example.org",
                        status=published,
                        featured=rng.random() < 0.001,
                        how_to_access="Iscrizione in segreteria o per e-mail.",
                    )
                )
            services = Service.objects.bulk_create(services, batch_size=BATCH)
            links = [
                Service.categories.through(service_id=s.pk, category_id=c.pk)
                for s in services
                for c in rng.sample(categories, rng.choice([1, 1, 2, 3]))
            ]
            Service.categories.through.objects.bulk_create(links, batch_size=5000)

        with timed("places of services and opening hours"):
            at_locations = []
            for service in services:
                places = by_org[service.organisation_id]
                for location in rng.sample(
                    places, min(len(places), rng.choice([1, 1, 2]))
                ):
                    at_locations.append(
                        ServiceAtLocation(service_id=service.pk, location=location)
                    )
            at_locations = ServiceAtLocation.objects.bulk_create(
                at_locations, batch_size=BATCH
            )
            hours = []
            for at in at_locations:
                opens = rng.choice([8, 9, 14, 15, 16])
                for weekday in sorted(rng.sample(range(6), rng.randint(1, 3))):
                    hours.append(
                        OpeningHours(
                            service_at_location_id=at.pk,
                            weekday=weekday,
                            opens_at=f"{opens:02d}:00",
                            closes_at=f"{opens + rng.randint(2, 4):02d}:00",
                        )
                    )
            OpeningHours.objects.bulk_create(hours, batch_size=5000)
            print(f"    {len(at_locations)} service places, {len(hours)} opening hours")

        with timed(f"{args.events} events"):
            today = datetime.now(ROME).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
            events = []
            times = []
            for index in range(args.events):
                kind = rng.choice(EVENT_KINDS)
                organisation = rng.choice(organisations)
                location = rng.choice(by_org[organisation.pk])
                starts = today + timedelta(
                    days=rng.randint(-30, 180), hours=rng.choice([10, 15, 16, 17, 18])
                )
                rule = ""
                roll = rng.random()
                if roll < 0.25:
                    rule = f"FREQ=WEEKLY;COUNT={rng.randint(4, 12)}"
                elif roll < 0.30:
                    rule = f"FREQ=DAILY;COUNT={rng.randint(3, 5)}"
                name = f"{kind} {rng.choice(AUDIENCES)}"
                age_min, age_max = ages(rng, 3, 12)
                capacity = rng.choice([None, 20, 30, 50])
                event = Event(
                    organisation=organisation,
                    location=location,
                    name=name,
                    slug=f"{slugify(name)[:200]}-{index}",
                    summary=f"{kind} a {location.area.name}.",
                    description=description(rng, kind.lower(), "", "Lucca"),
                    age_min=age_min,
                    age_max=age_max,
                    is_free=rng.random() < 0.6,
                    languages=languages(rng),
                    status=published,
                    featured=rng.random() < 0.005,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=rng.choice([1, 2, 3])),
                    rrule=rule,
                    capacity=capacity,
                    booking_enabled=capacity is not None,
                )
                # What event_refresh_occurrences() stores on each save.
                times.append(occurrence_times(event))
                event.last_starts_at = times[-1][-1][0]
                events.append(event)
            events = Event.objects.bulk_create(events, batch_size=BATCH)
            occurrences = EventOccurrence.objects.bulk_create(
                (
                    EventOccurrence(event_id=event.pk, starts_at=start, ends_at=end)
                    for event, pairs in zip(events, times, strict=True)
                    for start, end in pairs
                ),
                batch_size=5000,
            )
            print(f"    {len(occurrences)} occurrences")
            Event.categories.through.objects.bulk_create(
                [
                    Event.categories.through(event_id=e.pk, category_id=c.pk)
                    for e in events
                    for c in rng.sample(categories, rng.choice([1, 2]))
                ],
                batch_size=5000,
            )

    # Linking categories fires the trigger that rewrites each row's search
    # document: the bulk load leaves every service and event row written twice
    # or thrice (the service table was 373 MB instead of 143 MB at 100k). A
    # database in use reuses that space through autovacuum; a benchmark of a
    # freshly loaded, bloated table would measure the load, not the app.
    with timed("vacuum full, analyze"), connection.cursor() as cursor:
        cursor.execute("VACUUM (FULL, ANALYZE)")


LISTING_THINGS = [
    "Passeggino",
    "Seggiolino auto",
    "Lettino",
    "Body",
    "Scarpe",
    "Giacca",
    "Costruzioni",
    "Libri illustrati",
    "Zaino",
    "Bicicletta",
    "Seggiolone",
    "Puzzle",
    "Tutina",
    "Marsupio",
    "Pattini",
]
LISTING_WORDS = ["leggero", "blu", "rosso", "come nuovo", "pieghevole", "caldo"]


def generate_listings(count: int) -> None:
    """``count`` exchange listings of 500 families over the areas (ADR 17)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from retefamiglie.exchange.models import (
        Category,
        ExchangeMember,
        FitsAgeBand,
        Listing,
    )
    from retefamiglie.network.models import Area

    if Listing.objects.count() == count:
        print(f"  already {count} listings")
        return
    rng = random.Random(20261203)  # noqa: S311 - synthetic data
    areas = list(Area.objects.all())
    user_model = get_user_model()
    now = timezone.now()
    with transaction.atomic(), timed(f"{count} listings"):
        Listing.objects.all().delete()
        families = [
            user_model(email=f"famiglia{n}@bench.invalid", display_name=f"F{n}")
            for n in range(500)
        ]
        user_model.objects.bulk_create(families, ignore_conflicts=True)
        families = list(user_model.objects.filter(email__endswith="@bench.invalid"))
        ExchangeMember.objects.bulk_create(
            [
                ExchangeMember(
                    user=family,
                    adult_confirmed_at=now,
                    terms_version="bench",
                    terms_accepted_at=now,
                )
                for family in families
            ],
            ignore_conflicts=True,
        )
        listings = []
        for n in range(count):
            thing = rng.choice(LISTING_THINGS)
            published = now - timedelta(minutes=rng.randrange(60 * 24 * 30))
            listings.append(
                Listing(
                    owner=rng.choice(families),
                    kind=rng.choice(["offer"] * 4 + ["request"]),
                    what="good",
                    how=rng.choice(["give", "give", "swap"]),
                    category=rng.choice(Category.values),
                    age_band=rng.choice(FitsAgeBand.values),
                    condition="good",
                    area=rng.choice(areas),
                    title=f"{thing} {rng.choice(LISTING_WORDS)} {n}",
                    description=f"{thing} {rng.choice(LISTING_WORDS)}, da ritirare.",
                    status=rng.choice(["available"] * 8 + ["reserved", "closed"]),
                    published_at=published,
                    expires_at=published + timedelta(days=30),
                )
            )
        Listing.objects.bulk_create(listings, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) exchange_listing")


PROPOSAL_TITLES = [
    "Doposcuola il sabato mattina",
    "Cortili delle scuole aperti d'estate",
    "Una ludoteca in ogni quartiere",
    "Sportello per le famiglie straniere",
    "Pedibus per la scuola primaria",
    "Centro estivo accessibile",
    "Gruppi di mutuo aiuto per genitori",
    "Biblioteca aperta la domenica",
]
MEETING_TITLES = [
    "Tavolo sul doposcuola",
    "Assemblea delle famiglie",
    "Laboratorio di co-progettazione",
    "Incontro sugli spazi per l'estate",
    "Serata sul patto di collaborazione",
]


def generate_participation(proposals: int, meetings: int) -> None:
    """A running process with ``proposals`` proposals of 500 families (some
    answered, supported and commented) and ``meetings`` published meetings, a
    year before to a year after today (ADR 15, 26)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from retefamiglie.network.models import Area
    from retefamiglie.participation.models import (
        Category,
        Meeting,
        Phase,
        Process,
        Proposal,
    )

    if Proposal.objects.count() == proposals and Meeting.objects.count() == meetings:
        print(f"  already {proposals} proposals and {meetings} meetings")
        return
    rng = random.Random(20261204)  # noqa: S311 - synthetic data
    areas = list(Area.objects.all())
    user_model = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic(), timed(f"{proposals} proposals, {meetings} meetings"):
        Process.objects.filter(slug="bench").delete()
        process = Process.objects.create(
            title="Percorso del benchmark",
            slug="bench",
            summary="Il percorso che scrive il patto.",
            support_threshold=50,
        )
        phase = Phase.objects.create(
            process=process,
            title="Proposte",
            starts_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=200),
            proposals_open=True,
            supports_open=True,
            comments_open=True,
            meetings_open=True,
        )
        families = [
            user_model(email=f"famiglia{n}@bench.invalid", display_name=f"F{n}")
            for n in range(500)
        ]
        user_model.objects.bulk_create(families, ignore_conflicts=True)
        families = list(user_model.objects.filter(email__endswith="@bench.invalid"))
        states = ["published"] * 12 + ["evaluating", "accepted", "rejected"]
        rows = []
        for n in range(proposals):
            state = rng.choice(states)
            supports = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 60])
            rows.append(
                Proposal(
                    process=process,
                    phase=phase,
                    author=rng.choice(families),
                    title=f"{rng.choice(PROPOSAL_TITLES)} {n}",
                    body="Proposta generata per il benchmark. " * rng.randint(2, 8),
                    category=rng.choice(Category.values),
                    area=rng.choice([*areas, None]),
                    state=state,
                    answer="Non è possibile quest'anno." if state == "rejected" else "",
                    answered_at=now if state != "published" else None,
                    supports_count=supports,
                    threshold_reached_at=now if supports >= 50 else None,
                    comments_count=rng.choice([0, 0, 1, 2, 4]),
                )
            )
        made = Proposal.objects.bulk_create(rows, batch_size=BATCH)
        for proposal in made:  # created_at is auto_now_add: spread it afterwards
            proposal.created_at = now - timedelta(minutes=rng.randrange(60 * 24 * 200))
        Proposal.objects.bulk_update(made, ["created_at"], batch_size=BATCH)
        Meeting.objects.filter(slug__startswith="bench-").delete()
        meeting_rows = []
        for n in range(meetings):
            starts = (now + timedelta(days=rng.randint(-365, 365))).replace(
                minute=0, second=0, microsecond=0
            )
            meeting_rows.append(
                Meeting(
                    process=process,
                    phase=phase,
                    title=f"{rng.choice(MEETING_TITLES)} {n}",
                    slug=f"bench-{n}",
                    summary="Parliamo di doposcuola e di spazi per l'estate.",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    place="Biblioteca Agorà",
                    address="Piazza dei Servi",
                    area=rng.choice(areas),
                    capacity=rng.choice([None, 20, 40]),
                    childcare_offered=rng.random() < 0.5,
                    status=Meeting.Status.PUBLISHED,
                )
            )
        Meeting.objects.bulk_create(meeting_rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) participation_proposal")
        cursor.execute("VACUUM (ANALYZE) participation_meeting")


def activity(args: argparse.Namespace) -> None:
    """A year of activity for the dashboard: help requests sent over the last
    365 days (most answered, some closed with an outcome) and confirmed bookings
    on the events' past dates; then the dashboard's snapshots (ADR 0018)."""
    from datetime import timedelta

    from django.utils import timezone

    from retefamiglie.directory.models import Booking, EventOccurrence
    from retefamiglie.helprequests.models import HelpKind, HelpRequest, Outcome
    from retefamiglie.monitoring.services import snapshots_compute
    from retefamiglie.network.models import Area

    rng = random.Random(20261203)  # noqa: S311 - synthetic data
    now = timezone.now()
    wanted = max(args.services // 30, 30)
    if HelpRequest.objects.count() < wanted:
        areas = list(Area.objects.all())
        kinds = list(HelpKind.values)
        outcomes = [o for o in Outcome.values if o != Outcome.WITHDRAWN]
        requests = []
        for index in range(wanted):
            sent = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            answered = sent + timedelta(hours=rng.randint(1, 96))
            closed = rng.random() < 0.6 and answered < now
            requests.append(
                HelpRequest(
                    reference=f"BEN-{index:07d}",
                    kinds=rng.sample(kinds, rng.choice([1, 1, 2])),
                    description="Richiesta generata per il benchmark.",
                    children={"6-10": rng.randint(1, 3)},
                    area=rng.choice(areas),
                    contact_method="none",
                    consent_version="bench",
                    consent_at=sent,
                    status="closed" if closed else "accepted",
                    outcome=rng.choice(outcomes) if closed else "",
                    first_answer_at=answered if answered < now else None,
                    closed_at=answered + timedelta(days=7) if closed else None,
                )
            )
        with timed(f"{wanted} help requests"):
            made = HelpRequest.objects.bulk_create(requests, batch_size=BATCH)
            for request in made:  # created_at is auto_now_add: set it afterwards
                request.created_at = request.consent_at
            HelpRequest.objects.bulk_update(made, ["created_at"], batch_size=BATCH)
    if not Booking.objects.exists():
        past = list(
            EventOccurrence.objects.filter(starts_at__lt=now).values_list(
                "event_id", "starts_at"
            )[: wanted * 4]
        )
        with timed(f"{len(past)} bookings"):
            Booking.objects.bulk_create(
                (
                    Booking(
                        event_id=event_id,
                        occurrence=starts,
                        name="Famiglia",
                        email=f"famiglia{index}@example.org",
                        children={"3-5": rng.randint(0, 2), "6-10": rng.randint(0, 2)},
                        status=Booking.Status.CONFIRMED,
                        confirmed_at=starts,
                    )
                    for index, (event_id, starts) in enumerate(past)
                ),
                batch_size=BATCH,
            )
    with timed("dashboard snapshots"):
        snapshots_compute()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    print(f"[generate] {args.database}: {args.services} services, {args.events} events")
    ensure_database(args.database)
    os.environ["BENCH_DATABASE_URL"] = (
        f"postgres://postgres@127.0.0.1:5432/{args.database}"
    )
    import django

    django.setup()
    from django.core.management import call_command

    with timed("migrate"):
        call_command("migrate", "--noinput", verbosity=0)
    generate(args)
    if args.listings:
        generate_listings(args.listings)
    if args.proposals or args.meetings:
        generate_participation(args.proposals, args.meetings)
    activity(args)
    print(f"[generate] {args.database} ready in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

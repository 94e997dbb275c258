"""The catalogue's part of the Lucca demo: places, services, events, a few bookings.

Idempotent: running it again updates the same rows (by slug). Dates are relative
to today, so the demo always has events to come. Everything is marked as demo
data and says so in its description.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from retefamiglie.network.models import Area, Organisation

from .models import (
    Booking,
    Category,
    Event,
    Location,
    OpeningHours,
    Publishable,
    Service,
    ServiceAtLocation,
    Weekday,
)
from .services.events import event_refresh_occurrences
from .taxonomy import ensure_default_categories

DEMO = "[Dati dimostrativi]"

# key: organisation slug, name, address, area slug, latitude, longitude, accessibility
PLACES = {
    "oratorio": (
        "parrocchia-san-concordio",
        "Oratorio di San Concordio",
        "Piazza San Concordio 4",
        "san-concordio",
        "43.832600",
        "10.504300",
        "Ingresso e aule al piano terra, bagno accessibile.",
    ),
    "ludoteca": (
        "genitori-insieme",
        "Centro civico dell'Arancio",
        "Via dell'Arancio 120",
        "arancio",
        "43.838900",
        "10.519600",
        "Sala al piano terra, senza gradini.",
    ),
    "palestra": (
        "ic-lucca-3",
        "Palestra della scuola primaria di San Concordio",
        "Via Vincenzo Consani 30",
        "san-concordio",
        "43.831200",
        "10.506800",
        "Palestra al piano terra con spogliatoi accessibili.",
    ),
    "bucaneve": (
        "bucaneve",
        "Scuola dell'infanzia Bucaneve",
        "Via di Sant'Anna 78",
        "santanna",
        "43.844600",
        "10.486100",
        "Salone al piano terra; passeggini ammessi.",
    ),
    "agora": (
        "biblioteca-agora",
        "Biblioteca civica Agorà – sala ragazzi",
        "Piazza dei Servi 12",
        "centro-storico",
        "43.841700",
        "10.507600",
        "Ascensore per il primo piano; fasciatoio.",
    ),
    "sportello": (
        "comune-di-lucca",
        "Sportello Famiglie del Comune",
        "Via Santa Giustina 6",
        "centro-storico",
        "43.843700",
        "10.501900",
        "Ingresso con rampa da Via Santa Giustina.",
    ),
    "cartoleria": (
        "cartoleria-il-quaderno",
        "Cartoleria Il Quaderno",
        "Viale Carlo Del Prete 80",
        "san-vito",
        "43.852400",
        "10.519300",
        "Negozio a livello strada.",
    ),
}

M, TU, W, TH, F, SA = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
    Weekday.SATURDAY,
)

# slug, organisation, name, summary, description, categories, ages, free, cost,
# languages, how to access, place, [(weekday, opens, closes)]
SERVICES = [
    (
        "doposcuola-san-concordio",
        "parrocchia-san-concordio",
        "Doposcuola all'oratorio di San Concordio",
        "Aiuto nei compiti e merenda per bambini e ragazzi dai 6 ai 13 anni.",
        "Volontari, insegnanti in pensione e studenti universitari seguono i "
        "ragazzi nei compiti, in piccoli gruppi. Merenda offerta.",
        ["sostegno-scolastico"],
        (6, 13),
        True,
        "",
        ["it", "en"],
        "Iscrizione all'oratorio con un genitore, anche durante l'anno.",
        "oratorio",
        [(M, "15:00", "18:00"), (W, "15:00", "18:00"), (F, "15:00", "18:00")],
    ),
    (
        "ludoteca-del-sabato",
        "genitori-insieme",
        "Ludoteca del sabato all'Arancio",
        "Giochi da tavolo, costruzioni e laboratori per bambini dai 3 ai 10 anni.",
        "Uno spazio di gioco libero e guidato, con i genitori che possono restare "
        "e conoscersi. Giochi in prestito per la settimana.",
        ["gioco-tempo-libero", "sostegno-genitorialita"],
        (3, 10),
        True,
        "",
        ["it", "ar"],
        "Senza prenotazione: basta presentarsi con un adulto.",
        "ludoteca",
        [(SA, "15:30", "18:30")],
    ),
    (
        "sport-a-scuola-panathlon",
        "ic-lucca-3",
        "Sport a scuola con il Panathlon",
        "Minivolley, atletica e giochi di squadra nel pomeriggio, dai 6 agli 11 anni.",
        "Con gli istruttori del Panathlon Club Lucca, nella palestra della scuola: "
        "sport per tutti, fair play e nessuna selezione.",
        ["sport-movimento"],
        (6, 11),
        True,
        "",
        ["it"],
        "Modulo di adesione in segreteria o dal proprio insegnante.",
        "palestra",
        [(TU, "16:30", "18:00"), (TH, "16:30", "18:00")],
    ),
    (
        "sportello-famiglie-straniere",
        "comune-di-lucca",
        "Sportello per le famiglie straniere",
        "Informazioni su scuola, salute, servizi e corsi di italiano, in più lingue.",
        "Mediatrici culturali accompagnano le famiglie arrivate da poco: iscrizione "
        "a scuola, pediatra, bonus, corsi di italiano per adulti e bambini.",
        ["famiglie-straniere-italiano", "sostegno-economico"],
        (None, None),
        True,
        "",
        ["it", "en", "ar", "sq"],
        "Su appuntamento o negli orari di apertura; interpreti su richiesta.",
        "sportello",
        [(TU, "09:00", "12:00"), (TH, "14:30", "17:30")],
    ),
    (
        "kit-scolastici-il-quaderno",
        "cartoleria-il-quaderno",
        "Kit scolastici a prezzo ridotto",
        "Quaderni, astuccio e diario per la scuola primaria e media a metà prezzo.",
        "Per le famiglie della rete, un kit completo per l'anno scolastico. "
        "Le famiglie seguite dai servizi sociali lo ricevono gratis.",
        ["sostegno-scolastico", "sostegno-economico"],
        (6, 13),
        False,
        "15 € invece di 30 €; gratuito con segnalazione dei servizi.",
        ["it"],
        "In negozio, dicendo di far parte della rete Lucca In… famiglia.",
        "cartoleria",
        [(M, "09:00", "12:30"), (W, "09:00", "12:30"), (F, "09:00", "12:30")],
    ),
    (
        "centri-estivi-informazioni",
        "comune-di-lucca",
        "Centri estivi: informazioni e iscrizioni",
        "Quali centri estivi ci sono in città, quanto costano, come chiedere aiuto.",
        "L'elenco dei centri estivi convenzionati per bambini e ragazzi dai 3 ai 14 "
        "anni, con le agevolazioni per ISEE e l'aiuto a compilare la domanda.",
        ["gioco-tempo-libero", "servizi-0-6"],
        (3, 14),
        True,
        "",
        ["it", "en"],
        "Allo Sportello Famiglie o per e-mail.",
        "sportello",
        [(M, "09:00", "12:00"), (W, "14:30", "17:00")],
    ),
    (
        "prestito-libri-infanzia",
        "biblioteca-agora",
        "Prestito di libri per l'infanzia",
        "Albi illustrati, libri in più lingue e ad alta leggibilità, da 0 a 14 anni.",
        "La sala ragazzi presta libri ai bambini con la tessera della biblioteca, "
        "gratuita. Anche libri in arabo, albanese, rumeno e inglese.",
        ["cultura-biblioteche"],
        (0, 14),
        True,
        "",
        ["it", "en", "ar", "sq", "ro"],
        "Tessera gratuita con un documento del genitore.",
        "agora",
        [(TU, "14:30", "19:00"), (TH, "14:30", "19:00"), (SA, "09:30", "12:30")],
    ),
]


def _next_weekday(today: dt.date, weekday: int, at_least: int = 1) -> dt.date:
    day = today + dt.timedelta(days=at_least)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _events(today: dt.date) -> list[dict]:
    """Demo events, dated from ``today``."""
    talk_day = _next_weekday(today, TH, at_least=30)
    readings_day = _next_weekday(today, SA)
    info_day = _next_weekday(today, TU, at_least=20)
    party_day = _next_weekday(today, SA, at_least=40)
    return [
        {
            "slug": "giocare-con-i-figli-incontro-bucaneve",
            "organisation": "bucaneve",
            "name": "Giocare con i figli: incontro per genitori",
            "summary": "Una pedagogista parla del gioco tra genitori e bambini.",
            "description": "Perché il gioco conta, come giocare anche quando si ha "
            "poco tempo, quali giochi per quale età. Spazio bimbi con le maestre "
            "durante l'incontro.",
            "categories": ["sostegno-genitorialita", "servizi-0-6"],
            "ages": (0, 6),
            "languages": ["it"],
            "place": "bucaneve",
            "day": talk_day,
            "times": ("17:30", "19:00"),
            "rrule": "",
            "capacity": 30,
            "booking_enabled": True,
        },
        {
            "slug": "letture-ad-alta-voce-agora",
            "organisation": "biblioteca-agora",
            "name": "Letture ad alta voce del sabato",
            "summary": "Storie lette dai volontari Nati per Leggere, dai 3 ai 6 anni.",
            "description": "Ogni sabato mattina per otto settimane, mezz'ora di "
            "storie e un piccolo laboratorio. I bambini vengono con un adulto.",
            "categories": ["cultura-biblioteche", "servizi-0-6"],
            "ages": (3, 6),
            "languages": ["it", "en"],
            "place": "agora",
            "day": readings_day,
            "times": ("10:30", "11:30"),
            "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=8",
            "capacity": 15,
            "booking_enabled": True,
        },
        {
            "slug": "serata-centri-estivi",
            "organisation": "comune-di-lucca",
            "name": "Serata informativa sui centri estivi",
            "summary": "Le proposte dell'estate, i costi e le agevolazioni.",
            "description": "Gli uffici del Comune e i gestori dei centri estivi "
            "presentano le proposte e rispondono alle domande delle famiglie.",
            "categories": ["gioco-tempo-libero"],
            "ages": (3, 14),
            "languages": ["it", "en"],
            "place": "sportello",
            "day": info_day,
            "times": ("18:00", "19:30"),
            "rrule": "",
            "capacity": None,
            "booking_enabled": False,
        },
        {
            "slug": "festa-dello-sport-panathlon",
            "organisation": "panathlon-lucca",
            "name": "Festa dello sport e del fair play",
            "summary": "Un pomeriggio per provare dieci sport, dai 6 agli 11 anni.",
            "description": "Le società sportive della città fanno provare i loro "
            "sport; premiazione del fair play delle scuole.",
            "categories": ["sport-movimento"],
            "ages": (6, 11),
            "languages": ["it"],
            "place": "palestra",
            "day": party_day,
            "times": ("15:00", "18:30"),
            "rrule": "",
            "capacity": None,
            "booking_enabled": False,
        },
    ]


# event slug, name, e-mail, adults, children by band, childcare, interpreter
BOOKINGS = [
    (
        "giocare-con-i-figli-incontro-bucaneve",
        "Giulia R.",
        "giulia.r",
        2,
        {"0-2": 1, "3-5": 1},
        True,
        "",
    ),
    (
        "giocare-con-i-figli-incontro-bucaneve",
        "Amina B.",
        "amina.b",
        1,
        {"3-5": 2},
        True,
        "ar",
    ),
    ("giocare-con-i-figli-incontro-bucaneve", "Luca M.", "luca.m", 1, {}, False, ""),
    ("letture-ad-alta-voce-agora", "Sara T.", "sara.t", 1, {"3-5": 1}, False, ""),
    ("letture-ad-alta-voce-agora", "Ermal K.", "ermal.k", 1, {"3-5": 1}, False, "sq"),
]


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _places(organisations: dict[str, Organisation]) -> dict[str, Location]:
    areas = {area.slug: area for area in Area.objects.all()}
    places = {}
    for key, (org, name, address, area, lat, lon, access) in PLACES.items():
        places[key], _created = Location.objects.update_or_create(
            organisation=organisations[org],
            name=name,
            defaults={
                "address": address,
                "postal_code": "55100",
                "city": "Lucca",
                "area": areas.get(area),
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "accessibility": access,
            },
        )
    return places


def _seed_services(organisations, categories, places) -> None:
    for (
        slug,
        org,
        name,
        summary,
        description,
        category_slugs,
        (age_min, age_max),
        is_free,
        cost,
        languages,
        how_to_access,
        place,
        hours,
    ) in SERVICES:
        organisation = organisations[org]
        service, _created = Service.objects.update_or_create(
            slug=slug,
            defaults={
                "organisation": organisation,
                "name": name,
                "summary": summary,
                "description": f"{description} {DEMO}",
                "age_min": age_min,
                "age_max": age_max,
                "is_free": is_free,
                "cost_description": cost,
                "languages": languages,
                "how_to_access": how_to_access,
                "email": organisation.email,
                "status": Publishable.Status.PUBLISHED,
                "is_demo": True,
            },
        )
        service.categories.set([categories[c] for c in category_slugs])
        at, _created = ServiceAtLocation.objects.get_or_create(
            service=service, location=places[place]
        )
        at.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(
                service_at_location=at,
                weekday=weekday,
                opens_at=_time(opens),
                closes_at=_time(closes),
            )
            for weekday, opens, closes in hours
        )


def _seed_events(organisations, categories, places) -> dict[str, Event]:
    events = {}
    tz = timezone.get_current_timezone()
    for data in _events(timezone.localdate()):
        organisation = organisations[data["organisation"]]
        opens, closes = data["times"]
        event, _created = Event.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "organisation": organisation,
                "name": data["name"],
                "summary": data["summary"],
                "description": f"{data['description']} {DEMO}",
                "age_min": data["ages"][0],
                "age_max": data["ages"][1],
                "is_free": True,
                "languages": data["languages"],
                "email": organisation.email,
                "location": places[data["place"]],
                "starts_at": dt.datetime.combine(data["day"], _time(opens), tz),
                "ends_at": dt.datetime.combine(data["day"], _time(closes), tz),
                "rrule": data["rrule"],
                "capacity": data["capacity"],
                "booking_enabled": data["booking_enabled"],
                "status": Publishable.Status.PUBLISHED,
                "is_demo": True,
            },
        )
        event.categories.set([categories[c] for c in data["categories"]])
        event_refresh_occurrences(event=event)
        events[event.slug] = event
    return events


def _seed_bookings(events: dict[str, Event]) -> None:
    now = timezone.now()
    for slug, name, email, adults, children, childcare, interpreter in BOOKINGS:
        event = events[slug]
        Booking.objects.update_or_create(
            event=event,
            email=f"{email}@demo.retefamiglie.it",
            defaults={
                "occurrence": event.starts_at,
                "name": name,
                "adults": adults,
                "children": children,
                "needs_childcare": childcare,
                "interpreter_language": interpreter,
                "status": Booking.Status.CONFIRMED,
                "confirmed_at": now,
            },
        )


def seed(write) -> None:
    ensure_default_categories(Category)
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in={org for org, *_rest in PLACES.values()} | {"panathlon-lucca"}
        )
    }
    categories = {c.slug: c for c in Category.objects.all()}
    places = _places(organisations)
    _seed_services(organisations, categories, places)
    events = _seed_events(organisations, categories, places)
    _seed_bookings(events)
    write(
        f"Catalogue: {len(SERVICES)} services, {len(events)} events, "
        f"{len(PLACES)} places (demo)."
    )

"""Demo data of the exchange (seed_demo): listings photos drawn by code."""

from datetime import timedelta
from io import BytesIO

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw

from retefamiglie.core.vocabularies import FitsAgeBand
from retefamiglie.moderation import services as moderation
from retefamiglie.moderation.models import Reason
from retefamiglie.network.demo import DEMO_PASSWORD
from retefamiglie.network.models import Area

from . import services
from .models import Category, Listing

FAMILIES = [
    ("giulia@example.org", "Giulia"),
    ("marco@example.org", "Marco"),
    ("sara@example.org", "Sara"),
    ("ahmed@example.org", "Ahmed"),
    ("elena@example.org", "Elena"),
    ("li@example.org", "Li"),
]
COLOURS = [(46, 125, 50), (21, 101, 192), (198, 40, 40), (239, 108, 0), (106, 27, 154)]

# title, category, age band, how, what, size, description
LISTINGS = [
    (
        "Passeggino leggero pieghevole",
        Category.BABY_GEAR,
        FitsAgeBand.UNDER_1,
        "give",
        "good",
        "",
        "Usato per un anno, si chiude con una mano. Ruote in buono stato.",
    ),
    (
        "Seggiolino auto gruppo 0+",
        Category.CAR_SEATS,
        FitsAgeBand.UNDER_1,
        "give",
        "good",
        "",
        "Omologato R44/04, mai incidentato, con istruzioni.",
    ),
    (
        "Lettino da campeggio",
        Category.FURNITURE,
        FitsAgeBand.FROM_1_TO_3,
        "lend",
        "good",
        "",
        "Per le vacanze: lo presto volentieri, con materasso.",
    ),
    (
        "Body a maniche lunghe (5 pezzi)",
        Category.CLOTHES,
        FitsAgeBand.UNDER_1,
        "give",
        "good",
        "68 cm",
        "Cotone, lavati e piegati.",
    ),
    (
        "Scarpe da ginnastica",
        Category.SHOES,
        FitsAgeBand.FROM_3_TO_6,
        "give",
        "good",
        "27",
        "Usate una stagione.",
    ),
    (
        "Giacca invernale",
        Category.CLOTHES,
        FitsAgeBand.FROM_6_TO_11,
        "swap",
        "good",
        "8 anni",
        "Scambio con una taglia 10 anni.",
    ),
    (
        "Costruzioni in legno",
        Category.TOYS,
        FitsAgeBand.FROM_1_TO_3,
        "give",
        "good",
        "",
        "Una scatola completa di blocchi colorati.",
    ),
    (
        "Libri illustrati per la nanna",
        Category.BOOKS,
        FitsAgeBand.FROM_1_TO_3,
        "give",
        "good",
        "",
        "Sei albi illustrati in italiano.",
    ),
    (
        "Zaino per la scuola primaria",
        Category.SCHOOL,
        FitsAgeBand.FROM_6_TO_11,
        "give",
        "good",
        "",
        "Con schienale imbottito.",
    ),
    (
        "Bicicletta con rotelle",
        Category.SPORT,
        FitsAgeBand.FROM_3_TO_6,
        "give",
        "good",
        "14 pollici",
        "Freni controllati.",
    ),
    (
        "Seggiolone pieghevole",
        Category.FURNITURE,
        FitsAgeBand.UNDER_1,
        "lend",
        "good",
        "",
        "Conforme EN 14988, lo presto per qualche mese.",
    ),
    (
        "Dizionario di inglese",
        Category.BOOKS,
        FitsAgeBand.FROM_11_TO_14,
        "give",
        "good",
        "",
        "Edizione recente.",
    ),
    (
        "Aiuto compiti di matematica",
        Category.SERVICES,
        FitsAgeBand.FROM_11_TO_14,
        "swap",
        "service",
        "",
        "Un'ora a settimana, in cambio di conversazione in inglese.",
    ),
    (
        "Passaggio per la scuola",
        Category.SERVICES,
        FitsAgeBand.FROM_6_TO_11,
        "swap",
        "service",
        "",
        "Accompagno a scuola al mattino, a turno.",
    ),
    (
        "Biglietti per il teatro dei burattini",
        Category.EXPERIENCES,
        FitsAgeBand.FROM_3_TO_6,
        "give",
        "experience",
        "",
        "Due biglietti per domenica pomeriggio.",
    ),
    (
        "Scambio babysitting il sabato",
        Category.SERVICES,
        FitsAgeBand.FROM_3_TO_6,
        "swap",
        "service",
        "",
        "Ci alterniamo un sabato ciascuno.",
    ),
    (
        "Fasciatoio con cassettiera",
        Category.FURNITURE,
        FitsAgeBand.UNDER_1,
        "give",
        "good",
        "",
        "Da ritirare, pesante.",
    ),
    (
        "Tutine di pile",
        Category.CLOTHES,
        FitsAgeBand.UNDER_1,
        "give",
        "good",
        "74 cm",
        "Tre tutine calde.",
    ),
    (
        "Stivali da pioggia",
        Category.SHOES,
        FitsAgeBand.FROM_1_TO_3,
        "give",
        "good",
        "23",
        "Come nuovi.",
    ),
    (
        "Puzzle 100 pezzi",
        Category.TOYS,
        FitsAgeBand.FROM_6_TO_11,
        "give",
        "good",
        "",
        "Completo, controllato.",
    ),
    (
        "Gita al parco fluviale",
        Category.EXPERIENCES,
        FitsAgeBand.FROM_6_TO_11,
        "give",
        "experience",
        "",
        "Posto libero in auto per la gita di gruppo.",
    ),
    (
        "Marsupio ergonomico",
        Category.BABY_GEAR,
        FitsAgeBand.UNDER_1,
        "lend",
        "good",
        "",
        "Lo presto per provarlo prima di comprarne uno.",
    ),
    (
        "Astucci e quaderni",
        Category.SCHOOL,
        FitsAgeBand.FROM_6_TO_11,
        "give",
        "good",
        "",
        "Nuovi, avanzati dall'anno scorso.",
    ),
    (
        "Pattini in linea regolabili",
        Category.SPORT,
        FitsAgeBand.FROM_6_TO_11,
        "give",
        "good",
        "30-33",
        "Con protezioni.",
    ),
    (
        "Romanzi per ragazzi",
        Category.BOOKS,
        FitsAgeBand.OVER_14,
        "give",
        "good",
        "",
        "Una decina di romanzi.",
    ),
    (
        "Cerco seggiolino bici",
        Category.BABY_GEAR,
        FitsAgeBand.FROM_1_TO_3,
        "give",
        "good",
        "",
        "Per portare il piccolo al nido.",
    ),
    (
        "Cerco vestiti taglia 4 anni",
        Category.CLOTHES,
        FitsAgeBand.FROM_3_TO_6,
        "give",
        "good",
        "4 anni",
        "Qualsiasi cosa, grazie.",
    ),
    (
        "Tenda da gioco",
        Category.TOYS,
        FitsAgeBand.FROM_3_TO_6,
        "give",
        "good",
        "",
        "Si monta in un minuto.",
    ),
    (
        "Lezioni di chitarra",
        Category.SERVICES,
        FitsAgeBand.FROM_11_TO_14,
        "swap",
        "service",
        "",
        "In cambio di ripetizioni di latino.",
    ),
    (
        "Vaschetta per il bagnetto",
        Category.BABY_GEAR,
        FitsAgeBand.UNDER_1,
        "give",
        "good",
        "",
        "Con supporto.",
    ),
]


def demo_photo(colour: tuple[int, int, int], label: int) -> BytesIO:
    """A simple drawing of a box (no people), with EXIF as a phone would add."""
    image = Image.new("RGB", (1200, 900), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((250, 200, 950, 700), radius=60, fill=colour)
    draw.ellipse((330, 620, 470, 760), fill=(40, 40, 40))
    draw.ellipse((730, 620, 870, 760), fill=(40, 40, 40))
    draw.text((560, 420), str(label), fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x0110] = "Demo"
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    buffer.seek(0)
    return buffer


def _families() -> list:
    user_model = get_user_model()
    people = []
    for email, name in FAMILIES:
        person, created = user_model.objects.get_or_create(
            email=email, defaults={"display_name": name}
        )
        if created:
            person.set_password(DEMO_PASSWORD)
            person.save()
        EmailAddress.objects.get_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
        services.member_join(user=person, adult=True, accept_terms=True)
        people.append(person)
    return people


def seed(write) -> None:
    if Listing.objects.exists():
        write("exchange: already seeded")
        return
    areas = list(Area.objects.order_by("name"))
    if not areas:
        write("exchange: no areas, skipped")
        return
    people = _families()
    listings = []
    now = timezone.now()
    for index, (title, category, band, how, what, size, text) in enumerate(LISTINGS):
        owner = people[index % len(people)]
        kind = Listing.Kind.REQUEST if title.startswith("Cerco") else Listing.Kind.OFFER
        photos = []
        if what == "good" and kind == Listing.Kind.OFFER and index % 3 != 2:
            photos = [(demo_photo(COLOURS[index % len(COLOURS)], index + 1), title)]
        listing = services.listing_create(
            actor=owner,
            kind=kind,
            what=what,
            how=how,
            category=category,
            age_band=band,
            area=areas[index % len(areas)],
            title=title,
            description=text,
            size=size,
            condition=Listing.Condition.GOOD if what == "good" else "",
            return_by=(now + timedelta(days=20)).date() if how == "lend" else None,
            photos=photos,
        )
        # Spread publication over the past days; the simmer period is over.
        Listing.objects.filter(pk=listing.pk).update(
            published_at=now - timedelta(days=index % 20, hours=6),
            expires_at=now + timedelta(days=30 - index % 20),
        )
        listing.refresh_from_db()
        listings.append(listing)

    _exchanges(listings, people)
    write(f"exchange: {len(listings)} listings; families (password {DEMO_PASSWORD}):")
    for email, name in FAMILIES:
        write(f"  {name:<22} {email}")


def _exchanges(listings: list[Listing], people: list) -> None:
    def exchange(listing: Listing, receiver, *, confirm: bool, thanks: str = ""):
        interest = services.interest_create(
            actor=receiver, listing=listing, message="Mi interessa, grazie!"
        )
        handover = services.interest_choose(actor=listing.owner, interest=interest)
        if confirm:
            services.handover_confirm(actor=listing.owner, handover=handover)
            handover = services.handover_confirm(actor=receiver, handover=handover)
        if thanks:
            services.gratitude_create(actor=receiver, handover=handover, text=thanks)
        return handover

    def other(listing: Listing, shift: int = 1):
        return people[(people.index(listing.owner) + shift) % len(people)]

    # Closed with a thank-you, reserved, lent.
    for listing in listings[3:8]:
        exchange(
            listing,
            other(listing),
            confirm=True,
            thanks="Grazie di cuore, è perfetto per noi!",
        )
    exchange(listings[0], other(listings[0]), confirm=False)
    exchange(listings[8], other(listings[8]), confirm=False)
    exchange(listings[2], other(listings[2]), confirm=True)
    exchange(listings[10], other(listings[10]), confirm=True)
    # Families waiting on the car seat, and two conversations.
    services.interest_create(actor=other(listings[1], 2), listing=listings[1])
    services.interest_create(actor=other(listings[1], 3), listing=listings[1])
    services.conversation_start(
        actor=other(listings[0]),
        listing=listings[0],
        body="Ciao! Posso passare a prenderlo sabato mattina in centro?",
    )
    services.conversation_start(
        actor=other(listings[9], 2),
        listing=listings[9],
        body="Buongiorno, la bicicletta è ancora disponibile?",
    )
    # One flagged listing waiting in the moderation queue.
    moderation.flag_create(
        actor=other(listings[14]),
        target=listings[14],
        reason=Reason.SCAM,
        note="Mi ha chiesto dei soldi in privato.",
    )

"""The help requests' part of the Lucca demo: what members offer, two requests."""

from django.conf import settings
from django.utils import timezone

from retefamiglie.core.vocabularies import Language
from retefamiglie.network.models import Area, Organisation

from .models import Activity, HelpKind, HelpOffer, HelpRequest, Referral
from .services import TEXT_REFERRED, TEXT_SUBMITTED
from .tokens import make_token

OFFERS = {
    "parrocchia-san-concordio": (
        [HelpKind.SCHOOL, HelpKind.MONEY, HelpKind.FREE_TIME],
        ["san-concordio", "arancio"],
        [Language.ITALIAN, Language.ENGLISH],
    ),
    "genitori-insieme": (
        [HelpKind.PARENTING, HelpKind.CHILDCARE, HelpKind.DISABILITY],
        ["arancio", "san-vito", "centro-storico"],
        [Language.ITALIAN, Language.ARABIC],
    ),
    "panathlon-lucca": (
        [HelpKind.FREE_TIME],
        [],
        [Language.ITALIAN, Language.ENGLISH],
    ),
    "biblioteca-agora": (
        [HelpKind.SCHOOL, HelpKind.LANGUAGE],
        ["centro-storico"],
        [Language.ITALIAN, Language.ENGLISH, Language.FRENCH],
    ),
    "comune-di-lucca": (
        [HelpKind.MONEY, HelpKind.HOUSING, HelpKind.DISABILITY, HelpKind.LANGUAGE],
        [],
        [Language.ITALIAN],
    ),
}

REQUESTS = [
    (
        "DEM-0001",
        [HelpKind.SCHOOL],
        "[Dati dimostrativi] Nostra figlia di 9 anni fa fatica con i compiti e noi "
        "lavoriamo fino a tardi. Cerchiamo un doposcuola vicino a San Concordio.",
        {"6-10": 1},
        "san-concordio",
        None,
    ),
    (
        "DEM-0002",
        [HelpKind.PARENTING, HelpKind.LANGUAGE],
        "[Dati dimostrativi] Siamo arrivati da poco a Lucca, abbiamo due bambini "
        "piccoli e non conosciamo nessuno. Vorremmo parlare con altri genitori.",
        {"0-2": 1, "3-5": 1},
        "arancio",
        "genitori-insieme",
    ),
]


def seed(write) -> None:
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=OFFERS)}
    areas = {a.slug: a for a in Area.objects.all()}
    for slug, (kinds, area_slugs, languages) in OFFERS.items():
        offer, _created = HelpOffer.objects.update_or_create(
            organisation=organisations[slug],
            defaults={"kinds": list(kinds), "languages": list(languages)},
        )
        offer.areas.set([areas[a] for a in area_slugs])
    for reference, kinds, text, children, area, referred_to in REQUESTS:
        help_request, created = HelpRequest.objects.get_or_create(
            reference=reference,
            defaults={
                "kinds": list(kinds),
                "description": text,
                "children": children,
                "area": areas[area],
                "contact_method": "none",
                "urgency": "normal",
                "consent_version": settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"],
                "consent_at": timezone.now(),
            },
        )
        if created:
            Activity.objects.create(
                request=help_request,
                kind=Activity.Kind.SUBMITTED,
                public_text=TEXT_SUBMITTED,
                visible_to_family=True,
            )
            if referred_to:
                Referral.objects.create(
                    request=help_request, organisation=organisations[referred_to]
                )
                Activity.objects.create(
                    request=help_request,
                    kind=Activity.Kind.REFERRED,
                    organisation=organisations[referred_to],
                    public_text=TEXT_REFERRED,
                    visible_to_family=True,
                )
                help_request.status = HelpRequest.Status.REFERRED
                help_request.save(update_fields=["status"])
        write(
            f"Demo help request {reference}: "
            f"{settings.SITE_URL}/aiuto/stato/{make_token(help_request.public_id)}/"
        )

"""The open-data catalogue: which datasets the network publishes, and their
metadata in DCAT-AP_IT (the Italian profile of DCAT-AP used by dati.gov.it).

Datasets come from this app (events, indicators) and from the apps to its right,
which declare ``open_datasets`` on their AppConfig: the dotted path of a
callable returning a list of ``Dataset`` (``api``: the HSDS export; ``pacts``:
the pact), read here as navigation is (ADR 3, ADR 0019).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from retefamiglie.directory.models import Event

from . import selectors
from .indicators import all_indicators
from .periods import Period, PeriodKind

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"

THEME_LABELS = {
    "SOCI": "Popolazione e società",
    "GOVE": "Governo e settore pubblico",
    "EDUC": "Istruzione, cultura e sport",
}


@dataclass(frozen=True)
class Distribution:
    """One file of a dataset: ``path`` is the site's path (no host)."""

    title: str | Promise
    path: str
    media_type: str
    file_type: str  # EU file-type code: CSV, JSON, ICS, …
    description: str | Promise = ""


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str | Promise
    description: str | Promise
    distributions: list[Distribution]
    modified: Callable[[], datetime | None]
    records: Callable[[], int | None] = lambda: None
    themes: tuple[str, ...] = ("SOCI",)
    keywords: tuple[str, ...] = ()
    frequency: str = "CONT"  # EU frequency code: CONT (updated continuously)
    order: int = 100
    notes: list[str | Promise] = field(default_factory=list)


def _events_modified() -> datetime | None:
    return Event.objects.filter(status=Event.Status.PUBLISHED).aggregate(
        last=Max("updated_at")
    )["last"]


def _events_count() -> int:
    return Event.objects.filter(status=Event.Status.PUBLISHED).count()


def indicator_csv_path(key: str, period: Period) -> str:
    return reverse(
        "monitoring:indicator_csv", kwargs={"key": key, "period": period.key}
    )


def _indicator_distributions() -> list[Distribution]:
    today = timezone.localdate()
    found = []
    for indicator in all_indicators():
        for kind in (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH):
            period = Period.containing(kind, today)
            found.append(
                Distribution(
                    title=f"{indicator.title} – {period.label}",
                    path=indicator_csv_path(indicator.key, period),
                    media_type="text/csv",
                    file_type="CSV",
                    description=indicator.definition,
                )
            )
    return found


def own_datasets() -> list[Dataset]:
    return [
        Dataset(
            key="eventi",
            title=_("Events and activities for families"),
            description=_(
                "Published events of the network's members: when, where, for which "
                "ages, at what cost, and the rule of recurring events."
            ),
            distributions=[
                Distribution(
                    _("iCalendar feed"),
                    reverse("directory:event_feed"),
                    "text/calendar",
                    "ICS",
                    _("Every coming event, for calendar applications (RFC 5545)."),
                ),
                Distribution(
                    _("CSV table"),
                    reverse("monitoring:events_csv"),
                    "text/csv",
                    "CSV",
                    _("One row per published event."),
                ),
            ],
            modified=_events_modified,
            records=_events_count,
            themes=("SOCI", "EDUC"),
            keywords=("eventi", "famiglie", "bambini"),
            order=20,
        ),
        Dataset(
            key="indicatori",
            title=_("Impact indicators of the network"),
            description=_(
                "The figures of the public dashboard, per indicator and period "
                "(month, quarter, year), by area and breakdown. Figures about "
                "people below the privacy threshold are withheld."
            ),
            distributions=_indicator_distributions(),
            modified=selectors.latest_computation,
            themes=("SOCI", "GOVE"),
            keywords=("indicatori", "monitoraggio", "povertà educativa"),
            frequency="DAILY",
            order=40,
            notes=[
                _(
                    "Any computed period: /dati/indicatori/<indicator>/<period>.csv, "
                    "with periods written 2026-11 (month), 2026-Q4 (quarter) or "
                    "2026 (year)."
                )
            ],
        ),
    ]


def all_datasets() -> list[Dataset]:
    """Every dataset published, this app's and the contributed ones, in order."""
    found = own_datasets()
    for config in apps.get_app_configs():
        path = getattr(config, "open_datasets", None)
        if path:
            found.extend(import_string(path)())
    return sorted(found, key=lambda d: (d.order, d.key))


# ------------------------------------------------------------------------------
# DCAT-AP_IT
# ------------------------------------------------------------------------------


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _text(
    graph: Graph, subject: URIRef | BNode, predicate: URIRef, value: object
) -> None:
    graph.add((subject, predicate, Literal(str(value), lang=_language())))


def _typed(graph: Graph, subject: URIRef | BNode, *classes: URIRef) -> None:
    for klass in classes:
        graph.add((subject, RDF.type, klass))


def _date(moment: datetime | None) -> Literal:
    day = timezone.localtime(moment).date() if moment else timezone.localdate()
    return Literal(day.isoformat(), datatype=XSD.date)


def _publisher(graph: Graph, root: str) -> URIRef:
    network = settings.RETEFAMIGLIE
    agent = URIRef(f"{root}/dati/#titolare")
    _typed(graph, agent, DCATAPIT.Agent, FOAF.Agent)
    graph.add((agent, DCTERMS.identifier, Literal(settings.OPEN_DATA_PUBLISHER_IPA)))
    _text(graph, agent, FOAF.name, network["OWNER_NAME"])
    return agent


def _contact(graph: Graph, root: str) -> URIRef:
    network = settings.RETEFAMIGLIE
    contact = URIRef(f"{root}/dati/#contatto")
    _typed(graph, contact, DCATAPIT.Organization, VCARD.Organization, VCARD.Kind)
    _text(graph, contact, VCARD.fn, network["NETWORK_NAME"])
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{network['CONTACT_EMAIL']}")))
    return contact


def _licence(graph: Graph) -> URIRef:
    licence = URIRef(LICENCE_URL)
    _typed(graph, licence, DCATAPIT.LicenseDocument, DCTERMS.LicenseDocument)
    graph.add(
        (licence, DCTERMS.type, URIRef("http://purl.org/adms/licencetype/Attribution"))
    )
    _text(graph, licence, FOAF.name, LICENCE_NAME)
    graph.add((licence, DCATAPIT.licenseVersion, Literal("4.0")))
    return licence


def _vocabulary(graph: Graph, term: URIRef, klass: URIRef, label: str) -> URIRef:
    _typed(graph, term, klass)
    graph.add((term, SKOS.prefLabel, Literal(label, lang="it")))
    return term


def _dataset(graph: Graph, root: str, dataset: Dataset, parts: dict) -> URIRef:
    node = URIRef(f"{root}/dati/#{dataset.key}")
    _typed(graph, node, DCATAPIT.Dataset, DCAT.Dataset)
    graph.add(
        (
            node,
            DCTERMS.identifier,
            Literal(f"{settings.OPEN_DATA_PUBLISHER_IPA}:{dataset.key}"),
        )
    )
    _text(graph, node, DCTERMS.title, dataset.title)
    _text(graph, node, DCTERMS.description, dataset.description)
    graph.add((node, DCTERMS.modified, _date(dataset.modified())))
    graph.add((node, DCTERMS.publisher, parts["publisher"]))
    graph.add((node, DCTERMS.rightsHolder, parts["publisher"]))
    graph.add((node, DCAT.contactPoint, parts["contact"]))
    frequency = EU_FREQUENCY[dataset.frequency]
    _vocabulary(graph, frequency, DCTERMS.Frequency, dataset.frequency)
    graph.add((node, DCTERMS.accrualPeriodicity, frequency))
    graph.add((node, DCTERMS.language, EU_LANGUAGE.ITA))
    landing = URIRef(f"{root}{reverse('monitoring:catalogue')}#{dataset.key}")
    _typed(graph, landing, FOAF.Document)
    graph.add((node, DCAT.landingPage, landing))
    for code in dataset.themes:
        theme = _vocabulary(
            graph, EU_THEME[code], SKOS.Concept, THEME_LABELS.get(code, code)
        )
        graph.add((node, DCAT.theme, theme))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="it")))
    for index, item in enumerate(dataset.distributions):
        graph.add(
            (
                node,
                DCAT.distribution,
                _distribution(graph, root, node, index, item, parts),
            )
        )
    return node


def _distribution(
    graph: Graph,
    root: str,
    dataset: URIRef,
    index: int,
    item: Distribution,
    parts: dict,
) -> URIRef:
    node = URIRef(f"{dataset}-{index + 1}")
    _typed(graph, node, DCATAPIT.Distribution, DCAT.Distribution)
    _text(graph, node, DCTERMS.title, item.title)
    if item.description:
        _text(graph, node, DCTERMS.description, item.description)
    url = URIRef(f"{root}{item.path}")
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    file_type = EU_FILE_TYPE[item.file_type]
    _typed(graph, file_type, DCTERMS.MediaTypeOrExtent)
    graph.add((node, DCTERMS.format, file_type))
    media = URIRef(f"https://www.iana.org/assignments/media-types/{item.media_type}")
    _typed(graph, media, DCTERMS.MediaTypeOrExtent)
    graph.add((node, DCAT.mediaType, media))
    graph.add((node, DCTERMS.license, parts["licence"]))
    return node


def dcat_graph(*, root: str) -> Graph:
    """The catalogue as an RDF graph; ``root`` is the site's address, no slash."""
    network = settings.RETEFAMIGLIE
    graph = Graph()
    graph.bind("dcatapit", DCATAPIT)
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    catalog = URIRef(f"{root}/dati/catalogo")
    _typed(graph, catalog, DCATAPIT.Catalog, DCAT.Catalog)
    _text(
        graph,
        catalog,
        DCTERMS.title,
        _("Open data of %(network)s") % {"network": network["NETWORK_NAME"]},
    )
    _text(
        graph,
        catalog,
        DCTERMS.description,
        _(
            "Services, events, the collaboration pact and the impact indicators "
            "of the family-support network, under the CC BY 4.0 licence."
        ),
    )
    parts = {
        "publisher": _publisher(graph, root),
        "contact": _contact(graph, root),
        "licence": _licence(graph),
    }
    graph.add((catalog, DCTERMS.publisher, parts["publisher"]))
    homepage = URIRef(f"{root}{reverse('monitoring:catalogue')}")
    _typed(graph, homepage, FOAF.Document)
    graph.add((catalog, FOAF.homepage, homepage))
    graph.add((catalog, DCTERMS.language, EU_LANGUAGE.ITA))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(str(EU_THEME).rstrip("/"))))
    latest = None
    for dataset in all_datasets():
        node = _dataset(graph, root, dataset, parts)
        graph.add((catalog, DCAT.dataset, node))
        modified = dataset.modified()
        if modified and (latest is None or modified > latest):
            latest = modified
    graph.add((catalog, DCTERMS.modified, _date(latest)))
    return graph

"""Free-text search over services and events.

On PostgreSQL: full-text search with the ``italian`` configuration and web
search syntax ("quoted phrases", -excluded words, or), accent-insensitive
through ``unaccent``, ranked, and tolerant of typos in names through trigram
similarity. It queries the stored ``search_document`` (name, summary, category
names, description), which triggers keep up to date and a GIN index serves, and
matches typos with ``%>`` on ``immutable_unaccent(name)``, which a trigram GIN
index serves (migration 0005) — only when the words as typed find less than a
page of results (ADR 10). Elsewhere (SQLite, the embedded default): every
word must appear, ignoring case and accents, in the name, summary, description
or a category name; matches in the name rank first.
"""

import re
from typing import Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from retefamiglie.core.search import accent_pattern, strip_accents, words_of

# A name this similar to the query matches even if the words are misspelt.
TYPO_SIMILARITY = 0.5
# Misspelt names are looked for only when the words as typed match fewer
# listings than this (a page of results): a search spelt right is answered from
# the full-text index alone, which stays fast however large the catalogue.
TYPO_FALLBACK_BELOW = 20
# Web search syntax a typo-tolerant match would undo (phrases, exclusions, or).
OPERATORS = re.compile(r"[\"-]|\bor\b", re.IGNORECASE)


def search(queryset: QuerySet, q: str) -> QuerySet:
    """Services or events of ``queryset`` matching ``q``, best match first."""
    if connection.vendor == "postgresql":
        return _search_postgres(queryset, q)
    return _search_portable(queryset, q)


def _unaccented_name() -> Func:
    """The name through ``immutable_unaccent``, as the trigram GIN index has it."""
    return Func(F("name"), function="immutable_unaccent", output_field=TextField())


def set_typo_threshold(sender, connection, **kwargs) -> None:
    """Make ``%>`` (which the trigram index serves) mean similarity >= TYPO_SIMILARITY.

    Connected to ``connection_created``; pg_trgm's own default is 0.6.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(TYPO_SIMILARITY)],
            )


def _search_postgres(queryset: QuerySet, q: str) -> QuerySet:
    """Search the stored, GIN-indexed ``search_document`` (migration 0005)."""
    plain = strip_accents(q)
    query = SearchQuery(plain, search_type="websearch", config="italian")
    queryset = queryset.annotate(
        search_rank=SearchRank(F("search_document"), query),
    )
    matches = Q(search_document=query)
    # A name close to every (non-trivial) word matches despite typos; not with
    # web search operators, whose exclusions a loose match would undo, and not
    # when the words as typed already fill a page.
    typo_words = [word for word in words_of(q) if len(word) >= 3]
    similarity: Any = Value(0.0)
    if (
        typo_words
        and not OPERATORS.search(q)
        and not _at_least(queryset.filter(matches), TYPO_FALLBACK_BELOW)
    ):
        queryset = queryset.alias(search_name=_unaccented_name())
        each_close = Q()
        for word in typo_words:
            # name %> word: word_similarity(word, name) >= the threshold,
            # TYPO_SIMILARITY (set_typo_threshold), served by the trigram index.
            each_close &= Q(search_name__trigram_word_similar=word)
            similarity = similarity + TrigramWordSimilarity(
                Value(word),  # type: ignore[arg-type]
                _unaccented_name(),
            )
        matches |= each_close
        similarity = similarity / len(typo_words)
    queryset = queryset.annotate(search_similarity=similarity)
    return (
        queryset.filter(matches)
        .annotate(
            search_score=Coalesce(F("search_rank"), 0.0, output_field=FloatField())
            + F("search_similarity")
        )
        .order_by("-search_score", "name", "pk")
    )


def _at_least(queryset: QuerySet, number: int) -> bool:
    """Whether ``queryset`` has ``number`` rows, reading no more than that."""
    return queryset.order_by().values("pk")[number - 1 : number].exists()


def _search_portable(queryset: QuerySet, q: str) -> QuerySet:
    words = words_of(q)
    if not words:
        return queryset
    model = queryset.model
    through = model.categories.through
    category_link = f"{model._meta.model_name}_id"
    name_hits: Any = Value(0)
    for word in words:
        pattern = accent_pattern(word)
        in_category = Exists(
            through.objects.filter(**{category_link: OuterRef("pk")}).filter(
                Q(category__name__iregex=pattern) | Q(category__name_en__iregex=pattern)
            )
        )
        queryset = queryset.filter(
            Q(name__iregex=pattern)
            | Q(summary__iregex=pattern)
            | Q(description__iregex=pattern)
            | in_category
        )
        name_hits = name_hits + Case(
            When(name__iregex=pattern, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.annotate(search_score=name_hits).order_by(
        "-search_score", "name", "pk"
    )

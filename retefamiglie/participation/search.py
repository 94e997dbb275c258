"""Free-text search over proposals, the project's approach (ADR 9, ADR 15).

PostgreSQL: a stored ``search_document`` (``italian`` configuration, unaccented:
title A, text B), written by the services on every change, GIN-indexed, queried
with web search syntax and ranked. SQLite: every word must appear, ignoring case
and accents, in the title or text; matches in the title first.
"""

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)

from retefamiglie.core.search import accent_pattern, strip_accents, words_of

from .models import Proposal


def proposal_refresh_search_document(proposal: Proposal) -> None:
    """Write the proposal's stored document (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    # Accents are stripped here, as from the query, so "attivita" finds
    # "attività" without the database's unaccent extension.
    title = Value(strip_accents(proposal.title), output_field=TextField())
    body = Value(strip_accents(proposal.body), output_field=TextField())
    Proposal.objects.filter(pk=proposal.pk).update(
        search_document=SearchVector(title, weight="A", config="italian")
        + SearchVector(body, weight="B", config="italian")
    )


def search_proposals(queryset: "QuerySet[Proposal]", q: str) -> "QuerySet[Proposal]":
    """Proposals of ``queryset`` matching ``q``, best match first."""
    if connection.vendor == "postgresql":
        query = SearchQuery(strip_accents(q), search_type="websearch", config="italian")
        return (
            queryset.filter(search_document=query)
            .annotate(search_score=SearchRank(F("search_document"), query))
            .order_by("-search_score", "-created_at", "-pk")
        )
    words = words_of(q)
    if not words:
        return queryset
    title_hits: Any = Value(0)
    for word in words:
        pattern = accent_pattern(word)
        queryset = queryset.filter(Q(title__iregex=pattern) | Q(body__iregex=pattern))
        title_hits = title_hits + Case(
            When(title__iregex=pattern, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.annotate(search_score=title_hits).order_by(
        "-search_score", "-created_at", "-pk"
    )

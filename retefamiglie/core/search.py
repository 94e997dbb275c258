"""The portable half of the project's free-text search (ADR 9), shared by the
directory's catalogue, participation's proposals and the exchange's listings
(ADR 17): words without accents and
a regular expression matching a word with or without them, for the SQLite
fallback and for the text PostgreSQL's full-text search receives.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet

# Letters and the accented forms people type, or do not, in Italian and nearby.
ACCENTED = {
    "a": "aàáâäãå",
    "e": "eèéêë",
    "i": "iìíîï",
    "o": "oòóôöõ",
    "u": "uùúûü",
    "c": "cç",
    "n": "nñ",
}
MAX_WORDS = 8


def strip_accents(text: str) -> str:
    """Lower case, without diacritics: "Attività" becomes "attivita"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", strip_accents(text))[:MAX_WORDS]


def accent_pattern(word: str) -> str:
    """A regular expression matching ``word`` with or without accents."""
    return "".join(
        f"[{ACCENTED[char]}]" if char in ACCENTED else re.escape(char) for char in word
    )


def every_word_in[M: Any](
    queryset: QuerySet[M], q: str, fields: Sequence[str]
) -> QuerySet[M]:
    """Rows where each word of ``q`` appears in one of ``fields`` (any database)."""
    for word in words_of(q):
        pattern = accent_pattern(word)
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__iregex": pattern})
        queryset = queryset.filter(found)
    return queryset

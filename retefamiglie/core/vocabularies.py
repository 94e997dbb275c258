"""The lists every capability shares: children's age bands, the age bands a
thing fits, and languages (ADR 25).

Stored values are the ones the tables already hold; a change to a value needs a
data migration in every app that stores it (``children`` JSON of bookings,
registrations and help requests; ``languages`` of services, events and help
offers; ``interpreter_language``; ``language`` of help requests; ``age_band``
of listings and handovers).
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class AgeBand(models.TextChoices):
    """Bands in which children are counted (bookings, help requests, figures);
    a child is never named. Both ends are whole years and included."""

    BAND_0_2 = "0-2", _("0–2 years")
    BAND_3_5 = "3-5", _("3–5 years")
    BAND_6_10 = "6-10", _("6–10 years")
    BAND_11_13 = "11-13", _("11–13 years")
    BAND_14_17 = "14-17", _("14–17 years")

    @property
    def years(self) -> tuple[int, int]:
        """The first and the last age (whole years) of the band."""
        first, last = str(self.value).split("-")
        return int(first), int(last)


def age_bands_overlapping(first: int, last: int | None) -> tuple[AgeBand, ...]:
    """The children's bands an age range (whole years, both included; ``None``:
    no upper end) shares an age with."""
    return tuple(
        band
        for band in AgeBand
        if first <= band.years[1] and (last is None or band.years[0] <= last)
    )


class FitsAgeBand(models.TextChoices):
    """The children's ages a thing fits, as the exchange asks them (issue 10):
    about things, not people, and in the bands shops use for clothes and gear.
    A band includes its first age and stops before its last: "1-3" is for
    children of 1 and 2, "0-1" for babies in their first year."""

    UNDER_1 = "0-1", _("0–1 years")
    FROM_1_TO_3 = "1-3", _("1–3 years")
    FROM_3_TO_6 = "3-6", _("3–6 years")
    FROM_6_TO_11 = "6-11", _("6–11 years")
    FROM_11_TO_14 = "11-14", _("11–14 years")
    OVER_14 = "14+", _("14 years and over")

    @property
    def years(self) -> tuple[int, int | None]:
        """The first and the last age (whole years, included) of the band;
        ``None``: no upper end."""
        value = str(self.value)
        if value.endswith("+"):
            return int(value[:-1]), None
        first, stop = value.split("-")
        return int(first), int(stop) - 1

    @property
    def age_band(self) -> AgeBand:
        """The children's band this band lies in: every exchange band fits
        inside one (14+ in 14-17, the children's last), so figures of things
        and of children can be read side by side."""
        return age_bands_overlapping(*self.years)[0]


class Language(models.TextChoices):
    """Languages spoken at a service or event, asked of an interpreter, spoken
    by a family or a helping organisation; names in their own language."""

    ITALIAN = "it", "Italiano"
    ENGLISH = "en", "English"
    FRENCH = "fr", "Français"
    SPANISH = "es", "Español"
    ARABIC = "ar", "العربية"
    ALBANIAN = "sq", "Shqip"
    ROMANIAN = "ro", "Română"
    UKRAINIAN = "uk", "Українська"
    CHINESE = "zh", "中文"
    URDU = "ur", "اردو"
    BENGALI = "bn", "বাংলা"
    SIGN = "lis", "LIS (Lingua dei segni italiana)"


# A family whose language is not listed says so (help requests and the
# organisations that take them); a service, an event or an interpreter always
# names a language, so this is not one of ``Language``'s members.
OTHER_LANGUAGE = "other"


def language_choices(*, other: bool = False) -> "list[tuple[str, _StrPromise | str]]":
    """``Language``'s choices; with ``other``, "Another language" last."""
    choices: list[tuple[str, _StrPromise | str]] = list(Language.choices)
    if other:
        choices.append((OTHER_LANGUAGE, _("Another language")))
    return choices


def language_name(code: str) -> str:
    """The name of a stored language code; an unknown code as it is."""
    return str(dict(language_choices(other=True)).get(code, code))

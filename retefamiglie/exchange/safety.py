"""Safety prompts by category and things that may not be exchanged, as data.

Coordinators of another network change these lists, not the code around them.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.search import strip_accents

from .models import Category

SAFETY_GATE_URL = "https://ec.europa.eu/safety-gate-alerts/screen/webReport"


@dataclass(frozen=True)
class SafetyPrompt:
    title: str | Promise
    text: str | Promise
    link: str = ""
    link_label: str | Promise = ""


RECALLS = SafetyPrompt(
    _("Recalled products"),
    _(
        "Before giving or taking a product for children, check that it has not been "
        "recalled for safety reasons."
    ),
    SAFETY_GATE_URL,
    _("Search the EU Safety Gate"),
)

SAFETY_PROMPTS: dict[str, tuple[SafetyPrompt, ...]] = {
    Category.CAR_SEATS: (
        SafetyPrompt(
            _("Car seats"),
            _(
                "A car seat must carry its approval label (ECE R44/04 or R129, "
                "“i-Size”), come with its instructions and never have been in a car "
                "accident, even a small one. If in doubt, do not use it."
            ),
        ),
        RECALLS,
    ),
    Category.FURNITURE: (
        SafetyPrompt(
            _("Cots and high chairs"),
            _(
                "Cots should meet the EN 716 standard and high chairs EN 14988: look "
                "for the label, check that nothing is broken or missing and that the "
                "bars of a cot are no more than 6.5 cm apart."
            ),
        ),
        RECALLS,
    ),
    Category.BABY_GEAR: (RECALLS,),
    Category.TOYS: (
        SafetyPrompt(
            _("Toys"),
            _(
                "Look for the CE mark and the age on the label; small parts are a "
                "choking hazard for children under 3."
            ),
        ),
        RECALLS,
    ),
}


@dataclass(frozen=True)
class Forbidden:
    key: str
    pattern: re.Pattern[str]
    reason: str | Promise


FORBIDDEN: tuple[Forbidden, ...] = (
    Forbidden(
        "medicines",
        re.compile(
            r"\b(farmac[oi]|medicin[ae]l?[ei]?|tachipirina|antibiotic[oi]|"
            r"paracetamolo|ibuprofene|sciropp[oi]|supposte|medicines?|medication|"
            r"drugs?|pills?)\b"
        ),
        _(
            "Medicines cannot be exchanged, not even unopened ones: take them back to "
            "a pharmacy, which disposes of them safely."
        ),
    ),
    Forbidden(
        "breast_milk",
        re.compile(r"\blatte (materno|di mamma)\b|\bbreast ?milk\b"),
        _(
            "Breast milk cannot be exchanged between families: ask the hospital about "
            "its human milk bank."
        ),
    ),
    Forbidden(
        "weapons",
        re.compile(
            r"\b(armi|arma da fuoco|fucil[ei]|munizioni|coltell[oi] da caccia|"
            r"weapons?|firearms?|rifles?|ammunition)\b"
        ),
        _("Weapons and ammunition cannot be exchanged."),
    ),
    Forbidden(
        "animals",
        re.compile(
            r"\b(cuccioli?|gattin[oi]|criceti?|conigliett[oi] vivi?|animali vivi|"
            r"puppy|puppies|kittens?|live animals?)\b"
        ),
        _(
            "Animals cannot be given through the exchange: contact the municipal "
            "kennel or an animal welfare association."
        ),
    ),
    Forbidden(
        "money",
        re.compile(
            r"\b(vendo|vendesi|in vendita|prezzo|soldi|denaro|contanti|euro|eur|"
            r"for sale|price|cash|money|paypal)\b|€|\$"
        ),
        _(
            "The exchange is free: nothing is sold and no money changes hands. Remove "
            "the price or the request for money."
        ),
    ),
)


def forbidden_reasons(*texts: str) -> list[str | Promise]:
    """The reasons why ``texts`` describe something that may not be exchanged."""
    plain = strip_accents(" ".join(texts))
    return [item.reason for item in FORBIDDEN if item.pattern.search(plain)]


def prompts_for(category: str) -> tuple[SafetyPrompt, ...]:
    return SAFETY_PROMPTS.get(category, ())


def all_prompts() -> list[SafetyPrompt]:
    """Every prompt once, for the page where a listing is written."""
    seen: list[SafetyPrompt] = []
    for prompts in SAFETY_PROMPTS.values():
        seen.extend(prompt for prompt in prompts if prompt not in seen)
    return seen

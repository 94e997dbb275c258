"""From HSDS values to the catalogue's: texts, ids, numbers, ages, times, costs.

Each function takes a value as the input gives it (a string, a number, None)
and returns what the catalogue keeps, or raises RecordRefusedError when the
record cannot be imported with it.
"""

import math
import re
import uuid
from collections.abc import Callable
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..hsds_input import Record

SUMMARY_MAX_LENGTH = 300
FREE_WORDS = re.compile(r"\b(gratuit[oaie]|gratis|free|senza costi?)\b", re.I)
WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


class RecordRefusedError(Exception):
    """A record cannot be imported; the message says why."""


def text_line(value: Any) -> str:
    """A one-line value, without the spaces around it."""
    return "" if value is None else str(value).strip()


def text_long(value: Any) -> str:
    """A long text as written; only blanks count as nothing."""
    text = "" if value is None else str(value)
    return text if text.strip() else ""


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def as_uuid(value: Any, kind: str) -> uuid.UUID:
    try:
        return uuid.UUID(text_line(value))
    except ValueError:
        raise RecordRefusedError(
            _("%(kind)s has an invalid id %(value)r.") % {"kind": kind, "value": value}
        ) from None


def as_number(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordRefusedError(
            _("%(what)s is not a number: %(value)r.") % {"what": what, "value": value}
        ) from None
    if math.isnan(number) or math.isinf(number):
        raise RecordRefusedError(_("%(what)s is not a number.") % {"what": what})
    return number


def as_age(value: Any, what: str, rounding: Callable[[float], int]) -> int | None:
    number = as_number(value, what)
    return None if number is None else rounding(number)


def as_coordinate(value: Any, what: str) -> Decimal | None:
    number = as_number(value, what)
    if number is None:
        return None
    try:
        return Decimal(str(number)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise RecordRefusedError(
            _("%(what)s is out of range.") % {"what": what}
        ) from None


def as_time(value: Any) -> time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text_line(value))
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def summary_from(description: str) -> str:
    """The first sentence of ``description``, at most 300 characters."""
    text = " ".join(description.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= SUMMARY_MAX_LENGTH:
        return sentence
    return sentence[: SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def why_not_weekly(schedule: Record) -> str:
    """Why ``schedule`` is no weekly opening time; empty when it is one."""
    freq = text_line(schedule.get("freq")).upper()
    if freq not in ("", "WEEKLY"):
        return _("its frequency is %(freq)s") % {"freq": freq}
    interval = as_number(schedule.get("interval"), "interval")
    if interval not in (None, 1):
        return _("it repeats every %(n)s weeks") % {"n": schedule.get("interval")}
    limits = [
        name
        for name in ("byweekno", "bymonthday", "byyearday", "bymonth")
        if not is_empty(schedule.get(name))
    ]
    if limits:
        return _("%(fields)s limit it to some weeks or days") % {
            "fields": ", ".join(limits)
        }
    if not (as_time(schedule.get("opens_at")) and as_time(schedule.get("closes_at"))):
        return _("it has no opening and closing time")
    if not set(weekdays_of(schedule)) <= set(WEEKDAYS):
        return _("%(byday)r are not days of the week") % {
            "byday": schedule.get("byday")
        }
    return ""


def weekdays_of(schedule: Record) -> list[str]:
    return [day.strip().upper() for day in text_line(schedule.get("byday")).split(",")]


def cost_text(option: Record) -> str:
    text = text_long(option.get("amount_description")).strip()
    if text:
        return text
    amount = f"{as_number(option.get('amount'), 'amount'):g}"
    parts = [amount, text_line(option.get("currency")), text_line(option.get("option"))]
    return " ".join(p for p in parts if p)

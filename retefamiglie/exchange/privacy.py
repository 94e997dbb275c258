"""Contacts typed into public text are masked: people swap them in private messages."""

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# Eight or more digits, possibly with a +, spaces, dots, dashes or slashes between.
PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s./-]?\d){7,}(?![\w])")


def mask_contacts(text: str) -> str:
    hidden = _("[contact hidden: write a private message]")
    return PHONE.sub(hidden, EMAIL.sub(hidden, text))

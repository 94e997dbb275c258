from django import template

from ..privacy import mask_contacts

register = template.Library()


@register.filter
def masked(text: str) -> str:
    """Public text with phone numbers and e-mail addresses hidden."""
    return mask_contacts(text or "")


@register.filter
def public_name(person) -> str:
    """The name others see: the display name, never the e-mail address."""
    from django.utils.translation import gettext

    name = getattr(person, "display_name", "") if person else ""
    return name or gettext("A family")

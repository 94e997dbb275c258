"""What the family reads about its request, in the language of the page."""

from django import template
from django.utils.translation import gettext

from retefamiglie.helprequests.models import Activity, HelpRequest

register = template.Library()


def _sender(activity: Activity) -> str:
    if activity.organisation is not None:
        return activity.organisation.name
    return gettext("the coordinator of the network")


@register.filter
def family_text(activity: Activity, help_request: HelpRequest) -> str:
    """An activity's public text, translated now and filled with its names.

    Services store the text untranslated (gettext_noop) with ``%(name)s`` and
    ``%(outcome)s`` placeholders, so it follows the language of the page.
    """
    if not activity.public_text:
        return ""
    text = gettext(activity.public_text)
    try:
        return text % {
            "name": _sender(activity),
            "outcome": help_request.get_outcome_display(),
        }
    except (KeyError, ValueError, TypeError):
        # A translation with a broken placeholder: show it rather than fail.
        return text


@register.filter
def sender(activity: Activity) -> str:
    """Who wrote to the family: an organisation's name, never a person's e-mail."""
    return _sender(activity)

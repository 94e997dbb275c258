from django import template
from django.db.models import Model
from django.urls import reverse

register = template.Library()


@register.simple_tag
def flag_url(target: Model) -> str:
    """The URL of the page that flags ``target`` (a flaggable model, ADR 16)."""
    meta = target._meta
    return reverse("moderation:flag", args=[meta.app_label, meta.model_name, target.pk])

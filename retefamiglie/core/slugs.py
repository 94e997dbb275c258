"""Slugs for the addresses of pages."""

from django.db.models import Model
from django.utils.text import slugify


def unique_slug(
    model: type[Model],
    name: str,
    *,
    exclude_pk: int | None = None,
    fallback: str = "scheda",
) -> str:
    """A slug from ``name`` that no other row of ``model`` uses: ``base``,
    ``base-2``, ``base-3``…, short enough for the model's ``slug`` field."""
    field = model._meta.get_field("slug")
    max_length = getattr(field, "max_length", None) or 50
    base = slugify(name)[: max_length - 6].strip("-") or fallback
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug

"""The first set of categories every city gets; coordinators edit them as data."""

DEFAULT_CATEGORIES = [
    (
        "sostegno-scolastico",
        "Sostegno scolastico e doposcuola",
        "School support and after-school",
    ),
    ("sport-movimento", "Sport e movimento", "Sport and movement"),
    ("gioco-tempo-libero", "Gioco e tempo libero", "Play and free time"),
    ("salute-benessere", "Salute e benessere", "Health and wellbeing"),
    ("sostegno-genitorialita", "Sostegno alla genitorialità", "Parenting support"),
    ("servizi-0-6", "Servizi 0–6 anni", "0–6 services"),
    ("sostegno-economico", "Sostegno economico", "Economic support"),
    ("disabilita-inclusione", "Disabilità e inclusione", "Disability and inclusion"),
    (
        "famiglie-straniere-italiano",
        "Famiglie dall'estero e lingua italiana",
        "Families from abroad and Italian language",
    ),
    ("cultura-biblioteche", "Cultura e biblioteche", "Culture and libraries"),
]


def ensure_default_categories(category_model) -> None:
    """Create the default categories that are missing (migration and demo)."""
    for order, (slug, name, name_en) in enumerate(DEFAULT_CATEGORIES):
        category_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "order": order}
        )

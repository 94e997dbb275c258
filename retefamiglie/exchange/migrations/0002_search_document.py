"""The listings' full-text document on PostgreSQL; nothing on other databases.

A BEFORE INSERT/UPDATE trigger fills ``search_document`` from the title
(weight A) and description (C), unaccented, with the ``italian`` configuration,
so every write path keeps it current; a GIN index serves the search (ADR 17).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
CREATE OR REPLACE FUNCTION exchange_listing_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document :=
       setweight(to_tsvector('italian',
         public.unaccent('public.unaccent'::regdictionary, coalesce(NEW.title, ''))),
         'A')
    || setweight(to_tsvector('italian',
         public.unaccent('public.unaccent'::regdictionary,
                         coalesce(NEW.description, ''))), 'C');
  RETURN NEW;
END;
$$;
""",
    """
CREATE TRIGGER exchange_listing_search_document
BEFORE INSERT OR UPDATE OF title, description, search_document
ON exchange_listing
FOR EACH ROW EXECUTE FUNCTION exchange_listing_search_document();
""",
    "UPDATE exchange_listing SET search_document = NULL",
    "CREATE INDEX exchange_listing_search ON exchange_listing "
    "USING gin (search_document)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS exchange_listing_search",
    "DROP TRIGGER IF EXISTS exchange_listing_search_document ON exchange_listing",
    "DROP FUNCTION IF EXISTS exchange_listing_search_document()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

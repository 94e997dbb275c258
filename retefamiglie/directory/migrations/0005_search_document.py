"""A stored, indexed full-text search document for services and events.

On every database: a ``search_document`` column (a ``tsvector`` on PostgreSQL,
unused text elsewhere). On PostgreSQL only: an IMMUTABLE ``immutable_unaccent``
wrapper (``unaccent()`` itself is only STABLE, so no index may use it), triggers
that keep the document up to date (the listing's own text, and its categories'
names when the categories or their names change), a GIN index on the document,
a trigram GIN index on the unaccented name for typo-tolerant matches, and the
document of existing rows. Weights as search.py computed them on the fly:
A name, B summary and category names (Italian and English), C description.
"""

import django.contrib.postgres.search
from django.db import migrations

TABLES = {"service": "directory_service", "event": "directory_event"}

FUNCTION = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


def document_function(kind: str) -> str:
    """A BEFORE INSERT OR UPDATE trigger function computing the row's document."""
    table = TABLES[kind]
    return f"""
CREATE OR REPLACE FUNCTION directory_{kind}_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document :=
       setweight(to_tsvector('italian',
         coalesce(immutable_unaccent(NEW.name), '')), 'A')
    || setweight(to_tsvector('italian',
         coalesce(immutable_unaccent(NEW.summary), '')), 'B')
    || setweight(to_tsvector('italian', coalesce(immutable_unaccent((
         SELECT array_to_string(array_agg(concat_ws(' ', c.name, c.name_en)), ' ')
         FROM directory_category c
         JOIN {table}_categories link ON link.category_id = c.id
         WHERE link.{kind}_id = NEW.id)), '')), 'B')
    || setweight(to_tsvector('italian',
         coalesce(immutable_unaccent(NEW.description), '')), 'C');
  RETURN NEW;
END;
$$;
CREATE TRIGGER {kind}_search_document
BEFORE INSERT OR UPDATE OF name, summary, description, search_document
ON {table}
FOR EACH ROW EXECUTE FUNCTION directory_{kind}_search_document();
"""  # noqa: S608 (constant table names)


def link_function(kind: str) -> str:
    """Categories added to or removed from a listing refresh its document."""
    table = TABLES[kind]
    return f"""
CREATE OR REPLACE FUNCTION directory_{kind}_categories_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE {table} SET search_document = NULL WHERE id = NEW.{kind}_id;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE {table} SET search_document = NULL WHERE id = OLD.{kind}_id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER {kind}_categories_refresh
AFTER INSERT OR UPDATE OR DELETE ON {table}_categories
FOR EACH ROW EXECUTE FUNCTION directory_{kind}_categories_refresh();
"""  # noqa: S608 (constant table names)


CATEGORY_FUNCTION = """
CREATE OR REPLACE FUNCTION directory_category_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name
     OR NEW.name_en IS DISTINCT FROM OLD.name_en THEN
    UPDATE directory_service SET search_document = NULL WHERE id IN (
      SELECT service_id FROM directory_service_categories
      WHERE category_id = NEW.id);
    UPDATE directory_event SET search_document = NULL WHERE id IN (
      SELECT event_id FROM directory_event_categories WHERE category_id = NEW.id);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER category_search_refresh
AFTER UPDATE ON directory_category
FOR EACH ROW EXECUTE FUNCTION directory_category_refresh();
"""

FORWARD = [
    FUNCTION,
    *(document_function(kind) for kind in TABLES),
    *(link_function(kind) for kind in TABLES),
    CATEGORY_FUNCTION,
    # Existing rows: the BEFORE UPDATE trigger computes the document.
    *(
        f"UPDATE {table} SET search_document = NULL"  # noqa: S608 (constant names)
        for table in TABLES.values()
    ),
    *(
        f"CREATE INDEX {kind}_search_document ON {table} USING gin (search_document)"
        for kind, table in TABLES.items()
    ),
    *(
        f"CREATE INDEX {kind}_name_trgm ON {table} "
        "USING gin (immutable_unaccent(name) gin_trgm_ops)"
        for kind, table in TABLES.items()
    ),
    *(f"ANALYZE {table}" for table in TABLES.values()),
]

BACKWARD = [
    *(f"DROP INDEX IF EXISTS {kind}_name_trgm" for kind in TABLES),
    *(f"DROP INDEX IF EXISTS {kind}_search_document" for kind in TABLES),
    "DROP TRIGGER IF EXISTS category_search_refresh ON directory_category",
    "DROP FUNCTION IF EXISTS directory_category_refresh()",
    *(
        f"DROP TRIGGER IF EXISTS {kind}_categories_refresh ON {table}_categories"
        for kind, table in TABLES.items()
    ),
    *(
        f"DROP FUNCTION IF EXISTS directory_{kind}_categories_refresh()"
        for kind in TABLES
    ),
    *(
        f"DROP TRIGGER IF EXISTS {kind}_search_document ON {table}"
        for kind, table in TABLES.items()
    ),
    *(f"DROP FUNCTION IF EXISTS directory_{kind}_search_document()" for kind in TABLES),
    "DROP FUNCTION IF EXISTS immutable_unaccent(text)",
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
    dependencies = [("directory", "0004_hsds_ids")]
    operations = [
        migrations.AddField(
            model_name="service",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(forward, backward),
    ]

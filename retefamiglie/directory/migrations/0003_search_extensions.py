"""PostgreSQL extensions the catalogue search uses; nothing on other databases.

``unaccent`` makes search ignore accents ("attivita" finds "attività") and
``pg_trgm`` tolerates typos in names. Creating an extension needs a role allowed
to; on a managed database, create them beforehand and this step does nothing.
"""

from django.db import migrations

EXTENSIONS = ["unaccent", "pg_trgm"]


def create_extensions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in EXTENSIONS:
        schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_seed_categories")]
    operations = [migrations.RunPython(create_extensions, migrations.RunPython.noop)]

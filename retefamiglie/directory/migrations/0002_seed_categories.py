"""A useful first set of categories; coordinators may edit them as data."""

from django.db import migrations

from retefamiglie.directory.taxonomy import ensure_default_categories


def seed(apps, schema_editor):
    ensure_default_categories(apps.get_model("directory", "Category"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

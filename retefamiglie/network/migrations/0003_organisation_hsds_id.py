"""Give every member organisation a stable HSDS id (UUID), existing rows included."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    for model_name in ['Organisation']:
        model = apps.get_model("network", model_name)
        for row in model.objects.filter(hsds_id__isnull=True).only("pk"):
            row.hsds_id = uuid.uuid4()
            row.save(update_fields=["hsds_id"])


class Migration(migrations.Migration):
    dependencies = [("network", "0002_organisation_is_public_organisation_left_at_and_more")]
    operations = [
        migrations.AddField(
            model_name="organisation",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
    ]

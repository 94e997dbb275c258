"""Give every category, place, service and service at a place a stable HSDS id (UUID), existing rows included."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    for model_name in ["Category", "Location", "Service", "ServiceAtLocation"]:
        model = apps.get_model("directory", model_name)
        for row in model.objects.filter(hsds_id__isnull=True).only("pk"):
            row.hsds_id = uuid.uuid4()
            row.save(update_fields=["hsds_id"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_search_extensions")]
    operations = [
        migrations.AddField(
            model_name="category",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
        migrations.AddField(
            model_name="location",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
        migrations.AddField(
            model_name="service",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
        migrations.AddField(
            model_name="serviceatlocation",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="category",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
        migrations.AlterField(
            model_name="location",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
        migrations.AlterField(
            model_name="service",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
        migrations.AlterField(
            model_name="serviceatlocation",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
    ]

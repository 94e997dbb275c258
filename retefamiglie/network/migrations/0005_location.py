# Places move from directory to network (ADR 26): the model changes app, the
# table (directory_location) and its rows stay where they are. Only Django's
# state changes here; directory 0009 repoints its foreign keys and forgets it.
import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_organisation_status_provider"),
        ("directory", "0008_service_published_by_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Location",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="created"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated"),
                        ),
                        (
                            "hsds_id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                unique=True,
                                verbose_name="HSDS id",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=200, verbose_name="name of the place"
                            ),
                        ),
                        (
                            "address",
                            models.CharField(max_length=255, verbose_name="address"),
                        ),
                        (
                            "postal_code",
                            models.CharField(
                                blank=True, max_length=10, verbose_name="postcode"
                            ),
                        ),
                        (
                            "city",
                            models.CharField(
                                default="Lucca", max_length=100, verbose_name="town"
                            ),
                        ),
                        (
                            "latitude",
                            models.DecimalField(
                                blank=True,
                                decimal_places=6,
                                max_digits=9,
                                null=True,
                                verbose_name="latitude",
                            ),
                        ),
                        (
                            "longitude",
                            models.DecimalField(
                                blank=True,
                                decimal_places=6,
                                max_digits=9,
                                null=True,
                                verbose_name="longitude",
                            ),
                        ),
                        (
                            "accessibility",
                            models.TextField(
                                blank=True, verbose_name="accessibility of the place"
                            ),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="locations",
                                to="network.area",
                                verbose_name="area",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="locations",
                                to="network.organisation",
                                verbose_name="member organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "place",
                        "verbose_name_plural": "places",
                        "db_table": "directory_location",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

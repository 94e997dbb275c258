# Places move to network (ADR 26): the foreign keys point to network.Location,
# which reads the same table; then directory forgets its own model. No SQL.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_service_published_by_name"),
        ("network", "0005_location"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="location",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="network.location",
                        verbose_name="place",
                    ),
                ),
                migrations.AlterField(
                    model_name="serviceatlocation",
                    name="location",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_at_locations",
                        to="network.location",
                    ),
                ),
                migrations.AlterField(
                    model_name="service",
                    name="locations",
                    field=models.ManyToManyField(
                        related_name="services",
                        through="directory.ServiceAtLocation",
                        to="network.location",
                        verbose_name="places",
                    ),
                ),
                migrations.DeleteModel(name="Location"),
            ],
            database_operations=[],
        ),
    ]

"""Organisations an HSDS import brought in become providers, no longer members.

Before ``network.Organisation.Status.PROVIDER`` existed, ``import_hsds``
created the providers of imported services as active organisations left out of
the member directory. Every organisation has an HSDS id (a random one unless an
import gave it), so the id cannot tell them apart; what can is what the
importer left and what only a member has. An organisation becomes a provider
when it is exactly as the importer made it: active, not listed, not a single
citizen (ADR 8: a citizen may choose not to be listed), no demo data, and with
no pact signature, no staff or staff invitation, no application to join, no
commitment, no report and no offer of help (``helprequests.HelpOffer``): those
only a member has, or a coordinator set up for one. Referrals already sent to
it are kept as they are. Anything else stays a member; a coordinator can
still change the status in the admin.

This lives in ``api``, the importer's app, because it reads the pact app's
rows: ``network`` comes before ``pacts`` and ``helprequests`` and knows
nothing of them.
"""

from django.db import migrations


def imported_become_providers(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    JoinApplication = apps.get_model("pacts", "JoinApplication")
    applied = JoinApplication.objects.filter(organisation__isnull=False).values(
        "organisation_id"
    )
    (
        Organisation.objects.filter(
            status="active", is_public=False, is_demo=False
        )
        .exclude(type="citizen")
        .exclude(pk__in=applied)
        .filter(
            signatures__isnull=True,
            staff__isnull=True,
            invitations__isnull=True,
            commitments__isnull=True,
            reports__isnull=True,
            help_offer__isnull=True,
        )
        .update(status="provider")
    )


def providers_become_active(apps, schema_editor):
    """Back to what the importer made before providers existed."""
    Organisation = apps.get_model("network", "Organisation")
    Organisation.objects.filter(status="provider").update(status="active")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_organisation_status_provider"),
        ("pacts", "0001_initial"),
        ("helprequests", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(imported_become_providers, providers_become_active),
    ]

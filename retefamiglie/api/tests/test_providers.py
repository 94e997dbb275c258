"""Providers: organisations the catalogue holds without them being members.

An HSDS import brings them in with their services. The services are the
catalogue's like any other; the organisation is no member of the network, so
nothing that concerns members (directory, pact, reports, referrals) sees it.
"""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from retefamiglie.accounts.tests.factories import CoordinatorFactory, SuperuserFactory
from retefamiglie.api.importer import import_records
from retefamiglie.directory.models import Publishable, Service
from retefamiglie.directory.services import listings
from retefamiglie.directory.tests.factories import EventFactory, ServiceFactory
from retefamiglie.helprequests import selectors as helprequests
from retefamiglie.helprequests.tests.factories import (
    HelpOfferFactory,
    HelpRequestFactory,
)
from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.network.tests.factories import (
    OrganisationFactory,
    ProviderFactory,
    StaffFactory,
)
from retefamiglie.pacts import selectors as pacts
from retefamiglie.pacts.models import JoinApplication
from retefamiglie.pacts.tests.factories import (
    CommitmentFactory,
    SignatureFactory,
    version_in_force,
)

migration = importlib.import_module(
    "retefamiglie.api.migrations.0001_imported_organisations_become_providers"
)

IMPORTED = {
    "id": "0c3f6e52-8d0a-4f6b-9b7e-2a1d5c4e3f21",
    "name": "Doposcuola del quartiere",
    "description": "Aiuto nei compiti per i ragazzi delle medie.",
    "status": "active",
    "organization": {
        "id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "name": "Cooperativa Il Ponte",
        "description": "Cooperativa sociale.",
    },
}


@pytest.fixture
def provider(db):
    import_records([IMPORTED])
    return Organisation.objects.get(hsds_id=IMPORTED["organization"]["id"])


@pytest.fixture
def coordinator(client):
    user = CoordinatorFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    client.force_login(user)
    return user


def test_an_import_creates_providers(provider):
    assert provider.status == Organisation.Status.PROVIDER
    assert not provider.is_public


def test_an_import_never_changes_the_status_of_an_organisation(db):
    """Matched by its id, a member stays a member and a provider a provider,
    whatever a coordinator made of it."""
    member = OrganisationFactory(is_public=False)
    data = {**IMPORTED, "organization": {"id": str(member.hsds_id), "name": "X"}}

    import_records([data])

    member.refresh_from_db()
    assert member.status == Organisation.Status.ACTIVE


def test_a_provider_is_not_in_the_member_directory(client, provider, organisation):
    page = client.get(reverse("network:directory")).content.decode()
    profile = client.get(reverse("network:member", kwargs={"slug": provider.slug}))

    assert organisation.name in page
    assert provider.name not in page
    assert profile.status_code == 404


def test_a_provider_is_not_in_the_coordinators_report_table(
    client, provider, organisation, coordinator
):
    """Only members file reports: a provider is not listed as late."""
    page = client.get(reverse("pacts:reports")).content.decode()

    assert organisation.name in page
    assert provider.name not in page
    assert provider not in [
        m for m, _r in pacts.reports_by_member(year=2026, period="h1")
    ]


def test_a_provider_gets_no_commitments(provider, organisation, coordinator):
    offered = list(pacts.commitment_organisations_for(coordinator))

    assert organisation in offered
    assert provider not in offered


def test_a_provider_is_not_suggested_for_referral(provider, organisation):
    """Even with an offer of help: it has no staff to accept a referral."""
    HelpOfferFactory(organisation=provider)
    HelpOfferFactory(organisation=organisation)
    help_request = HelpRequestFactory()

    suggested = [
        s.organisation for s in helprequests.suggestions_for(help_request=help_request)
    ]

    assert organisation in suggested
    assert provider not in suggested
    assert provider not in helprequests.organisations_for_referral()
    assert organisation in helprequests.organisations_for_referral()


def test_a_provider_is_not_asked_to_sign_the_pact_again(provider, organisation):
    """Not even when someone manages it: only members sign."""
    version_in_force()
    admin = StaffFactory(organisation=provider, role=OrganisationStaff.Role.ADMIN).user
    StaffFactory(organisation=organisation, user=admin)

    assert list(pacts.members_to_resign(admin)) == [organisation]


def test_a_providers_services_are_searchable_and_served(client, provider):
    service = Service.objects.get(hsds_id=IMPORTED["id"])

    found = client.get(reverse("directory:services"), {"q": "doposcuola"})
    served = client.get(reverse("api:services")).json()
    organisation = client.get(
        reverse("api:organization", kwargs={"id": provider.hsds_id})
    )

    assert service.status == Publishable.Status.PUBLISHED
    assert service.name in found.content.decode()
    assert IMPORTED["id"] in [s["id"] for s in served["contents"]]
    assert organisation.status_code == 200


def test_service_and_event_pages_name_a_provider_without_a_link(client, provider):
    service = Service.objects.get(hsds_id=IMPORTED["id"])
    event = EventFactory(organisation=provider)
    profile = f'href="{provider.get_absolute_url()}"'

    for page in (
        client.get(reverse("directory:service", kwargs={"slug": service.slug})),
        client.get(reverse("directory:event", kwargs={"slug": event.slug})),
    ):
        assert page.status_code == 200
        assert provider.name in page.content.decode()
        assert provider.get_absolute_url() not in page.content.decode()
        assert profile not in page.content.decode()


def test_a_members_event_page_links_to_its_profile(client, organisation):
    event = EventFactory(organisation=organisation)

    page = client.get(reverse("directory:event", kwargs={"slug": event.slug}))

    assert f'href="{organisation.get_absolute_url()}"' in page.content.decode()


def test_a_coordinator_keeps_a_providers_services(client, provider, coordinator):
    """A provider has no staff: coordinators edit and publish its services."""
    service = ServiceFactory(
        organisation=provider, status=Publishable.Status.DRAFT, location=False
    )

    listings.listing_publish(actor=coordinator, listing=service)
    form = client.get(reverse("directory:service_edit", kwargs={"slug": service.slug}))

    service.refresh_from_db()
    assert service.status == Publishable.Status.PUBLISHED
    assert form.status_code == 200
    assert f'<option value="{provider.pk}" selected>' in form.content.decode()


def test_only_coordinators_publish_for_a_provider(provider):
    """Someone given a role in a provider is no member's staff."""
    user = StaffFactory(organisation=provider).user
    service = ServiceFactory(
        organisation=provider, status=Publishable.Status.DRAFT, location=False
    )

    with pytest.raises(ValidationError):
        listings.listing_publish(actor=user, listing=service)


# ------------------------------------------------------------------------------
# The data migration
# ------------------------------------------------------------------------------


def test_the_migration_turns_imported_organisations_into_providers(db):
    """Exactly as the importer left it (active, not listed, nothing of a
    member): a provider. Anything a member has keeps it a member."""
    imported = OrganisationFactory(is_public=False)
    listed = OrganisationFactory()
    signed = OrganisationFactory(is_public=False)
    SignatureFactory(organisation=signed)
    staffed = OrganisationFactory(is_public=False)
    StaffFactory(organisation=staffed)
    committed = OrganisationFactory(is_public=False)
    CommitmentFactory(organisation=committed)
    citizen = OrganisationFactory(is_public=False, type=Organisation.Type.CITIZEN)
    left = OrganisationFactory(is_public=False, status=Organisation.Status.LEFT)
    applied = OrganisationFactory(is_public=False)
    JoinApplication.objects.create(
        type=applied.type,
        name=applied.name,
        description="Chi siamo.",
        contact_name="Anna Bianchi",
        contact_email="anna@example.org",
        proposed_commitments="Doposcuola.",
        version=version_in_force(),
        privacy_version="1",
        status=JoinApplication.Status.APPROVED,
        organisation=applied,
    )
    members = [listed, signed, staffed, committed, citizen, applied]

    migration.imported_become_providers(apps, None)

    imported.refresh_from_db()
    assert imported.status == Organisation.Status.PROVIDER
    for member in members:
        member.refresh_from_db()
        assert member.status == Organisation.Status.ACTIVE, member
    left.refresh_from_db()
    assert left.status == Organisation.Status.LEFT


def test_the_migration_reversed_makes_providers_active_again(db):
    provider = ProviderFactory()

    migration.providers_become_active(apps, None)

    provider.refresh_from_db()
    assert provider.status == Organisation.Status.ACTIVE
    assert not provider.is_public


def test_the_admin_filters_providers(client, provider, organisation):
    user = SuperuserFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    client.force_login(user)

    page = client.get(
        reverse("admin:network_organisation_changelist"), {"status__exact": "provider"}
    ).content.decode()

    assert provider.name in page
    assert organisation.name not in page

import factory

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.network.models import Area, Organisation, OrganisationStaff


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Zona {n}")
    slug = factory.Sequence(lambda n: f"zona-{n}")
    latitude = 43.8429
    longitude = 10.5027


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Associazione {n}")
    slug = factory.Sequence(lambda n: f"associazione-{n}")
    type = Organisation.Type.THIRD_SECTOR
    area = factory.SubFactory(AreaFactory)


class ProviderFactory(OrganisationFactory):
    """An organisation the catalogue holds without it being a member, as an
    HSDS import brings it in."""

    name = factory.Sequence(lambda n: f"Fornitore {n}")
    slug = factory.Sequence(lambda n: f"fornitore-{n}")
    status = Organisation.Status.PROVIDER
    is_public = False


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationStaff

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationStaff.Role.ADMIN

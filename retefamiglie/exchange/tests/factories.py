from datetime import timedelta

import factory
from django.utils import timezone

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.core.vocabularies import FitsAgeBand
from retefamiglie.exchange.models import Category, ExchangeMember, Listing
from retefamiglie.network.tests.factories import AreaFactory


class MemberFactory(factory.django.DjangoModelFactory):
    """A person who joined the exchange (verified e-mail, adult, terms)."""

    class Meta:
        model = ExchangeMember

    user = factory.SubFactory(UserFactory)
    adult_confirmed_at = factory.LazyFunction(timezone.now)
    terms_version = "2026-12"
    terms_accepted_at = factory.LazyFunction(timezone.now)


def member(**kwargs):
    return MemberFactory(**kwargs).user


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    owner = factory.LazyFunction(member)
    kind = Listing.Kind.OFFER
    what = Listing.What.GOOD
    how = Listing.How.GIVE
    category = Category.BABY_GEAR
    age_band = FitsAgeBand.UNDER_1
    condition = Listing.Condition.GOOD
    area = factory.SubFactory(AreaFactory)
    title = factory.Sequence(lambda n: f"Passeggino {n}")
    description = "Leggero, pieghevole."
    # Published long enough ago that the simmer period is over.
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=5))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=25))

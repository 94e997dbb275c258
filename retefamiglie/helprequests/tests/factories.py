import factory
from django.utils import timezone

from retefamiglie.core.vocabularies import Language
from retefamiglie.helprequests.models import (
    ContactMethod,
    HelpKind,
    HelpOffer,
    HelpRequest,
    Referral,
    Urgency,
)
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory

PRIVACY_NOTICE_VERSION = "test-1"


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """A new request, sent without an account, with an e-mail to answer to."""

    class Meta:
        model = HelpRequest

    reference = factory.Sequence(lambda n: f"TST-{n:06d}")
    family = None
    kinds = factory.LazyFunction(lambda: [HelpKind.SCHOOL])
    description = "Mia figlia fa fatica con i compiti di matematica."
    children = factory.LazyFunction(lambda: {"6-10": 1})
    area = factory.SubFactory(AreaFactory)
    contact_method = ContactMethod.EMAIL
    contact_name = ""
    contact_phone = ""
    contact_email = factory.Sequence(lambda n: f"famiglia{n}@example.org")
    contact_times = ""
    language = Language.ITALIAN
    needs_interpreter = False
    urgency = Urgency.NORMAL
    consent_version = PRIVACY_NOTICE_VERSION
    consent_at = factory.LazyFunction(timezone.now)
    status = HelpRequest.Status.NEW
    outcome = ""


class ReferralFactory(factory.django.DjangoModelFactory):
    """A pending referral of a request to a member organisation."""

    class Meta:
        model = Referral

    request = factory.SubFactory(HelpRequestFactory, status=HelpRequest.Status.REFERRED)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Referral.Status.PENDING
    note = ""
    decline_reason = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == Referral.Status.DECLINED),
        yes_declaration="Non abbiamo posti liberi.",
        no_declaration="",
    )
    referred_by = None


class HelpOfferFactory(factory.django.DjangoModelFactory):
    """What an organisation offers; pass ``areas=[...]`` to set the areas served."""

    class Meta:
        model = HelpOffer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kinds = factory.LazyFunction(lambda: [HelpKind.SCHOOL])
    languages = factory.LazyFunction(lambda: [Language.ITALIAN])
    accepts_referrals = True

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

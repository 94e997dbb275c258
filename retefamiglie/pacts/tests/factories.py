import datetime

import factory
from django.db.models import Max

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.network.tests.factories import OrganisationFactory
from retefamiglie.pacts.models import (
    Commitment,
    PactSection,
    PactVersion,
    Period,
    Report,
    SectionComment,
    SectionKind,
    Signature,
)


class PactVersionFactory(factory.django.DjangoModelFactory):
    """A version of the pact with one section for every SectionKind.

    Pass ``sections=False`` to create it without sections.
    """

    class Meta:
        model = PactVersion
        skip_postgeneration_save = True

    number = factory.LazyFunction(
        lambda: (PactVersion.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    )
    title = factory.LazyAttribute(
        lambda o: f"Patto di collaborazione, versione {o.number}"
    )
    summary = ""
    status = PactVersion.Status.DRAFT
    valid_from = datetime.date(2026, 1, 1)
    valid_until = datetime.date(2028, 12, 31)

    class Params:
        in_force = factory.Trait(
            status=PactVersion.Status.IN_FORCE,
            in_force_at=factory.LazyFunction(
                lambda: datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)
            ),
        )
        consultation = factory.Trait(status=PactVersion.Status.CONSULTATION)

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        PactSection.objects.bulk_create(
            PactSection(
                version=self,
                kind=kind,
                order=index,
                title=str(kind.label),
                body=f"Testo della sezione «{kind.label}», versione {self.number}.",
            )
            for index, kind in enumerate(SectionKind)
        )


def version_in_force() -> PactVersion:
    """The version in force, created if there is none (only one may be in force)."""
    version = PactVersion.objects.filter(status=PactVersion.Status.IN_FORCE).first()
    return version or PactVersionFactory(in_force=True)


class PactSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PactSection
        django_get_or_create = ["version", "kind"]

    version = factory.SubFactory(PactVersionFactory, sections=False)
    kind = SectionKind.PARTIES
    order = 0
    title = factory.LazyAttribute(lambda o: str(SectionKind(o.kind).label))
    body = "Testo della sezione."


class SectionCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionComment

    section = factory.SubFactory(PactSectionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Proponiamo di precisare meglio questo punto."


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    version = factory.LazyFunction(version_in_force)
    organisation = factory.SubFactory(OrganisationFactory)
    signed_by = factory.SubFactory(UserFactory)
    signer_name = factory.LazyAttribute(
        lambda o: o.signed_by.display_name if o.signed_by else "Mario Rossi"
    )
    signer_role = "legale rappresentante"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    organisation = factory.SubFactory(OrganisationFactory)
    version = factory.LazyFunction(version_in_force)
    objective = "community"
    title = factory.Sequence(lambda n: f"Laboratorio del sabato {n}")
    beneficiaries = "famiglie con bambini 6-10 anni"
    target_value = 20
    target_unit = "famiglie"
    progress_value = 0
    due_date = datetime.date(2026, 12, 31)
    status = Commitment.Status.PLANNED


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    period = Period.FIRST_HALF
    activities = "Laboratori di lettura e doposcuola."
    volunteer_hours = 40
    families_reached = 12
    children_reached = 18
    help_requests_handled = 3
    status = Report.Status.DRAFT

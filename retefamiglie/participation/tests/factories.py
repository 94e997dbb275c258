import datetime

import factory
from django.utils import timezone

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.network.tests.factories import OrganisationFactory
from retefamiglie.participation.models import (
    Action,
    Category,
    Comment,
    Meeting,
    Objective,
    Phase,
    Process,
    Proposal,
    Registration,
)


def today() -> datetime.date:
    return timezone.localdate()


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    title = factory.Sequence(lambda n: f"Percorso {n}")
    slug = factory.Sequence(lambda n: f"percorso-{n}")
    summary = "Il percorso che scrive il patto."


class PhaseFactory(factory.django.DjangoModelFactory):
    """By default the current phase, open to everything."""

    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Fase {n}")
    starts_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=5))
    ends_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=30))
    proposals_open = True
    supports_open = True
    comments_open = True
    meetings_open = True


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published in-person meeting a week from now."""

    class Meta:
        model = Meeting

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Incontro {n}")
    slug = factory.Sequence(lambda n: f"incontro-{n}")
    summary = "Parliamo di doposcuola."
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Biblioteca Agorà"
    status = Meeting.Status.PUBLISHED
    childcare_offered = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    name = "Famiglia Rossi"
    email = factory.Sequence(lambda n: f"iscritto{n}@example.org")
    adults = 1
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    title = factory.Sequence(lambda n: f"Obiettivo {n}")
    slug = factory.Sequence(lambda n: f"obiettivo-{n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    process = factory.SubFactory(ProcessFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposta {n}")
    body = "Un doposcuola il sabato mattina."
    category = Category.SCHOOL


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "Sono d'accordo."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Azione {n}")
    owner = factory.SubFactory(OrganisationFactory)

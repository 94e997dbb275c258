import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.moderation import selectors, services
from retefamiglie.moderation.models import Case, Decision, Reason
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def flag(target, times=1):
    for _ in range(times):
        services.flag_create(actor=UserFactory(), target=target, reason=Reason.SCAM)


@override_settings(MODERATION_HIDE_AFTER_FLAGS=2)
def test_an_object_is_hidden_after_n_flags_from_different_people():
    target = OrganisationFactory()
    flag(target)
    assert not selectors.is_hidden(target=target)
    assert target in selectors.visible(Organisation.objects.all())
    flag(target)
    assert selectors.is_hidden(target=target)
    assert target not in selectors.visible(Organisation.objects.all())
    assert selectors.case_for(target=target).open_flags == 2


def test_a_person_cannot_flag_the_same_object_twice_before_a_decision():
    target, person = OrganisationFactory(), UserFactory()
    services.flag_create(actor=person, target=target, reason=Reason.SPAM)
    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_create(actor=person, target=target, reason=Reason.SPAM)


def test_an_unknown_reason_is_refused():
    with pytest.raises(ValidationError):
        services.flag_create(
            actor=UserFactory(), target=OrganisationFactory(), reason="boring"
        )


def test_a_model_not_declared_flaggable_cannot_be_flagged():
    with pytest.raises(ValidationError, match="cannot be flagged"):
        services.flag_create(
            actor=UserFactory(), target=UserFactory(), reason=Reason.SPAM
        )


@override_settings(MODERATION_HIDE_AFTER_FLAGS=1)
def test_a_coordinator_restores_a_hidden_object_and_the_history_keeps_it():
    target = OrganisationFactory()
    flag(target)
    case = selectors.case_for(target=target)
    coordinator = CoordinatorFactory()
    decision = services.decision_create(
        actor=coordinator, case=case, outcome=Decision.Outcome.RESTORE, reason="Ok"
    )
    assert decision.flags_settled == 1
    assert not selectors.is_hidden(target=target)
    case.refresh_from_db()
    assert case.status == Case.Status.RESTORED
    # A new flag opens the case again; the old decision stays in its history.
    flag(target)
    case.refresh_from_db()
    assert case.status == Case.Status.HIDDEN
    assert list(case.decisions.all()) == [decision]


def test_a_removed_object_stays_hidden_when_flagged_again():
    target = OrganisationFactory()
    flag(target)
    services.decision_create(
        actor=CoordinatorFactory(),
        case=selectors.case_for(target=target),
        outcome=Decision.Outcome.REMOVE,
        reason="Vendita di farmaci",
    )
    assert selectors.is_hidden(target=target)
    flag(target)
    assert selectors.case_for(target=target).status == Case.Status.REMOVED


def test_only_coordinators_decide():
    target = OrganisationFactory()
    flag(target)
    with pytest.raises(PermissionDenied):
        services.decision_create(
            actor=UserFactory(),
            case=selectors.case_for(target=target),
            outcome=Decision.Outcome.RESTORE,
            reason="x",
        )


def test_a_decision_needs_a_reason():
    target = OrganisationFactory()
    flag(target)
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=CoordinatorFactory(),
            case=selectors.case_for(target=target),
            outcome=Decision.Outcome.RESTORE,
            reason="  ",
        )


def test_suspension_once_per_scope_and_lifted():
    coordinator, person = CoordinatorFactory(), UserFactory()
    suspension = services.suspension_create(
        actor=coordinator, person=person, scope="exchange", reason="Vendite"
    )
    assert selectors.active_suspension(person=person, scope="exchange") == suspension
    with pytest.raises(ValidationError, match="already suspended"):
        services.suspension_create(
            actor=coordinator, person=person, scope="exchange", reason="Again"
        )
    with pytest.raises(ValidationError):
        services.suspension_create(
            actor=coordinator, person=person, scope="nowhere", reason="x"
        )
    services.suspension_lift(actor=coordinator, suspension=suspension)
    assert selectors.active_suspension(person=person, scope="exchange") is None


def test_families_cannot_suspend():
    with pytest.raises(PermissionDenied):
        services.suspension_create(
            actor=UserFactory(), person=UserFactory(), scope="exchange", reason="x"
        )

"""Every exchange permission for every role, in every state of a listing."""

import pytest

from retefamiglie.core.testing import ROLES
from retefamiglie.exchange.models import Listing
from retefamiglie.moderation.models import Case

from .factories import ListingFactory, member

pytestmark = pytest.mark.django_db

MANAGERS = {"coordinator", "superuser"}
STATES = [*Listing.Status.values, "hidden"]
PUBLIC = {"available", "reserved", "lent", "closed"}


def listing_in(state):
    if state == "hidden":
        listing = ListingFactory()
        Case.objects.create(
            content_object=listing, status=Case.Status.HIDDEN, open_flags=3
        )
        return listing
    return ListingFactory(status=state)


def login(client, person):
    if person is not None:
        client.force_login(person)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_listing(client, members, role, state):
    listing = listing_in(state)
    login(client, members[role])
    response = client.get(listing.get_absolute_url())
    visible = state in PUBLIC or role in MANAGERS
    assert response.status_code == (200 if visible else 404)


@pytest.mark.parametrize("state", STATES)
def test_the_owner_always_sees_their_listing(client, state):
    listing = listing_in(state)
    client.force_login(listing.owner)
    assert client.get(listing.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_say_they_are_interested(members, role, state):
    listing = listing_in(state)
    person = members[role]
    from django.contrib.auth.models import AnonymousUser

    user = person or AnonymousUser()
    allowed = user.has_perm("exchange.express_interest", listing)
    # Django gives superusers every permission; the services still check state.
    assert allowed == (
        role == "superuser" or (person is not None and state == "available")
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", [*ROLES, "owner"])
def test_who_may_edit_withdraw_and_renew(members, role, state):
    from django.contrib.auth.models import AnonymousUser

    listing = listing_in(state)
    user = listing.owner if role == "owner" else members[role] or AnonymousUser()
    superuser = role == "superuser"
    editable = superuser or (
        role == "owner" and state in ("available", "expired", "hidden")
    )
    assert user.has_perm("exchange.change_listing", listing) == editable
    assert user.has_perm("exchange.withdraw_listing", listing) == editable
    renewable = superuser or (role == "owner" and state == "expired")
    assert user.has_perm("exchange.renew_listing", listing) == renewable


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_chooses_a_family(client, members, role):
    listing = ListingFactory()
    interest = listing.interests.create(person=member())
    login(client, members[role])
    client.post(f"/scambio/{listing.pk}/scegli/{interest.pk}/")
    assert listing.handovers.count() == 0
    client.force_login(listing.owner)
    client.post(f"/scambio/{listing.pk}/scegli/{interest.pk}/")
    assert listing.handovers.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_families_confirm_a_handover(client, members, role):
    from retefamiglie.exchange import services

    listing = ListingFactory()
    taker = member()
    interest = services.interest_create(actor=taker, listing=listing)
    handover = services.interest_choose(actor=listing.owner, interest=interest)
    login(client, members[role])
    response = client.post(f"/scambio/consegne/{handover.pk}/conferma/")
    assert response.status_code in (302, 404)
    handover.refresh_from_db()
    assert handover.giver_confirmed_at is None
    assert handover.receiver_confirmed_at is None


@pytest.mark.parametrize("role", ROLES)
def test_staff_roles_do_not_read_private_messages(client, members, role):
    from retefamiglie.exchange import services

    listing = ListingFactory()
    conversation = services.conversation_start(
        actor=member(), listing=listing, body="Privato"
    )
    login(client, members[role])
    response = client.get(conversation.get_absolute_url())
    assert response.status_code == (302 if role == "anonymous" else 404)

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.exchange import selectors, services
from retefamiglie.exchange.models import Handover, Interest, Listing
from retefamiglie.moderation import services as moderation
from retefamiglie.network.tests.factories import AreaFactory
from retefamiglie.notifications.models import Notification

from .factories import ListingFactory, member

pytestmark = pytest.mark.django_db


def offer(**kwargs):
    defaults = {
        "kind": "offer",
        "what": "good",
        "how": "give",
        "category": "baby_gear",
        "age_band": "0-1",
        "area": AreaFactory(),
        "title": "Passeggino leggero",
        "condition": "good",
    }
    return {**defaults, **kwargs}


def test_only_members_can_publish():
    with pytest.raises(PermissionDenied):
        services.listing_create(actor=UserFactory(), **offer())
    listing = services.listing_create(actor=member(), **offer())
    assert listing.status == Listing.Status.AVAILABLE
    assert listing.expires_at - listing.published_at == timedelta(days=30)


def test_joining_needs_an_adult_who_accepts_the_terms():
    person = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.member_join(user=person, adult=False, accept_terms=True)
    assert "adult" in error.value.message_dict
    member_row = services.member_join(user=person, adult=True, accept_terms=True)
    assert member_row.terms_version == "2026-12"


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Tachipirina sciroppo", "Medicines"),
        ("Latte materno congelato", "Breast milk"),
        ("Cuccioli di gatto", "Animals"),
        ("Passeggino, prezzo 20 €", "free"),
        ("Fucile ad aria compressa", "Weapons"),
    ],
)
def test_forbidden_things_are_refused_with_the_reason(title, reason):
    with pytest.raises(ValidationError) as error:
        services.listing_create(actor=member(), **offer(title=title))
    assert reason in " ".join(error.value.messages)
    assert not Listing.objects.exists()


def test_harmless_words_near_forbidden_ones_are_accepted():
    for title in ("Armadio per la cameretta", "Cane di peluche", "Pistola ad acqua"):
        services.listing_create(actor=member(), **offer(title=title))
    assert Listing.objects.count() == 3


def test_a_loan_needs_a_future_return_date():
    with pytest.raises(ValidationError) as error:
        services.listing_create(actor=member(), **offer(how="lend"))
    assert "return_by" in error.value.message_dict


def test_the_giver_chooses_only_after_the_simmer_period():
    giver, taker = member(), member()
    with time_machine.travel("2026-12-03 09:00 +01:00", tick=False):
        listing = services.listing_create(actor=giver, **offer())
        interest = services.interest_create(actor=taker, listing=listing)
        notice = Notification.objects.get(recipient=giver)
        assert notice.kind == "exchange.interest"
        assert "interessata" in notice.title
    with (
        time_machine.travel("2026-12-03 12:59 +01:00", tick=False),
        pytest.raises(ValidationError, match="simmer"),
    ):
        services.interest_choose(actor=giver, interest=interest)
    with time_machine.travel("2026-12-03 13:00 +01:00", tick=False):
        handover = services.interest_choose(actor=giver, interest=interest)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.RESERVED
    assert (handover.giver, handover.receiver) == (giver, taker)


def test_a_listing_goes_to_one_family_only():
    listing = ListingFactory()
    first = services.interest_create(actor=member(), listing=listing)
    second = services.interest_create(actor=member(), listing=listing)
    services.interest_choose(actor=listing.owner, interest=first)
    with pytest.raises(ValidationError, match="no longer available"):
        services.interest_choose(actor=listing.owner, interest=second)
    assert Handover.objects.count() == 1


def test_only_the_owner_chooses():
    listing = ListingFactory()
    interest = services.interest_create(actor=member(), listing=listing)
    with pytest.raises(PermissionDenied):
        services.interest_choose(actor=member(), interest=interest)


def test_handover_needs_both_confirmations_then_thanks_count_in_figures():
    listing = ListingFactory(category="baby_gear", age_band="0-1")
    taker = member()
    interest = services.interest_create(actor=taker, listing=listing)
    handover = services.interest_choose(actor=listing.owner, interest=interest)
    handover = services.handover_confirm(actor=listing.owner, handover=handover)
    assert handover.status == Handover.Status.RESERVED
    with pytest.raises(ValidationError):
        services.gratitude_create(actor=taker, handover=handover, text="Grazie!")
    handover = services.handover_confirm(actor=taker, handover=handover)
    assert handover.status == Handover.Status.HANDED_OVER
    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED
    with pytest.raises(PermissionDenied):
        services.gratitude_create(actor=listing.owner, handover=handover, text="x")
    services.gratitude_create(actor=taker, handover=handover, text="Grazie!")
    today = timezone.localdate()
    assert selectors.items_reused(start=today, end=today) == [
        {"category": "baby_gear", "age_band": "0-1", "items": 1, "thanked": 1}
    ]
    assert (
        selectors.items_reused(
            start=today - timedelta(days=9), end=today - timedelta(days=1)
        )
        == []
    )


def test_a_loan_is_reminded_flagged_overdue_and_returned_by_both():
    today = timezone.localdate()
    listing = ListingFactory(how="lend", return_by=today + timedelta(days=2))
    taker = member()
    interest = services.interest_create(actor=taker, listing=listing)
    handover = services.interest_choose(actor=listing.owner, interest=interest)
    services.handover_confirm(actor=listing.owner, handover=handover)
    handover = services.handover_confirm(actor=taker, handover=handover)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LENT
    reminders = Notification.objects.filter(kind="exchange.loan_reminder")
    assert services.loans_remind(today=today - timedelta(days=1)) == 0
    assert services.loans_remind(today=today) == 1
    assert {n.recipient for n in reminders} == {listing.owner, taker}
    assert "va restituito a breve" in reminders.first().title
    assert services.loans_remind(today=today) == 0  # only once
    handover.refresh_from_db()
    assert not handover.is_overdue
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        handover.refresh_from_db()
        assert handover.is_overdue
        assert services.loans_remind() == 1
        overdue = Notification.objects.get(
            kind="exchange.loan_overdue", recipient=taker
        )
        assert "in ritardo" in overdue.title
    services.return_confirm(actor=taker, handover=handover)
    handover = services.return_confirm(actor=listing.owner, handover=handover)
    assert handover.status == Handover.Status.RETURNED
    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED


def test_listings_expire_after_30_days_and_can_be_renewed():
    listing = ListingFactory()
    with time_machine.travel(listing.expires_at + timedelta(minutes=1)):
        assert services.listings_expire() == 1
        listing.refresh_from_db()
        assert listing.status == Listing.Status.EXPIRED
        assert "scaduto" in Notification.objects.get(kind="exchange.expiring").title
        services.listing_renew(actor=listing.owner, listing=listing)
        listing.refresh_from_db()
        assert listing.status == Listing.Status.AVAILABLE
        assert listing.expires_at > timezone.now() + timedelta(days=29)


def test_messages_notice_carries_no_text_and_unread_counts():
    listing = ListingFactory()
    writer = member()
    conversation = services.conversation_start(
        actor=writer, listing=listing, body="Il mio numero è 333 1234567"
    )
    notice = Notification.objects.get(kind="exchange.message")
    assert notice.recipient == listing.owner
    assert "333" not in notice.title + notice.body
    assert selectors.unread_count(user=listing.owner) == 1
    assert selectors.unread_count(user=writer) == 0
    services.conversation_mark_read(actor=listing.owner, conversation=conversation)
    assert selectors.unread_count(user=listing.owner) == 0
    services.message_send(actor=listing.owner, conversation=conversation, body="Sì")
    assert selectors.unread_count(user=writer) == 1
    again = services.conversation_start(actor=writer, listing=listing, body="Ok")
    assert again == conversation


def test_new_conversations_are_rate_limited(settings):
    settings.EXCHANGE_NEW_CONVERSATIONS_PER_DAY = 2
    writer = member()
    for _ in range(2):
        services.conversation_start(actor=writer, listing=ListingFactory(), body="Ciao")
    with pytest.raises(ValidationError, match="many conversations"):
        services.conversation_start(actor=writer, listing=ListingFactory(), body="Ciao")


def test_a_block_stops_listings_and_messages_both_ways():
    listing = ListingFactory()
    other = member()
    conversation = services.conversation_start(actor=other, listing=listing, body="Hi")
    services.block_create(actor=listing.owner, blocked=other)
    assert listing not in selectors.browse(user=other)
    assert listing in selectors.browse(user=member())
    with pytest.raises(PermissionDenied):
        services.message_send(actor=other, conversation=conversation, body="Hi")
    with pytest.raises(PermissionDenied):
        services.interest_create(actor=other, listing=listing)
    assert ListingFactory(owner=other) not in selectors.browse(user=listing.owner)


def test_a_suspended_person_cannot_take_part():
    from retefamiglie.accounts.tests.factories import CoordinatorFactory

    person = member()
    moderation.suspension_create(
        actor=CoordinatorFactory(), person=person, scope="exchange", reason="Vende"
    )
    with pytest.raises(PermissionDenied):
        services.listing_create(actor=person, **offer())
    with pytest.raises(PermissionDenied):
        services.interest_create(actor=person, listing=ListingFactory())


def test_browse_filters_and_search():
    area = AreaFactory(name="Sant'Anna", slug="santanna")
    pram = ListingFactory(title="Passeggino rosso", area=area)
    shoes = ListingFactory(
        title="Scarpe da ginnastica", category="shoes", size="27", age_band="3-6"
    )
    ListingFactory(title="Ritirato", status=Listing.Status.WITHDRAWN)
    anyone = UserFactory()
    assert list(selectors.browse(user=anyone)) == [shoes, pram]
    assert list(selectors.browse(user=anyone, q="passeggìno")) == [pram]
    assert list(selectors.browse(user=anyone, category="shoes", size="27")) == [shoes]
    assert list(selectors.browse(user=anyone, age_band="0-1")) == [pram]
    assert list(selectors.browse(user=anyone, area_id=area.pk)) == [pram]
    assert list(selectors.browse(user=anyone, new_today=True)) in ([shoes, pram], [])


def test_a_flagged_listing_is_hidden_from_browsing(settings):
    settings.MODERATION_HIDE_AFTER_FLAGS = 2
    listing = ListingFactory()
    for _ in range(2):
        moderation.flag_create(actor=member(), target=listing, reason="scam")
    assert listing not in selectors.browse(user=UserFactory())


def test_erasing_a_person_removes_open_listings_and_message_texts():
    closed = ListingFactory()
    taker = member()
    interest = services.interest_create(actor=taker, listing=closed)
    handover = services.interest_choose(actor=closed.owner, interest=interest)
    services.handover_confirm(actor=closed.owner, handover=handover)
    services.handover_confirm(actor=taker, handover=handover)
    open_listing = ListingFactory(owner=closed.owner)
    conversation = services.conversation_start(
        actor=taker, listing=open_listing, body="Segreto"
    )
    services.message_send(actor=closed.owner, conversation=conversation, body="Mio")
    services.person_erase(user=closed.owner)
    assert not Listing.objects.filter(pk=open_listing.pk).exists()
    closed.refresh_from_db()
    assert closed.title == "—"
    today = timezone.localdate()
    assert selectors.items_reused(start=today, end=today)[0]["items"] == 1
    assert Interest.objects.filter(person=taker).exists()


def test_families_not_chosen_are_told_once_the_handover_is_done():
    listing = ListingFactory()
    chosen, other = member(), member()
    interest = services.interest_create(actor=chosen, listing=listing)
    services.interest_create(actor=other, listing=listing)
    handover = services.interest_choose(actor=listing.owner, interest=interest)
    assert not Notification.objects.filter(recipient=other).exists()
    services.handover_confirm(actor=listing.owner, handover=handover)
    services.handover_confirm(actor=chosen, handover=handover)
    assert Notification.objects.get(recipient=other).kind == "exchange.not_chosen"
    assert Interest.objects.get(person=other).status == Interest.Status.NOT_CHOSEN


def test_my_data_holds_listings_interests_and_messages():
    from retefamiglie.accounts.services import user_export_data

    listing = ListingFactory(title="Body taglia 68")
    writer = member()
    services.interest_create(actor=writer, listing=listing, message="Mi serve")
    services.conversation_start(actor=writer, listing=listing, body="Quando passo?")
    mine = user_export_data(user=listing.owner)["exchange"]
    assert mine["listings"][0]["title"] == "Body taglia 68"
    theirs = user_export_data(user=writer)["exchange"]
    assert theirs["interests"][0]["message"] == "Mi serve"
    assert theirs["messages"][0]["text"] == "Quando passo?"


def test_completed_handovers_reach_the_dashboard_by_category_age_and_area():
    """The monitoring contract (ADR 0018): one fact per group of handovers
    completed in the period, in the listing's area; the section appears."""
    from retefamiglie.monitoring.indicators import all_indicators

    listing = ListingFactory(category="baby_gear", age_band="0-1")
    taker = member()
    interest = services.interest_create(actor=taker, listing=listing)
    handover = services.interest_choose(actor=listing.owner, interest=interest)
    handover = services.handover_confirm(actor=listing.owner, handover=handover)
    services.handover_confirm(actor=taker, handover=handover)
    now = timezone.now()
    area = listing.area.slug if listing.area else ""
    assert list(
        selectors.monitoring_facts(start=now - timedelta(hours=1), end=now)
    ) == [
        (
            "items_reused",
            area,
            {"category": ("baby_gear",), "age_band": ("0-1",)},
            1,
        )
    ]
    assert (
        list(
            selectors.monitoring_facts(
                start=now - timedelta(days=9), end=now - timedelta(days=1)
            )
        )
        == []
    )
    assert selectors.monitoring_labels("age_band")["0-1"]
    assert "items_reused" in {indicator.key for indicator in all_indicators()}

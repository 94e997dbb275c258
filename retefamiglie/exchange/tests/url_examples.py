"""Examples of the URL parameters of the exchange's patterns (tests/wholesite)."""

from typing import Any

from retefamiglie.exchange import services
from retefamiglie.exchange.models import Photo

from .factories import ListingFactory, MemberFactory, member


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    family = people["family"]
    MemberFactory(user=family)
    listing = ListingFactory(owner=family)
    other = member()
    interest = services.interest_create(actor=other, listing=listing)
    handover = services.interest_choose(actor=family, interest=interest)
    conversation = services.conversation_start(
        actor=other, listing=listing, body="Ciao"
    )
    photo = Photo.objects.create(
        listing=listing,
        description="Un passeggino",
        image="exchange/esempio.jpg",
        thumbnail="exchange/esempio-mini.jpg",
    )
    listing_pk = {"pk": listing.pk}
    handover_pk = {"pk": handover.pk}
    return {
        "exchange:detail": listing_pk,
        "exchange:edit": listing_pk,
        "exchange:photos_add": listing_pk,
        "exchange:photo_delete": {"pk": photo.pk},
        "exchange:withdraw": listing_pk,
        "exchange:renew": listing_pk,
        "exchange:interest": listing_pk,
        "exchange:interest_withdraw": listing_pk,
        "exchange:choose": {**listing_pk, "interest_id": interest.pk},
        "exchange:handover_confirm": handover_pk,
        "exchange:handover_cancel": handover_pk,
        "exchange:return_confirm": handover_pk,
        "exchange:thank": handover_pk,
        "exchange:write": listing_pk,
        "exchange:block": {"pk": other.pk},
        "exchange:unblock": {"pk": other.pk},
        "exchange:conversation": {"pk": conversation.pk},
    }

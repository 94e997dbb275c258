from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.navigation import NavItem
from retefamiglie.notifications.kinds import SearchScope

from .notices import KINDS


class ExchangeConfig(AppConfig):
    name = "retefamiglie.exchange"
    label = "exchange"
    verbose_name = _("Exchange")
    navigation = [
        NavItem("exchange:list", _("Exchange"), place="main", order=40),
        NavItem(
            "exchange:list", _("Exchange between families"), place="footer", order=40
        ),
        NavItem(
            "exchange:mine", _("My listings and exchanges"), place="profile", order=20
        ),
        NavItem("exchange:conversations", _("Messages"), place="profile", order=21),
    ]
    notification_kinds = KINDS
    # ADR 13 and 27: a person saves the filters of /scambio/ (exchange.announce).
    saved_search_scopes = [
        SearchScope("exchange.listings", "exchange:list", _("Exchange listings"))
    ]
    # ADR 16: what people can flag, and where a coordinator can suspend them from.
    flaggable = ["exchange.Listing", "exchange.Message", "exchange.ExchangeMember"]
    suspension_scopes = {"exchange": _("the exchange")}

    def export_personal_data(self, user) -> dict:
        from .models import ExchangeMember, Interest, Listing, Message

        member = ExchangeMember.objects.filter(user=user).first()
        return {
            "member": {
                "adult_confirmed_at": member.adult_confirmed_at.isoformat(),
                "terms_version": member.terms_version,
                "terms_accepted_at": member.terms_accepted_at.isoformat(),
            }
            if member
            else None,
            "listings": [
                {
                    "id": listing.pk,
                    "kind": listing.kind,
                    "what": listing.what,
                    "how": listing.how,
                    "category": listing.category,
                    "fits_age_band": listing.age_band,
                    "title": listing.title,
                    "description": listing.description,
                    "area": listing.area.name,
                    "status": listing.status,
                    "published_at": listing.published_at.isoformat(),
                    "photos": [photo.description for photo in listing.photos.all()],
                }
                for listing in Listing.objects.filter(owner=user)
                .select_related("area")
                .prefetch_related("photos")
            ],
            "interests": [
                {
                    "listing": interest.listing_id,
                    "message": interest.message,
                    "status": interest.status,
                    "at": interest.created_at.isoformat(),
                }
                for interest in Interest.objects.filter(person=user)
            ],
            "messages": [
                {
                    "conversation": message.conversation_id,
                    "listing": message.conversation.listing_id,
                    "at": message.created_at.isoformat(),
                    "text": message.body,
                }
                for message in Message.objects.filter(sender=user).select_related(
                    "conversation"
                )
            ],
        }

    def erase_personal_data(self, user) -> None:
        from .services import person_erase

        person_erase(user=user)

    def seed_demo(self, write) -> None:
        from .demo import seed

        seed(write)

"""Examples of the URL parameters of the directory's patterns (tests/wholesite)."""

from typing import Any

from .factories import BookingFactory, EventFactory, LocationFactory, ServiceFactory


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    service = ServiceFactory(organisation=organisation)
    event = EventFactory(organisation=organisation, booking_enabled=True, capacity=9)
    booking = BookingFactory(event=event)
    place = LocationFactory(organisation=organisation)
    return {
        "directory:service": {"slug": service.slug},
        "directory:service_flyer": {"slug": service.slug},
        "directory:event_ics": {"slug": event.slug},
        "directory:event": {"slug": event.slug},
        "directory:book": {"slug": event.slug},
        "directory:booking_confirm": {"token": booking.token},
        "directory:booking": {"token": booking.token},
        "directory:booking_cancel": {"token": booking.token},
        "directory:service_edit": {"slug": service.slug},
        "directory:event_edit": {"slug": event.slug},
        "directory:listing_action": {"kind": "servizi", "slug": service.slug},
        "directory:event_bookings": {"slug": event.slug},
        "directory:event_bookings_csv": {"slug": event.slug},
        "directory:location_edit": {"pk": place.pk},
    }

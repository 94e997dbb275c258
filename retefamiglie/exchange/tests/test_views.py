from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.core.testing import assert_constant_queries
from retefamiglie.core.tests.test_images import photo_with_gps
from retefamiglie.exchange import services
from retefamiglie.exchange.models import Interest, Listing, Photo
from retefamiglie.moderation import selectors as moderation_selectors
from retefamiglie.moderation import services as moderation
from retefamiglie.network.tests.factories import AreaFactory
from retefamiglie.notifications.models import Notification

from .factories import ListingFactory, member

pytestmark = pytest.mark.django_db


def jpeg_upload(name="passeggino.jpg"):
    return SimpleUploadedFile(
        name, photo_with_gps().getvalue(), content_type="image/jpeg"
    )


def form_data(**kwargs):
    area = AreaFactory(name="Sant'Anna", slug="santanna")
    data = {
        "kind": "offer",
        "what": "good",
        "how": "give",
        "title": "Passeggino leggero",
        "category": "baby_gear",
        "age_band": "0-1",
        "condition": "good",
        "description": "Chiamatemi al 333 123 4567 o scrivete a giulia@example.org",
        "area": area.pk,
        "photo_description": "Un passeggino blu",
    }
    return {**data, **kwargs}


def test_publishing_with_two_photos_strips_their_exif_and_masks_contacts(client):
    giulia = member(user__display_name="Giulia")
    client.force_login(giulia)
    response = client.post(
        "/en/scambio/nuovo/",
        {**form_data(), "photos": [jpeg_upload(), jpeg_upload("altra.jpg")]},
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == listing.get_absolute_url()
    photos = list(listing.photos.all())
    assert len(photos) == 2
    for photo in photos:
        with default_storage.open(photo.image.name) as stored:
            image = Image.open(BytesIO(stored.read()))
            assert dict(image.getexif()) == {}
            assert max(image.size) <= 1600
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "333 123 4567" not in page
    assert "giulia@example.org" not in page
    assert "contact hidden" in page
    assert "Un passeggino blu" in page


def test_a_listing_for_medicine_is_refused_and_keeps_what_was_typed(client):
    client.force_login(member())
    response = client.post(
        "/en/scambio/nuovo/",
        form_data(title="Tachipirina sciroppo", description="Mai aperta"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Medicines cannot be exchanged" in html
    assert "Tachipirina sciroppo" in html
    assert "Mai aperta" in html
    assert not Listing.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(client):
    client.force_login(member())
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 nope", content_type="image/jpeg")
    response = client.post("/en/scambio/nuovo/", {**form_data(), "photos": [fake]})
    assert response.status_code == 200
    assert "does not look like a JPG file" in response.content.decode()
    assert not Listing.objects.exists()


def test_a_person_who_has_not_joined_is_asked_to_join_first(client):
    client.force_login(UserFactory())
    response = client.get("/scambio/nuovo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/scambio/partecipa/")
    client.post("/en/scambio/partecipa/?next=/scambio/nuovo/", {"accept_terms": "on"})
    assert client.get("/scambio/nuovo/").status_code == 302  # not an adult yet
    response = client.post(
        "/en/scambio/partecipa/",
        {"adult": "on", "accept_terms": "on", "next": "/scambio/nuovo/"},
    )
    assert response["Location"] == "/scambio/nuovo/"
    assert client.get("/scambio/nuovo/").status_code == 200


def test_the_whole_exchange_through_the_pages(client, settings):
    listing = ListingFactory(published_at=timezone.now())
    giver = listing.owner
    first, second = member(), member()
    for person in (first, second):
        client.force_login(person)
        client.post(f"/scambio/{listing.pk}/interesse/", {"message": "Mi serve!"})
    assert listing.interests.count() == 2
    client.force_login(giver)
    interest = Interest.objects.get(person=first)
    response = client.post(f"/en/scambio/{listing.pk}/scegli/{interest.pk}/")
    assert listing.handovers.count() == 0  # simmering
    page = client.get(response["Location"]).content.decode()
    assert "Let it simmer" in page
    Listing.objects.filter(pk=listing.pk).update(
        published_at=timezone.now() - timedelta(hours=5)
    )
    client.post(f"/scambio/{listing.pk}/scegli/{interest.pk}/")
    handover = listing.handovers.get()
    client.post(f"/scambio/consegne/{handover.pk}/conferma/")
    client.force_login(first)
    client.post(f"/scambio/consegne/{handover.pk}/conferma/")
    client.post(f"/scambio/consegne/{handover.pk}/grazie/", {"text": "Grazie mille!"})
    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED
    assert "Grazie mille!" in client.get(f"/scambio/{listing.pk}/").content.decode()


def test_two_families_write_to_each_other_with_unread_counts(client):
    listing = ListingFactory()
    writer = member()
    client.force_login(writer)
    response = client.post(f"/scambio/{listing.pk}/scrivi/", {"body": "Ciao!"})
    conversation_url = response["Location"]
    client.force_login(listing.owner)
    inbox = client.get("/en/messaggi/").content.decode()
    assert "1 unread" in inbox
    assert "Ciao!" in client.get(conversation_url).content.decode()
    # The header always names unread notifications; the inbox badge is gone.
    assert "badge bg-primary ms-1" not in client.get("/en/messaggi/").content.decode()
    client.post(conversation_url, {"body": "Quando passi?"})
    client.force_login(writer)
    assert "1 unread" in client.get("/en/messaggi/").content.decode()
    stranger = member()
    client.force_login(stranger)
    assert client.get(conversation_url).status_code == 404


def test_a_flagged_listing_is_hidden_and_a_coordinator_restores_it(
    client, settings, members
):
    settings.MODERATION_HIDE_AFTER_FLAGS = 2
    listing = ListingFactory(title="Passeggino sospetto")
    for person in (members["family"], members["org_editor"]):
        client.force_login(person)
        client.post(
            f"/segnala/exchange/listing/{listing.pk}/", {"reason": "scam", "note": "?"}
        )
    client.force_login(members["family"])
    assert "Passeggino sospetto" not in client.get("/scambio/").content.decode()
    assert client.get(listing.get_absolute_url()).status_code == 404
    client.force_login(listing.owner)
    assert "hidden" in client.get(f"/en/scambio/{listing.pk}/").content.decode()
    coordinator = members["coordinator"]
    client.force_login(coordinator)
    case = moderation_selectors.case_for(target=listing)
    queue = client.get("/gestione/moderazione/").content.decode()
    assert "Passeggino sospetto" in queue
    client.post(
        f"/gestione/moderazione/{case.pk}/decisione/",
        {"outcome": "restore", "reason": "Verificato"},
    )
    client.force_login(members["family"])
    assert "Passeggino sospetto" in client.get("/scambio/").content.decode()


def test_a_coordinator_suspends_a_person_who_is_told_why(client, members):
    person = member()
    listing = ListingFactory(owner=person)
    moderation.flag_create(actor=members["family"], target=listing, reason="scam")
    case = moderation_selectors.case_for(target=listing)
    client.force_login(members["coordinator"])
    client.post(
        f"/gestione/moderazione/{case.pk}/sospendi/",
        {"scope": "exchange", "reason": "Chiede denaro"},
    )
    client.force_login(person)
    assert client.get("/scambio/nuovo/").status_code == 403
    page = client.get("/en/scambio/").content.decode()
    assert "You are suspended from the exchange" in page
    assert "Chiede denaro" in page


def test_listing_page_keeps_a_constant_number_of_queries(client):
    client.force_login(member())

    def make_rows(count):
        for _ in range(count):
            listing = ListingFactory()
            services.photo_add(
                actor=listing.owner,
                listing=listing,
                upload=photo_with_gps(size=(200, 150)),
                description="foto",
            )

    assert_constant_queries(client, "/scambio/", make_rows)


def test_conversations_and_my_pages_keep_a_constant_number_of_queries(client):
    person = member()
    client.force_login(person)

    def make_rows(count):
        for _ in range(count):
            listing = ListingFactory(owner=person)
            services.conversation_start(actor=member(), listing=listing, body="Ciao")

    assert_constant_queries(client, "/messaggi/", make_rows)
    assert_constant_queries(client, "/scambio/miei/", make_rows)


def test_search_filters_from_the_query_string(client):
    ListingFactory(title="Scarpe rosse", category="shoes", size="27", age_band="3-6")
    ListingFactory(title="Passeggino")
    html = client.get("/scambio/?q=scarpe&categoria=shoes&eta=3-6&taglia=27").content
    assert b"Scarpe rosse" in html
    assert b"Passeggino" not in html


def test_a_coordinator_sees_hidden_and_withdrawn_listings():
    listing = ListingFactory(status=Listing.Status.WITHDRAWN)
    assert CoordinatorFactory().has_perm("exchange.view_listing", listing)
    assert not member().has_perm("exchange.view_listing", listing)
    assert Photo.objects.count() == 0


def test_contacts_typed_into_a_title_are_masked_wherever_others_read_it(client):
    """Titles, sizes and photo captions hide phone numbers and e-mail addresses
    on the list, the listing, the messages and in notices, as descriptions do."""
    owner = member()
    listing = ListingFactory(
        owner=owner,
        title="Passeggino, chiama 333 123 4567 o giulia@example.org",
        category="shoes",
        size="3331234567",
    )
    services.photo_add(
        actor=owner,
        listing=listing,
        upload=photo_with_gps(size=(200, 150)),
        description="Scrivete a giulia@example.org",
    )
    other = member()
    services.interest_create(actor=other, listing=listing, message="")
    services.conversation_start(actor=other, listing=listing, body="Ciao")
    client.force_login(other)
    for url in (
        "/en/scambio/",
        "/en/scambio/?q=passeggino",
        listing.get_absolute_url(),
        "/en/messaggi/",
        listing.conversations.get().get_absolute_url(),
        f"/en/scambio/{listing.pk}/scrivi/",
    ):
        page = client.get(url, follow=True).content.decode()
        assert "Passeggino, chiama" in page, url
        assert "333 123 4567" not in page, url
        assert "3331234567" not in page, url
        assert "giulia@example.org" not in page, url
        assert "contact hidden" in page, url
    notices = Notification.objects.filter(recipient=owner)
    assert notices.exists()
    for notice in notices:
        assert "333 123 4567" not in notice.title + notice.body
        assert "giulia@example.org" not in notice.title + notice.body

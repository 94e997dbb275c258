"""Condividimi as families use it, on a 360 px phone, in Italian and in English.

Giulia offers a pram with two photos (their EXIF gone); two families say they
are interested; after the simmer period she chooses one; they write to each
other; both confirm the handover; the receiver thanks her in public. A loan is
returned after a reminder. A listing for medicine is refused. A flagged listing
is hidden and a coordinator restores it. Every page: axe-core and the Nu checker.
"""

import os
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from retefamiglie.accounts.tests.factories import CoordinatorFactory
from retefamiglie.core.tests.test_images import photo_with_gps
from retefamiglie.exchange import services
from retefamiglie.exchange.models import Handover, Listing
from retefamiglie.exchange.tests.factories import ListingFactory, member
from retefamiglie.network.tests.factories import AreaFactory
from retefamiglie.notifications.models import Notification

from .helpers import check, field_label, open_as, tick

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": {
        "new": "Publish a listing",
        "title": "Title",
        "category": "Category",
        "age": "Fits children aged",
        "condition": "Condition (things)",
        "description": "Description",
        "area": "Area",
        "photos": "Photos (up to 5)",
        "photo_text": "What the photos show",
        "publish": "Publish",
        "interested": "I'm interested",
        "message": "A short message to the family (optional)",
        "simmer": "Let it simmer",
        "choose": "Choose",
        "write": "Write to the family",
        "body": "Your message",
        "send": "Send",
        "confirm": "Confirm the handover",
        "thanks": "Your thank-you (public)",
        "publish_thanks": "Publish the thank-you",
        "confirm_return": "Confirm the return",
        "medicine": "Medicines cannot be exchanged",
        "flag": "Flag to the coordinators",
        "scam": "Scam or request for money",
        "send_flag": "Send the flag",
        "restore": "Restore: it can be seen again",
        "reason": "Reason (kept in the history)",
        "record": "Record the decision",
        "unread": "1 unread",
        "overdue": "Overdue",
    },
    "it": {
        "new": "Pubblica un annuncio",
        "title": "Titolo",
        "category": "Categoria",
        "age": "Adatto a bambini di",
        "condition": "Condizioni (oggetti)",
        "description": "Descrizione",
        "area": "Zona",
        "photos": "Foto (fino a 5)",
        "photo_text": "Cosa mostrano le foto",
        "publish": "Pubblica",
        "interested": "Mi interessa",
        "message": "Un breve messaggio alla famiglia (facoltativo)",
        "simmer": "Lascia decantare",
        "choose": "Scegli",
        "write": "Scrivi alla famiglia",
        "body": "Il tuo messaggio",
        "send": "Invia",
        "confirm": "Conferma la consegna",
        "thanks": "Il tuo ringraziamento (pubblico)",
        "publish_thanks": "Pubblica il ringraziamento",
        "confirm_return": "Conferma la restituzione",
        "medicine": "I farmaci non si possono scambiare",
        "flag": "Segnala ai referenti",
        "scam": "Truffa o richiesta di denaro",
        "send_flag": "Invia la segnalazione",
        "restore": "Ripristina: torna visibile",
        "reason": "Motivo (resta nella cronologia)",
        "record": "Registra la decisione",
        "unread": "1 non letto",
        "overdue": "In ritardo",
    },
}


def shot(page, name: str) -> None:
    """A full-page screenshot when E2E_SCREENSHOT_DIR is set, to look at the pages."""
    directory = os.environ.get("E2E_SCREENSHOT_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(directory) / f"exchange-{name}.png", full_page=True)


def jpeg(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": photo_with_gps().read()}


@pytest.mark.parametrize("language", ["it", "en"])
def test_families_give_lend_and_thank_on_a_phone(browser, live_server, language):
    words = WORDS[language]
    prefix = "" if language == "it" else "/en"
    area = AreaFactory(name="Sant'Anna", slug="santanna")
    giulia = member(user__display_name="Giulia")
    anna, luca = member(user__display_name="Anna"), member(user__display_name="Luca")

    def phone(person):
        return open_as(browser, live_server, person, viewport="phone")

    # Giulia offers a pram with two photos.
    page, log = phone(giulia)
    page.goto(f"{prefix}/scambio/nuovo/")
    check(page, log)
    shot(page, f"{language}-new")
    page.get_by_label(field_label(words["title"])).fill("Passeggino leggero")
    page.get_by_label(field_label(words["category"])).select_option("baby_gear")
    page.get_by_label(field_label(words["age"])).select_option("0-1")
    page.get_by_label(field_label(words["condition"])).select_option("good")
    page.get_by_label(field_label(words["description"])).fill(
        "Si chiude con una mano. Chiamatemi al 333 123 4567."
    )
    page.get_by_label(field_label(words["area"])).select_option(label=area.name)
    page.get_by_label(field_label(words["photos"])).set_input_files(
        [jpeg("uno.jpg"), jpeg("due.jpg")]
    )
    page.get_by_label(field_label(words["photo_text"])).fill("Un passeggino blu")
    page.get_by_role("button", name=words["publish"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passeggino leggero")
    check(page, log)
    expect(page.get_by_text("333 123 4567")).to_have_count(0)
    listing = Listing.objects.get()
    assert listing.photos.count() == 2
    for photo in listing.photos.all():
        with default_storage.open(photo.image.name) as stored:
            assert dict(Image.open(BytesIO(stored.read())).getexif()) == {}
    expect(page.get_by_role("img", name="Un passeggino blu")).to_have_count(2)

    # Two families say they are interested.
    for person, note in (
        (anna, "Ci servirebbe tanto!"),
        (luca, "Interessa anche a noi"),
    ):
        other, other_log = phone(person)
        other.goto(f"{prefix}/scambio/")
        check(other, other_log)
        other.get_by_role("link", name="Passeggino leggero").click()
        check(other, other_log)
        other.get_by_label(field_label(words["message"])).fill(note)
        other.get_by_role("button", name=words["interested"]).click()
        check(other, other_log)
        other.context.close()

    # During the simmer period she cannot choose yet; afterwards she can.
    page.reload()
    expect(page.get_by_text(words["simmer"])).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(words["choose"]))).to_have_count(
        0
    )
    check(page, log)
    Listing.objects.filter(pk=listing.pk).update(
        published_at=timezone.now() - timedelta(hours=5)
    )
    page.reload()
    shot(page, f"{language}-choose")
    page.get_by_role("button", name=f"{words['choose']} Anna").click()
    check(page, log)
    assert Listing.objects.get().status == Listing.Status.RESERVED

    # Anna writes; Giulia reads it among her messages and answers.
    anna_page, anna_log = phone(anna)
    anna_page.goto(
        listing.get_absolute_url() if not prefix else f"/en{listing.get_absolute_url()}"
    )
    anna_page.get_by_role("link", name=words["write"]).click()
    check(anna_page, anna_log)
    anna_page.get_by_label(field_label(words["body"])).fill("Passo sabato alle 10?")
    anna_page.get_by_role("button", name=words["send"], exact=True).click()
    expect(anna_page.get_by_text("Passo sabato alle 10?")).to_be_visible()
    check(anna_page, anna_log)
    page.goto(f"{prefix}/messaggi/")
    expect(page.get_by_text(words["unread"])).to_be_visible()
    check(page, log)
    page.get_by_role("link", name="Passeggino leggero").click()
    check(page, log)
    page.get_by_label(field_label(words["body"])).fill("Perfetto, a sabato!")
    page.get_by_role("button", name=words["send"], exact=True).click()
    expect(page.get_by_text("Perfetto, a sabato!")).to_be_visible()
    shot(page, f"{language}-conversation")

    # Both confirm the handover; Anna thanks Giulia in public.
    page.goto(f"{prefix}/scambio/{listing.pk}/")
    page.get_by_role("button", name=words["confirm"]).click()
    check(page, log)
    anna_page.goto(f"{prefix}/scambio/{listing.pk}/")
    anna_page.get_by_role("button", name=words["confirm"]).click()
    check(anna_page, anna_log)
    anna_page.get_by_label(field_label(words["thanks"])).fill(
        "Grazie Giulia, il passeggino è perfetto!"
    )
    anna_page.get_by_role("button", name=words["publish_thanks"]).click()
    expect(anna_page.get_by_text("il passeggino è perfetto")).to_be_visible()
    check(anna_page, anna_log)
    shot(anna_page, f"{language}-thanked")
    anna_page.goto(f"{prefix}/scambio/")
    shot(anna_page, f"{language}-list")
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.CLOSED

    # A loan comes back after a reminder.
    today = timezone.localdate()
    cot = ListingFactory(
        owner=giulia,
        title="Lettino da campeggio",
        how="lend",
        category="furniture",
        return_by=today + timedelta(days=2),
    )
    interest = services.interest_create(actor=anna, listing=cot)
    handover = services.interest_choose(actor=giulia, interest=interest)
    services.handover_confirm(actor=giulia, handover=handover)
    services.handover_confirm(actor=anna, handover=handover)
    assert services.loans_remind(today=today) == 1
    assert Notification.objects.filter(
        kind="exchange.loan_reminder", recipient=anna
    ).exists()
    anna_page.goto(f"{prefix}/scambio/{cot.pk}/")
    check(anna_page, anna_log)
    anna_page.get_by_role("button", name=words["confirm_return"]).click()
    check(anna_page, anna_log)
    page.goto(f"{prefix}/scambio/{cot.pk}/")
    page.get_by_role("button", name=words["confirm_return"]).click()
    check(page, log)
    assert Handover.objects.get(pk=handover.pk).status == Handover.Status.RETURNED

    # A listing for medicine is refused, and what she typed stays.
    page.goto(f"{prefix}/scambio/nuovo/")
    page.get_by_label(field_label(words["title"])).fill("Tachipirina sciroppo")
    page.get_by_label(field_label(words["category"])).select_option("other")
    page.get_by_label(field_label(words["area"])).select_option(label=area.name)
    page.get_by_label(field_label(words["condition"])).select_option("new")
    page.get_by_role("button", name=words["publish"], exact=True).click()
    expect(page.get_by_text(words["medicine"])).to_be_visible()
    expect(page.get_by_label(field_label(words["title"]))).to_have_value(
        "Tachipirina sciroppo"
    )
    check(page, log)
    assert Listing.objects.filter(title__startswith="Tachipirina").count() == 0
    page.context.close()


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_flagged_listing_is_hidden_until_a_coordinator_restores_it(
    browser, live_server, settings, language
):
    settings.MODERATION_HIDE_AFTER_FLAGS = 1
    words = WORDS[language]
    prefix = "" if language == "it" else "/en"
    listing = ListingFactory(title="Seggiolino auto")
    family = member()
    page, log = open_as(browser, live_server, family, viewport="phone")
    page.goto(f"{prefix}/scambio/{listing.pk}/")
    page.get_by_role("link", name=words["flag"]).click()
    check(page, log)
    tick(page.get_by_label(words["scam"]))
    page.get_by_role("button", name=words["send_flag"]).click()
    check(page, log)
    page.goto(f"{prefix}/scambio/")
    expect(page.get_by_role("link", name="Seggiolino auto")).to_have_count(0)
    check(page, log)

    coordinator = CoordinatorFactory()
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={}
    )
    staff, staff_log = open_as(browser, live_server, coordinator, viewport="phone")
    staff.goto(f"{prefix}/gestione/moderazione/")
    check(staff, staff_log)
    staff.get_by_role("link", name="Seggiolino auto").click()
    check(staff, staff_log)
    shot(staff, f"{language}-case")
    tick(staff.get_by_label(words["restore"]))
    staff.get_by_label(field_label(words["reason"])).fill("Annuncio regolare")
    staff.get_by_role("button", name=words["record"]).click()
    expect(staff.get_by_text("Annuncio regolare")).to_be_visible()
    check(staff, staff_log)

    page.goto(f"{prefix}/scambio/")
    expect(page.get_by_role("link", name="Seggiolino auto")).to_be_visible()
    check(page, log)


SAVE = {
    "en": {
        "save": "Save this search",
        "button": "Save the search",
        "name": "Name of the search",
        "when": "Tell me about new results",
        "saved": "Search saved",
    },
    "it": {
        "save": "Salva questa ricerca",
        "button": "Salva la ricerca",
        "name": "Nome della ricerca",
        "when": "Avvisami dei nuovi risultati",
        "saved": "Ricerca salvata",
    },
}


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_family_saves_a_search_and_hears_of_a_new_listing(
    browser, live_server, language
):
    """Anna saves "passeggino" from the list on her phone; when Giulia publishes
    a pram with her phone number in the title, Anna finds it in her notices,
    the number hidden."""
    words = SAVE[language]
    prefix = "" if language == "it" else "/en"
    area = AreaFactory(name="Sant'Anna", slug="santanna")
    anna = member(user__display_name="Anna")
    page, log = open_as(browser, live_server, anna, viewport="phone")
    page.goto(f"{prefix}/scambio/?q=passeggino")
    check(page, log)
    page.get_by_role("link", name=words["save"]).click()
    check(page, log)
    page.get_by_label(field_label(words["name"])).fill("Passeggini")
    page.get_by_label(field_label(words["when"])).select_option("immediate")
    page.get_by_role("button", name=words["button"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    check(page, log)
    assert anna.saved_searches.get().query.startswith("q=passeggino")

    services.listing_create(
        actor=member(user__display_name="Giulia"),
        kind="offer",
        what="good",
        how="give",
        category="baby_gear",
        age_band="0-1",
        condition="good",
        area=area,
        title="Passeggino blu, 333 123 4567",
    )
    page.goto(f"{prefix}/account/notifiche/")
    notice = page.get_by_role("link", name=re.compile("Passeggino blu"))
    expect(notice).to_be_visible()
    expect(page.get_by_text("333 123 4567")).to_have_count(0)
    check(page, log)
    notice.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Passeggino blu")
    check(page, log)

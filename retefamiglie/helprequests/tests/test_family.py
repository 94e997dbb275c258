"""The family side: asking for help and following the request by its private link."""

import re
import uuid

import pytest
from django.core import mail

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.helprequests import services
from retefamiglie.helprequests.forms import HelpRequestForm
from retefamiglie.helprequests.models import Activity, HelpRequest, Outcome
from retefamiglie.helprequests.tests.factories import (
    HelpRequestFactory,
    ReferralFactory,
)
from retefamiglie.helprequests.tokens import make_token
from retefamiglie.network.tests.factories import AreaFactory, StaffFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = "Mio figlio fa fatica con i compiti di matematica dopo la scuola."


def form_data(**overrides) -> dict:
    data = {
        "kinds": ["school", "childcare"],
        "description": DESCRIPTION,
        "children_0_2": "",
        "children_3_5": "",
        "children_6_10": "2",
        "children_11_13": "1",
        "children_14_17": "",
        "area": "",
        "contact_method": "email",
        "contact_phone": "",
        "contact_email": "famiglia.rossi@example.org",
        "contact_name": "",
        "contact_times": "",
        "language": "it",
        "urgency": "normal",
        "accept_privacy": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def status_url(help_request: HelpRequest, prefix: str = "") -> str:
    return f"{prefix}/aiuto/stato/{make_token(help_request.public_id)}/"


def without_per_request_values(html: str) -> str:
    """A page's HTML without the CSP nonce and CSRF token, which change each time."""
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


@pytest.fixture
def coordinator():
    return CoordinatorFactory(email="referente@example.org")


# The form -----------------------------------------------------------------------


def test_form_page_shows_emergency_numbers_and_privacy_link(client):
    response = client.get("/aiuto/")
    assert response.status_code == 200
    html = response.content.decode()
    for number in ("112", "114", "1522"):
        assert f'href="tel:{number}"' in html
    assert 'href="/privacy/"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]
    assert html.count("<h1") == 1


def test_sending_the_form_creates_the_request_and_opens_its_private_link(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    area = AreaFactory(name="Sant'Anna")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/aiuto/",
            form_data(
                area=str(area.pk),
                contact_name="Maria",
                contact_times="dopo le 18",
                needs_interpreter="on",
                language="ar",
                urgency="high",
            ),
        )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == status_url(help_request, "/en")
    assert (
        help_request.consent_version == settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"]
    )
    assert help_request.consent_at is not None
    assert help_request.kinds == ["school", "childcare"]
    assert help_request.description == DESCRIPTION
    assert help_request.children == {"6-10": 2, "11-13": 1}
    assert help_request.area == area
    assert help_request.contact_email == "famiglia.rossi@example.org"
    assert help_request.contact_name == "Maria"
    assert help_request.language == "ar"
    assert help_request.needs_interpreter is True
    assert help_request.urgency == "high"
    assert help_request.family is None
    assert help_request.status == HelpRequest.Status.NEW

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["famiglia.rossi@example.org", "referente@example.org"]
    family_mail = next(m for m in mail.outbox if m.to == [help_request.contact_email])
    assert make_token(help_request.public_id) in family_mail.body

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "This page is your private link" in html
    assert "We have also sent the link to your e-mail address" in html
    assert help_request.reference in html


def test_without_email_the_message_does_not_mention_one(client, coordinator):
    response = client.post(
        "/en/aiuto/",
        form_data(contact_method="sms", contact_email="", contact_phone="333 1234567"),
        follow=True,
    )
    help_request = HelpRequest.objects.get()
    assert help_request.contact_phone == "333 1234567"
    html = response.content.decode()
    assert "This page is your private link" in html
    assert "We have also sent the link" not in html


def test_logged_in_family_gets_its_email_prefilled_and_owns_the_request(client):
    family = UserFactory(email="genitore@example.org")
    client.force_login(family)
    page = client.get("/aiuto/")
    assert 'value="genitore@example.org"' in page.content.decode()

    client.post("/aiuto/", form_data(contact_email="genitore@example.org"))
    assert HelpRequest.objects.get().family == family


def test_email_is_required_when_chosen_and_nothing_typed_is_lost(client):
    response = client.post(
        "/aiuto/", form_data(contact_email="", contact_name="Giulia")
    )
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    html = response.content.decode()
    assert DESCRIPTION in html
    assert 'value="Giulia"' in html
    assert 'id="id_contact_email_error"' in html
    assert 'aria-describedby="id_contact_email_helptext id_contact_email_error"' in html


@pytest.mark.parametrize("method", ["phone", "sms"])
def test_phone_is_required_for_a_call_or_a_text(client, method):
    response = client.post(
        "/aiuto/", form_data(contact_method=method, contact_email="")
    )
    assert response.status_code == 200
    assert 'id="id_contact_phone_error"' in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_a_kind_of_help_and_the_privacy_consent_are_required(client):
    response = client.post("/aiuto/", form_data(kinds=[], accept_privacy=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_kinds_error"' in html
    assert 'id="id_accept_privacy_error"' in html
    assert not HelpRequest.objects.exists()


def test_the_form_asks_children_only_as_counts_per_age_band(client):
    """No field for a child's name, school or photo: only a number per age band."""
    form = HelpRequestForm()
    children = [name for name in form.fields if name.startswith("children")]
    assert len(children) == 5
    for name in children:
        assert form.fields[name].widget.input_type == "number"
    named = [name for name in form.fields if "name" in name]
    assert named == ["contact_name"]

    client.post(
        "/aiuto/", form_data(child_name="Luca", children_3_5="12", children_6_10="1")
    )
    assert not HelpRequest.objects.exists()  # 12 is over the maximum of 9
    client.post("/aiuto/", form_data(child_name="Luca"))
    help_request = HelpRequest.objects.get()
    assert "Luca" not in str(help_request.children)
    assert set(help_request.children) <= {"0-2", "3-5", "6-10", "11-13", "14-17"}


@pytest.mark.parametrize("language", ["lis", "other"])
def test_a_family_may_speak_sign_language_or_a_language_not_listed(client, language):
    """The family's languages are the catalogue's, sign language included, and
    "Another language" for one not listed."""
    client.post("/aiuto/", form_data(language=language))
    assert HelpRequest.objects.get().language == language


# Abuse protection --------------------------------------------------------------


def test_honeypot_filled_is_refused_without_saving(client, coordinator):
    page = client.get("/aiuto/").content.decode()
    assert 'class="hp-field" aria-hidden="true"' in page
    assert 'name="website"' in page
    assert 'tabindex="-1"' in page
    response = client.post("/en/aiuto/", form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    assert mail.outbox == []
    html = response.content.decode()
    assert "could not be sent" in html
    assert DESCRIPTION in html


def test_too_many_requests_from_one_address_are_refused_keeping_the_text(
    client, settings
):
    settings.HELPREQUESTS_LIMIT_PER_IP_PER_HOUR = 2
    for n in range(2):
        response = client.post(
            "/aiuto/",
            form_data(contact_email=f"famiglia{n}@example.org"),
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
    response = client.post(
        "/en/aiuto/",
        form_data(contact_email="altra@example.org"),
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 429
    assert HelpRequest.objects.count() == 2
    html = response.content.decode()
    assert "Too many requests" in html
    assert DESCRIPTION in html
    assert 'value="altra@example.org"' in html

    other = client.post(
        "/aiuto/",
        form_data(contact_email="altra@example.org"),
        REMOTE_ADDR="198.51.100.1",
    )
    assert other.status_code == 302
    assert HelpRequest.objects.count() == 3


@pytest.mark.parametrize(
    ("first", "again"),
    [
        (
            {"contact_email": "Stessa@Example.org"},
            {"contact_email": "stessa@example.org"},
        ),
        (
            {
                "contact_method": "phone",
                "contact_email": "",
                "contact_phone": "333 12 34 567",
            },
            {
                "contact_method": "sms",
                "contact_email": "",
                "contact_phone": "+39 333 1234567",
            },
        ),
    ],
)
def test_too_many_requests_with_one_contact_are_refused(client, settings, first, again):
    settings.HELPREQUESTS_LIMIT_PER_CONTACT_PER_DAY = 1
    assert (
        client.post(
            "/aiuto/", form_data(**first), REMOTE_ADDR="203.0.113.1"
        ).status_code
        == 302
    )
    response = client.post("/aiuto/", form_data(**again), REMOTE_ADDR="203.0.113.2")
    assert response.status_code == 429
    assert HelpRequest.objects.count() == 1
    assert DESCRIPTION in response.content.decode()

    response = client.post(
        "/aiuto/",
        form_data(contact_email="diversa@example.org"),
        REMOTE_ADDR="203.0.113.3",
    )
    assert response.status_code == 302


# The private status page -------------------------------------------------------


def test_status_page_shows_state_steps_and_the_family_timeline(client, coordinator):
    client.post("/aiuto/", form_data(kinds=["school"]))
    help_request = HelpRequest.objects.get()
    staff = StaffFactory(
        organisation__name="Associazione Il Ponte", user__email="operatrice@ponte.org"
    )
    organisation = staff.organisation
    services.request_triage(
        actor=coordinator, help_request=help_request, kinds=["school"], urgency="high"
    )
    services.note_add(
        actor=coordinator, help_request=help_request, body="Nota interna riservata"
    )
    [referral] = services.request_refer(
        actor=coordinator,
        help_request=help_request,
        organisations=[organisation],
        note="Nota per l'associazione",
    )
    services.referral_accept(actor=staff.user, referral=referral)
    help_request.refresh_from_db()
    services.message_to_family(
        actor=staff.user, help_request=help_request, body="Ci vediamo martedì alle 17."
    )
    services.message_to_family(
        actor=coordinator, help_request=help_request, body="Tutto bene?"
    )
    services.family_reply(help_request=help_request, body="Grazie, va bene martedì.")

    response = client.get(status_url(help_request, "/en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert help_request.reference in html
    assert "Someone in the network is helping you" in html
    assert 'aria-current="step"' in html
    assert "We received your request" in html
    assert (
        "Your request has been sent to a member of the network who can help: "
        "Associazione Il Ponte." in html
    )
    assert "Associazione Il Ponte has taken on your request" in html
    assert "Message from Associazione Il Ponte" in html
    assert "Ci vediamo martedì alle 17." in html
    assert "Message from the coordinator of the network" in html
    assert "Grazie, va bene martedì." in html
    # Internal steps and staff identities never reach the family.
    assert "Nota interna riservata" not in html
    assert "Nota per l&#x27;associazione" not in html
    assert "Nota per l'associazione" not in html
    assert "operatrice@ponte.org" not in html
    assert "referente@example.org" not in html
    assert '<meta name="robots" content="noindex">' in html


def current_step(html: str) -> str:
    item = re.search(r'aria-current="step">(.*?)</li>', html, re.DOTALL)[1]
    return (
        re.sub(r"<[^>]+>|\s+", " ", item).split("Now:")[-1].split("Done:")[-1].strip()
    )


def test_progress_shows_the_current_step_and_skips_steps_never_reached(client):
    referral = ReferralFactory()
    url = status_url(referral.request, "/en")
    html = client.get(url).content.decode()
    assert current_step(html) == "Sent to who can help"
    assert html.count("Done:") == 2
    assert "Skipped:" not in html

    withdrawn = HelpRequestFactory()
    services.request_withdraw(help_request=withdrawn)
    html = client.get(status_url(withdrawn, "/en")).content.decode()
    assert current_step(html) == "Closed"
    assert html.count("Done:") == 2  # sent, closed
    assert html.count("Skipped:") == 3


def test_a_declined_referral_reaches_the_family_without_the_reason(client, coordinator):
    referral = ReferralFactory()
    services.referral_decline(
        actor=coordinator, referral=referral, reason="Motivo riservato"
    )
    html = client.get(status_url(referral.request, "/en")).content.decode()
    assert "could not take on your request" in html
    assert "Motivo riservato" not in html


def test_closed_request_shows_its_outcome_in_words(client, coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.ACCEPTED)
    services.request_close(
        actor=coordinator,
        help_request=help_request,
        outcome=Outcome.RESOLVED,
        body="Buona fortuna con la scuola!",
    )
    html = client.get(status_url(help_request, "/en")).content.decode()
    assert "Your request has been closed. Outcome: Resolved." in html
    assert "Buona fortuna con la scuola!" in html
    assert "%(outcome)s" not in html
    assert 'action="/en/aiuto/stato/' not in html  # no reply or withdraw form


def test_status_page_is_never_stored_by_caches(client):
    help_request = HelpRequestFactory()
    response = client.get(status_url(help_request))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"


def test_a_wrong_link_answers_exactly_like_a_missing_request(client):
    help_request = HelpRequestFactory()
    token = make_token(help_request.public_id)
    public_id, signature = token.split(".")
    last = "A" if signature[-1] != "A" else "B"
    wrong_links = [
        # a tampered signature
        f"/aiuto/stato/{public_id}.{signature[:-1]}{last}/",
        # another id with this request's signature
        f"/aiuto/stato/{uuid.uuid4().hex}.{signature}/",
        # no signature at all
        f"/aiuto/stato/{public_id}/",
        "/aiuto/stato/non-esiste/",
    ]

    def page(url: str) -> tuple[int, str]:
        response = client.get(url)
        # The language switcher links to the page itself: the only expected change.
        html = response.content.decode().replace(url, "URL")
        return response.status_code, without_per_request_values(html)

    # a well-signed link to a request that does not exist
    missing = page(f"/aiuto/stato/{make_token(uuid.uuid4())}/")
    assert missing[0] == 404
    for url in wrong_links:
        assert page(url) == missing, url
    # ... and it is the site's own 404 page.
    site_404 = client.get("/questa-pagina-non-esiste/").content.decode()
    main = re.compile(r"<main.*</main>", re.DOTALL)
    assert main.search(missing[1])[0] == main.search(site_404)[0]
    assert client.get(f"/aiuto/stato/{token}/").status_code == 200


# Replying and withdrawing ------------------------------------------------------


def test_family_reply_adds_a_message_and_tells_who_is_helping(
    client, coordinator, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(status="accepted", request__status="accepted")
    staff = StaffFactory(organisation=referral.organisation)
    help_request = referral.request
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{status_url(help_request)}rispondi/",
            {"body": "Possiamo sentirci domani?"},
        )
    assert response.status_code == 302
    assert response["Location"] == status_url(help_request)
    message = Activity.objects.get(
        request=help_request, kind=Activity.Kind.MESSAGE_FROM_FAMILY
    )
    assert message.body == "Possiamo sentirci domani?"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [coordinator.email, staff.user.email]
    )
    assert "Possiamo sentirci domani?" not in mail.outbox[0].body
    html = client.get(response["Location"]).content.decode()
    assert "Possiamo sentirci domani?" in html


def test_an_empty_reply_is_refused(client):
    help_request = HelpRequestFactory()
    response = client.post(f"{status_url(help_request)}rispondi/", {"body": "  "})
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()
    assert not Activity.objects.filter(kind=Activity.Kind.MESSAGE_FROM_FAMILY).exists()


def test_withdraw_needs_confirmation(client):
    help_request = HelpRequestFactory()
    response = client.post(
        f"{status_url(help_request)}ritira/", {"reason": "Risolto da sola"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_confirm_error"' in html
    assert "Risolto da sola" in html
    help_request.refresh_from_db()
    assert help_request.is_open


def test_withdraw_closes_the_request_and_removes_the_reply_form(
    client, coordinator, django_capture_on_commit_callbacks
):
    help_request = HelpRequestFactory()
    url = status_url(help_request)
    assert f'action="{url}rispondi/"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{url}ritira/", {"confirm": "on", "reason": "Ho trovato aiuto"}
        )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.WITHDRAWN
    assert help_request.outcome == Outcome.WITHDRAWN
    assert help_request.closed_at is not None
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    html = client.get(url).content.decode()
    assert f'action="{url}rispondi/"' not in html
    assert f'action="{url}ritira/"' not in html
    assert "Ho trovato aiuto" in html

    late = client.post(f"{url}rispondi/", {"body": "Ancora una cosa"})
    assert late.status_code == 200
    assert not Activity.objects.filter(kind=Activity.Kind.MESSAGE_FROM_FAMILY).exists()


# A family with an account ------------------------------------------------------


def test_my_requests_lists_only_the_familys_own(client):
    family = UserFactory()
    mine = HelpRequestFactory(family=family)
    theirs = HelpRequestFactory(family=UserFactory())
    anonymous = HelpRequestFactory()
    client.force_login(family)
    response = client.get("/aiuto/le-mie-richieste/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert mine.reference in html
    assert theirs.reference not in html
    assert anonymous.reference not in html


def test_my_requests_needs_an_account(client):
    response = client.get("/aiuto/le-mie-richieste/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_my_request_opens_the_private_link_of_the_familys_own_request(client):
    family = UserFactory()
    mine = HelpRequestFactory(family=family)
    theirs = HelpRequestFactory(family=UserFactory())
    client.force_login(family)
    response = client.get(f"/aiuto/le-mie-richieste/{mine.public_id}/")
    assert response.status_code == 302
    assert response["Location"] == status_url(mine)
    assert client.get(f"/aiuto/le-mie-richieste/{theirs.public_id}/").status_code == 404
    assert client.get(f"/aiuto/le-mie-richieste/{uuid.uuid4()}/").status_code == 404


def test_replies_are_limited_per_hour_and_the_text_is_kept(client):
    from retefamiglie.helprequests.views.family import REPLIES_PER_HOUR

    help_request = HelpRequestFactory()
    url = status_url(help_request, "/en") + "rispondi/"
    for number in range(REPLIES_PER_HOUR):
        client.post(url, {"body": f"Messaggio {number}"})
    response = client.post(url, {"body": "Ancora uno"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "many messages in the last hour" in html
    assert "Ancora uno" in html
    assert help_request.activities.filter(kind="message_from_family").count() == (
        REPLIES_PER_HOUR
    )


def test_the_profile_page_leads_to_my_help_requests(client):
    from retefamiglie.accounts.tests.factories import UserFactory

    family = UserFactory()
    client.force_login(family)
    html = client.get("/en/account/profilo/").content.decode()
    assert 'href="/en/aiuto/le-mie-richieste/"' in html
    assert "My help requests" in html

"""notify(): what is stored, who receives what, by which channel, and when."""

import pytest
from django.core import mail
from django.db import transaction

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.notifications import sms
from retefamiglie.notifications.kinds import Frequency
from retefamiglie.notifications.models import Delivery, Notification, Suppression
from retefamiglie.notifications.services import (
    Contact,
    notify,
    preferences_update,
)

pytestmark = pytest.mark.django_db
LINK = "http://127.0.0.1:8000/aiuto/stato/abc/"


def test_immediate_kind_is_stored_and_emailed_after_commit(
    django_capture_on_commit_callbacks,
):
    giulia = UserFactory(email="giulia@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(
            recipient=giulia, kind="tests.answer", context={"link": LINK}
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert notification.title == "Il mio profilo: answer"
    assert notification.is_unread
    assert [m.to for m in mail.outbox] == [["giulia@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Il mio profilo: answer"
    assert LINK in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/account/notifiche/disiscriviti/"
    )


def test_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    giulia = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipient=giulia, kind="tests.answer", context={"link": LINK})
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_notice_is_written_in_the_persons_language(django_capture_on_commit_callbacks):
    giulia = UserFactory()
    preferences_update(user=giulia, frequencies={}, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=giulia, kind="tests.answer", context={"link": LINK})
    assert mail.outbox[0].subject == "My profile: answer"
    assert "/en/account/notifiche/disiscriviti/" in mail.outbox[0].body


def test_batchable_kind_waits_for_the_weekly_digest_by_default(
    django_capture_on_commit_callbacks,
):
    giulia = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=giulia, kind="tests.listing", context={"title": "Judo"})
    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.frequency) == ("batched", "weekly")
    assert Notification.objects.get().title == "New: Judo"


@pytest.mark.parametrize(
    ("frequency", "emails", "batched"),
    [
        (Frequency.IMMEDIATE, 1, None),
        (Frequency.DAILY, 0, "daily"),
        (Frequency.WEEKLY, 0, "weekly"),
        (Frequency.NEVER, 0, None),
    ],
)
def test_each_frequency_routes_the_email(
    django_capture_on_commit_callbacks, frequency, emails, batched
):
    giulia = UserFactory()
    preferences_update(user=giulia, frequencies={"tests.answer": frequency})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=giulia, kind="tests.answer", context={"link": LINK})
    assert len(mail.outbox) == emails
    assert list(
        Delivery.objects.filter(status="batched").values_list("frequency", flat=True)
    ) == ([batched] if batched else [])
    # The centre always has it, whatever the e-mail choice.
    assert Notification.objects.filter(recipient=giulia).count() == 1


def test_essential_kind_ignores_never_and_has_no_unsubscribe(
    django_capture_on_commit_callbacks,
):
    giulia = UserFactory()
    preferences_update(user=giulia, frequencies={"tests.confirm": Frequency.NEVER})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=giulia, kind="tests.confirm", context={"link": LINK})
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_inactive_person_gets_nothing(django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(recipient=gone, kind="tests.answer", context={}) is None
    assert mail.outbox == []


def test_same_key_notifies_once(django_capture_on_commit_callbacks):
    giulia = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=giulia, kind="tests.answer", key="request:1:answer")
        second = notify(recipient=giulia, kind="tests.answer", key="request:1:answer")
    assert first == second
    assert len(mail.outbox) == 1


def test_address_without_account_gets_a_transactional_email(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient="famiglia@example.org",
            kind="tests.listing",
            context={"title": "Judo", "link": LINK},
        )
    # Batchable or not, someone without an account is told at once.
    assert notification.recipient is None
    assert [m.to for m in mail.outbox] == [["famiglia@example.org"]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_unsubscribed_address_is_not_emailed_again_but_essentials_are(
    django_capture_on_commit_callbacks,
):
    Suppression.objects.create(email="famiglia@example.org", kind="tests.listing")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            notify(recipient="famiglia@example.org", kind="tests.listing", context={})
            is None
        )
        notify(recipient="famiglia@example.org", kind="tests.confirm", context={})
    assert [m.subject for m in mail.outbox] == ["Confirm your booking"]


def test_family_who_chose_sms_gets_a_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=Contact(phone="+39 333 1234567", sms=True),
            kind="tests.sms",
            context={"link": LINK},
        )
    assert [(m.to, m.body) for m in sms.outbox] == [
        ("+39 333 1234567", f"Answer ready: {LINK}")
    ]
    assert mail.outbox == []


def test_phone_without_sms_choice_is_not_texted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            notify(recipient=Contact(phone="+39 333 1234567"), kind="tests.sms") is None
        )
    assert sms.outbox == []


def test_sms_without_its_own_template_is_the_title_and_link(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=Contact(email="f@example.org", phone="333", sms=True),
            kind="tests.answer",
            context={"link": LINK},
        )
    assert sms.outbox[0].body == f"Il mio profilo: answer\n{LINK}"
    assert len(mail.outbox) == 1


def test_unknown_kind_is_refused():
    from retefamiglie.notifications.kinds import UnknownKindError

    with pytest.raises(UnknownKindError):
        notify(recipient=UserFactory(), kind="tests.nothing")

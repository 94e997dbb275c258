"""Deliveries: sent once however often the worker runs; failures retried."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.notifications import delivery as delivery_module
from retefamiglie.notifications.delivery import BACKOFF_MINUTES, send_delivery
from retefamiglie.notifications.models import Delivery
from retefamiglie.notifications.services import deliveries_send_due, notify

pytestmark = pytest.mark.django_db


def _pending_delivery():
    """A notice stored but not yet sent (its transaction has not committed)."""
    notify(recipient=UserFactory(email="giulia@example.org"), kind="tests.answer")
    return Delivery.objects.get()


def test_running_the_worker_twice_sends_once():
    delivery = _pending_delivery()
    assert send_delivery(delivery.pk) == "sent"
    assert send_delivery(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_periodic_run_after_the_task_sends_nothing_more(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=UserFactory(), kind="tests.answer")
        deliveries_send_due()
        deliveries_send_due()
    assert len(mail.outbox) == 1


class FlakyMailer:
    def __init__(self, failures):
        self.failures = failures

    def __call__(self, payload):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("SMTP server unreachable")
        mail.outbox.append(payload)
        return 1


def test_failure_is_retried_with_backoff_then_sent_once(monkeypatch):
    monkeypatch.setattr(delivery_module, "deliver", FlakyMailer(failures=2))
    delivery = _pending_delivery()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert send_delivery(delivery.pk) == "failed"
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        assert delivery.next_attempt_at == start + timedelta(minutes=BACKOFF_MINUTES[0])
        assert "SMTP server unreachable" in delivery.last_error
        # Not due yet: a worker running now leaves it.
        assert send_delivery(delivery.pk) == "skipped"
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert send_delivery(delivery.pk) == "failed"
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == timezone.now() + timedelta(
            minutes=BACKOFF_MINUTES[1]
        )
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        assert send_delivery(delivery.pk) == "sent"
        assert send_delivery(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")


def test_gives_up_after_the_last_backoff(monkeypatch):
    monkeypatch.setattr(delivery_module, "deliver", FlakyMailer(failures=99))
    delivery = _pending_delivery()
    moment = timezone.now()
    for _attempt in BACKOFF_MINUTES:
        with time_machine.travel(moment, tick=False):
            send_delivery(delivery.pk)
        moment += timedelta(days=1)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None
    assert mail.outbox == []


def test_periodic_run_enqueues_due_retries(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery_module, "deliver", FlakyMailer(failures=1))
    delivery = _pending_delivery()
    send_delivery(delivery.pk)
    assert deliveries_send_due() == 0  # not yet due
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert deliveries_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(mail.outbox) == 1


def test_worker_that_died_while_sending_is_not_resent():
    delivery = _pending_delivery()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert deliveries_send_due() == 0
    assert send_delivery(delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert mail.outbox == []

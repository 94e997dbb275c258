"""Digests across a week: once per period, nothing when nothing is new, resumable."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.notifications import digests
from retefamiglie.notifications.kinds import Frequency
from retefamiglie.notifications.models import Delivery, Digest
from retefamiglie.notifications.services import notify, preferences_update

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
# Monday 30 November 2026; the weekly digest leaves on Thursdays at 7:00.
MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ROME)


def at(day: int, hour: int) -> dt.datetime:
    return MONDAY.replace(hour=hour) + dt.timedelta(days=day)


def listing(user, title, when, capture):
    with time_machine.travel(when, tick=False), capture(execute=True):
        notify(recipient=user, kind="tests.listing", context={"title": title})


def run(frequency, when, capture):
    with time_machine.travel(when, tick=False), capture(execute=True):
        return digests.digests_send(frequency=frequency)


def test_daily_digest_across_a_week(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    giulia = UserFactory(email="giulia@example.org")
    preferences_update(user=giulia, frequencies={"tests.listing": Frequency.DAILY})

    listing(giulia, "Judo for children", at(0, 9), capture)
    listing(giulia, "Story time", at(0, 15), capture)
    # The 18:00 run is after 7:00: Monday's digest leaves with both.
    assert run(Frequency.DAILY, at(0, 18), capture) == 1
    [monday] = mail.outbox
    assert monday.to == ["giulia@example.org"]
    assert monday.subject == "Il tuo riepilogo del giorno: 2 novità"
    assert "Judo for children" in monday.body
    assert "Story time" in monday.body
    assert monday.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )

    # A second run the same day sends nothing; what comes later waits.
    listing(giulia, "Swimming", at(0, 20), capture)
    assert run(Frequency.DAILY, at(0, 21), capture) == 0
    # Tuesday before 7:00: not yet.
    assert run(Frequency.DAILY, at(1, 6), capture) == 0
    assert run(Frequency.DAILY, at(1, 7), capture) == 1
    assert "Swimming" in mail.outbox[-1].body
    assert "Judo" not in mail.outbox[-1].body
    # Wednesday to Sunday: nothing new, no e-mail.
    for day in range(2, 7):
        assert run(Frequency.DAILY, at(day, 8), capture) == 0
    assert len(mail.outbox) == 2


def test_weekly_digest_leaves_once_a_week_on_its_day(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    giulia = UserFactory()
    listing(giulia, "Judo", at(0, 9), capture)  # weekly is the default
    listing(giulia, "Chess club", at(2, 9), capture)
    for day in range(3):  # Monday to Wednesday
        assert run(Frequency.WEEKLY, at(day, 10), capture) == 0
    assert run(Frequency.WEEKLY, at(3, 7), capture) == 1  # Thursday 7:00
    [weekly] = mail.outbox
    assert weekly.subject == "Il tuo riepilogo della settimana: 2 novità"
    listing(giulia, "Football", at(4, 9), capture)
    for day in range(4, 7):
        assert run(Frequency.WEEKLY, at(day, 10), capture) == 0
    # The next Thursday carries what came after the last one.
    assert run(Frequency.WEEKLY, at(10, 8), capture) == 1
    assert "Football" in mail.outbox[-1].body
    assert "Judo" not in mail.outbox[-1].body
    # Nothing new the week after: nothing sent.
    assert run(Frequency.WEEKLY, at(17, 8), capture) == 0
    assert len(mail.outbox) == 2


def test_nobody_with_nothing_new_gets_a_digest(django_capture_on_commit_callbacks):
    UserFactory.create_batch(3)
    assert run(Frequency.WEEKLY, at(3, 8), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_run_that_dies_halfway_sends_the_rest_next_time(
    django_capture_on_commit_callbacks, monkeypatch
):
    capture = django_capture_on_commit_callbacks
    families = UserFactory.create_batch(4)
    for family in families:
        listing(family, "Judo", at(0, 9), capture)
    monkeypatch.setattr(digests, "CHUNK", 1)
    made = digests._make_digests
    calls = {"n": 0}

    def dies_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return made(*args, **kwargs)

    monkeypatch.setattr(digests, "_make_digests", dies_on_the_third)
    with pytest.raises(SystemExit):
        run(Frequency.WEEKLY, at(3, 8), capture)
    assert len(mail.outbox) == 2
    monkeypatch.setattr(digests, "_make_digests", made)
    assert run(Frequency.WEEKLY, at(3, 9), capture) == 2
    assert run(Frequency.WEEKLY, at(3, 10), capture) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f.email for f in families)


def test_one_click_unsubscribe_from_the_digest(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    giulia = UserFactory()
    listing(giulia, "Judo", at(0, 9), capture)
    run(Frequency.WEEKLY, at(3, 8), capture)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = Client().post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    listing(giulia, "Chess", at(4, 9), capture)
    assert run(Frequency.WEEKLY, at(10, 8), capture) == 0
    assert len(mail.outbox) == 1
    # The notice is still in the centre; only the e-mail stopped.
    assert giulia.notifications.count() == 2
    assert not Delivery.objects.filter(status="batched").exists()

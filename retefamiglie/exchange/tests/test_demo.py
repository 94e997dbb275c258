import pytest
from django.core.management import call_command

from retefamiglie.exchange.models import Conversation, Gratitude, Listing, Photo
from retefamiglie.moderation.models import Case

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_exchange_once():
    call_command("seed_demo")
    assert Listing.objects.count() == 30
    assert Listing.objects.values("area").distinct().count() >= 5
    assert Listing.objects.filter(status=Listing.Status.RESERVED).count() >= 2
    assert Listing.objects.filter(status=Listing.Status.LENT).count() >= 2
    assert Listing.objects.filter(status=Listing.Status.CLOSED).count() >= 5
    assert Gratitude.objects.count() >= 5
    assert Conversation.objects.count() == 2
    assert Photo.objects.exists()
    assert Case.objects.filter(status=Case.Status.OPEN).count() == 1
    call_command("seed_demo")
    assert Listing.objects.count() == 30

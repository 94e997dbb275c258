import pytest
from django.core import mail

from retefamiglie.notifications import kinds, sms
from retefamiglie.notifications.kinds import Kind, Urgency

TEST_TEMPLATES = {
    "tests/answer.txt": (
        "{% load i18n %}{% translate 'My profile' %}: answer"
        "\nRead it on the platform: {{ link }}"
    ),
    "tests/listing.txt": "New: {{ title }}\nSee {{ link }}",
    "tests/confirm.txt": "Confirm your booking\nOpen {{ link }} to confirm.",
    "tests/sms.txt": "Answer ready: {{ link }}",
}
TEST_KINDS = [
    Kind("tests.answer", "An answer to your request", template="tests/answer.txt"),
    Kind(
        "tests.listing",
        "New listings",
        template="tests/listing.txt",
        urgency=Urgency.BATCHABLE,
    ),
    Kind(
        "tests.confirm",
        "Booking confirmation link",
        template="tests/confirm.txt",
        essential=True,
    ),
    Kind(
        "tests.sms",
        "Answer by SMS",
        template="tests/answer.txt",
        sms_template="tests/sms.txt",
    ),
    Kind(
        "tests.staff",
        "A new request to handle",
        template="tests/listing.txt",
        audience="staff",
    ),
]


@pytest.fixture(autouse=True)
def test_kinds(settings, monkeypatch):
    """Kinds and templates of an imaginary app, beside the real ones."""
    engine = dict(settings.TEMPLATES[0])
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", TEST_TEMPLATES),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    engine["APP_DIRS"] = False
    settings.TEMPLATES = [engine]
    real = dict(kinds.registry())
    combined = {**real, **{kind.name: kind for kind in TEST_KINDS}}
    monkeypatch.setattr(kinds, "registry", lambda: combined)
    sms.outbox.clear()
    mail.outbox.clear()
    yield combined
    sms.outbox.clear()

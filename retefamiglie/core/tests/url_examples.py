"""Examples of the URL parameters of core's patterns (tests/wholesite)."""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from retefamiglie.core.testing import sample_file


def url_examples(organisation: Any, people: dict[str, Any]) -> dict[str, dict]:
    name = default_storage.save("esempi/verbale.pdf", ContentFile(sample_file("pdf")))
    return {"media": {"path": name}}

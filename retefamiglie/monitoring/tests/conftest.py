import datetime as dt
import zoneinfo

import pytest
import time_machine

ROME = zoneinfo.ZoneInfo("Europe/Rome")
# Mid-November 2026: the month is November, the quarter Q4, the year 2026.
NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=ROME)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _forget_kept_downloads():
    """Kept downloads live in the default storage (in memory in tests, shared by
    every test of the process): each test starts without them."""
    from django.core.files.storage import default_storage

    from retefamiglie.monitoring.downloads import FOLDER

    def clear() -> None:
        try:
            _folders, files = default_storage.listdir(FOLDER)
        except FileNotFoundError:
            return
        for name in files:
            default_storage.delete(f"{FOLDER}/{name}")

    clear()
    yield
    clear()

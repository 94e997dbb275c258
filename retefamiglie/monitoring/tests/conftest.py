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

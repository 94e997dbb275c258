"""The shared vocabularies: children's age bands, the exchange's bands, languages."""

import pytest
from django.utils import translation

from retefamiglie.core.vocabularies import (
    AgeBand,
    FitsAgeBand,
    Language,
    age_bands_overlapping,
    language_choices,
    language_name,
)


def test_childrens_bands_cover_every_age_to_17_once():
    ages = [age for band in AgeBand for age in range(band.years[0], band.years[1] + 1)]
    assert ages == list(range(18))


@pytest.mark.parametrize(
    ("first", "last", "bands"),
    [
        (0, 0, ("0-2",)),
        (2, 3, ("0-2", "3-5")),
        (6, 10, ("6-10",)),
        (12, None, ("11-13", "14-17")),
        (18, 25, ()),
    ],
)
def test_an_age_range_meets_the_bands_it_shares_an_age_with(first, last, bands):
    assert age_bands_overlapping(first, last) == bands


def test_the_exchanges_bands_stop_before_their_last_age():
    assert [band.years for band in FitsAgeBand] == [
        (0, 0),
        (1, 2),
        (3, 5),
        (6, 10),
        (11, 13),
        (14, None),
    ]


def test_each_exchange_band_lies_in_one_childrens_band():
    assert {band.value: band.age_band.value for band in FitsAgeBand} == {
        "0-1": "0-2",
        "1-3": "0-2",
        "3-6": "3-5",
        "6-11": "6-10",
        "11-14": "11-13",
        "14+": "14-17",
    }


def test_another_language_is_offered_only_where_asked_and_named_everywhere():
    assert "other" not in Language.values
    assert "lis" in Language.values
    assert [code for code, _ in language_choices()] == Language.values
    assert [code for code, _ in language_choices(other=True)][-1] == "other"
    assert language_name("lis") == "LIS (Lingua dei segni italiana)"
    with translation.override("en"):
        assert language_name("other") == "Another language"
    assert language_name("xx") == "xx"

from datetime import UTC, datetime

from backend.core.localtime import DATE_TIME, local_time


def test_a_utc_instant_reads_on_the_sites_clock_with_its_abbreviation():
    # given 05:14 UTC on a winter night
    moment = datetime(2026, 1, 15, 5, 14, tzinfo=UTC)
    # then New York reads it as 00:14 EST and Denver as 22:14 MST the day before
    assert local_time(moment, "America/New_York") == "00:14 EST"
    assert local_time(moment, "America/Denver", DATE_TIME) == "2026-01-14 22:14 MST"


def test_summer_time_changes_the_abbreviation():
    assert local_time(datetime(2026, 7, 1, 4, 0, tzinfo=UTC), "America/New_York") == "00:00 EDT"


def test_an_unknown_or_missing_zone_falls_back_to_utc():
    moment = datetime(2026, 1, 15, 5, 14, tzinfo=UTC)
    assert local_time(moment, "Mars/Olympus") == "05:14 UTC"
    assert local_time(moment, None) == "05:14 UTC"

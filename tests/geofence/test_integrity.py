"""Integrity evidence: impossible travel, mock locations, a phone lying still, time away from post."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from geofence.fixes import Fix, haversine_m
from geofence.integrity import (
    ImpossibleTravel,
    MockLocation,
    OutOfPosition,
    impossible_travel,
    longest_stillness,
    mock_locations,
    out_of_position,
)
from geofence.presence import Interval
from tests.geofence import geometry as geo

T0 = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


def fix_at(seconds: float, point: geo.LonLat, accuracy_m: float = 8.0, *, mock: bool = False) -> Fix:
    return Fix(
        recorded_at=T0 + timedelta(seconds=seconds), lon=point[0], lat=point[1], accuracy_m=accuracy_m, is_mock=mock
    )


def test_haversine_measures_metres():
    assert float(haversine_m(*geo.INSIDE_CENTER, *geo.OUTSIDE_50M)) == pytest.approx(150.0, rel=5e-3)


def test_a_30km_jump_in_a_minute_is_impossible_travel():
    # given a guard on post, then a fix 30 km away a minute later
    far = geo.offset(geo.INSIDE_CENTER, 30_000.0, 0.0)
    fixes = [fix_at(0, geo.INSIDE_CENTER), fix_at(60, far), fix_at(3600, far)]
    # when speeds are checked
    findings = impossible_travel(fixes)
    # then the jump is reported with its evidence
    assert len(findings) == 1
    finding = findings[0]
    assert finding.code == ImpossibleTravel.code == "IMPOSSIBLE_TRAVEL"
    assert (finding.from_fix, finding.to_fix) == (fixes[0], fixes[1])
    assert finding.distance_m == pytest.approx(30_000.0, rel=5e-3)
    assert finding.seconds == 60.0
    assert finding.speed_mps == pytest.approx(500.0, rel=5e-3)


def test_gps_noise_within_the_accuracy_circles_is_not_travel():
    # 80 m apart in 1 s, but each fix claims 40 m accuracy: they may be the same place
    fixes = [fix_at(0, geo.INSIDE_CENTER, 40.0), fix_at(1, geo.offset(geo.INSIDE_CENTER, 80.0, 0.0), 40.0)]
    assert impossible_travel(fixes) == []


def test_driving_between_sites_is_plausible():
    # 3 km in 3 minutes: 60 km/h
    fixes = [fix_at(0, geo.INSIDE_CENTER), fix_at(180, geo.offset(geo.INSIDE_CENTER, 3000.0, 0.0))]
    assert impossible_travel(fixes) == []


def test_mock_and_inaccurate_fixes_are_not_used_for_speed():
    far = geo.offset(geo.INSIDE_CENTER, 30_000.0, 0.0)
    fixes = [fix_at(0, geo.INSIDE_CENTER), fix_at(60, far, mock=True), fix_at(120, far, 500.0)]
    assert impossible_travel(fixes) == []


def test_mock_fixes_are_listed_in_time_order():
    fixes = [
        fix_at(120, geo.INSIDE_CENTER, mock=True),
        fix_at(60, geo.INSIDE_CENTER),
        fix_at(0, geo.INSIDE_CENTER, mock=True),
    ]
    assert mock_locations(fixes) == [MockLocation(fixes[2]), MockLocation(fixes[0])]
    assert MockLocation.code == "MOCK_LOCATION"


def wobble(k: int, metres: float) -> tuple[float, float]:
    """A fixed wobble of up to `metres`, like GPS noise on a still phone (deterministic)."""
    return metres * math.sin(1.3 * k), metres * math.cos(0.7 * k)


def test_a_phone_lying_still_for_two_hours_is_found():
    # given 30 minutes of patrol, 2 hours on a desk (5 m GPS noise), then patrol again
    patrol = [fix_at(60 * k, geo.offset(geo.INSIDE_CENTER, -90.0 + 6.0 * k, 0.0)) for k in range(30)]
    desk_point = geo.offset(geo.INSIDE_CENTER, 40.0, 40.0)
    desk = [fix_at(1800 + 60 * k, geo.offset(desk_point, *wobble(k, 5.0))) for k in range(121)]
    later = [fix_at(9060 + 60 * k, geo.offset(geo.INSIDE_CENTER, 0.0, -90.0 + 6.0 * k)) for k in range(30)]
    # when the longest still span is sought
    still = longest_stillness(patrol + desk + later)
    # then it is the desk's two hours
    assert still is not None
    assert still.code == "INACTIVITY"
    assert still.start == T0 + timedelta(seconds=1800)
    assert still.duration == timedelta(hours=2)
    assert still.fix_count == 121


def test_a_silence_ends_a_still_span():
    # given a phone at one spot, silent for 30 minutes in the middle
    fixes = [fix_at(60 * k, geo.INSIDE_CENTER) for k in range(30)]
    fixes += [fix_at(3600 + 60 * k, geo.INSIDE_CENTER) for k in range(45)]
    # then the silence could hide a walk: the longest span is the 44 minutes after it
    still = longest_stillness(fixes)
    assert still is not None
    assert still.duration == timedelta(minutes=44)


def test_a_walking_guard_is_never_still_for_long():
    walk = [fix_at(30 * k, geo.offset(geo.INSIDE_CENTER, 0.0, 20.0 * k)) for k in range(100)]
    assert longest_stillness(walk) is None


def test_stillness_needs_two_usable_fixes():
    assert longest_stillness([fix_at(0, geo.INSIDE_CENTER)]) is None


def test_out_of_position_keeps_outside_intervals_longer_than_allowed():
    intervals = [
        Interval(T0, T0 + timedelta(minutes=60), "inside"),
        Interval(T0 + timedelta(minutes=60), T0 + timedelta(minutes=70), "outside"),
        Interval(T0 + timedelta(minutes=70), T0 + timedelta(minutes=90), "inside"),
        Interval(T0 + timedelta(minutes=90), T0 + timedelta(minutes=130), "outside"),
        Interval(T0 + timedelta(minutes=130), T0 + timedelta(minutes=200), "no_signal"),
    ]
    findings = out_of_position(intervals, allowed=timedelta(minutes=15))
    assert findings == [
        OutOfPosition(start=T0 + timedelta(minutes=90), end=T0 + timedelta(minutes=130), allowed=timedelta(minutes=15))
    ]
    assert findings[0].duration == timedelta(minutes=40)

"""Presence timelines from breadcrumb fixes: hysteresis, dwell, signal gaps, mock fixes."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geofence.classify import PreparedFence
from geofence.fixes import Fix
from geofence.presence import Interval, PresencePolicy, presence_timeline
from tests.geofence import geometry as geo

SHIFT_START = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
EVERY = timedelta(seconds=30)
SQUARE = PreparedFence(geo.SITE_SQUARE, near_buffer_m=25)


def minutes(m: float) -> timedelta:
    return timedelta(minutes=m)


def track(start: datetime, legs: list[tuple[timedelta, geo.LonLat, float]], *, mock: bool = False) -> list[Fix]:
    """Fixes every 30 s: each leg stays at one point for a while, wobbling by a few metres."""
    fixes: list[Fix] = []
    t = start
    for duration, point, accuracy in legs:
        leg_end = t + duration
        while t < leg_end:
            k = len(fixes)
            # A fixed +-3 m wobble, like a phone in a pocket (deterministic, not random).
            lon, lat = geo.offset(point, 3.0 * math.sin(k), 3.0 * math.cos(1.7 * k))
            fixes.append(Fix(recorded_at=t, lon=lon, lat=lat, accuracy_m=accuracy, is_mock=mock))
            t += EVERY
    return fixes


def timeline_of(fixes: list[Fix], hours: float = 4.0, policy: PresencePolicy | None = None):
    return presence_timeline(
        scheduled_start=SHIFT_START,
        scheduled_end=SHIFT_START + timedelta(hours=hours),
        fixes=fixes,
        fence=SQUARE,
        policy=policy,
    )


def test_guard_on_post_all_shift_is_covered_fully():
    timeline = timeline_of(track(SHIFT_START, [(timedelta(hours=4), geo.INSIDE_CENTER, 8.0)]))
    assert timeline.intervals == (Interval(SHIFT_START, SHIFT_START + timedelta(hours=4), "inside"),)
    assert timeline.coverage == 1.0


def test_guard_who_leaves_for_40_minutes_produces_a_40_minute_outside_interval():
    # given a guard on post for an hour, 300 m away for 40 minutes, then back
    fixes = track(
        SHIFT_START,
        [
            (minutes(60), geo.INSIDE_CENTER, 8.0),
            (minutes(40), geo.OUTSIDE_300M, 8.0),
            (minutes(140), geo.INSIDE_CENTER, 8.0),
        ],
    )
    # when the timeline is built
    timeline = timeline_of(fixes)
    # then exactly one outside interval of 40 minutes, from the first fix away to the first fix back
    outside = [i for i in timeline.intervals if i.state == "outside"]
    assert outside == [Interval(SHIFT_START + minutes(60), SHIFT_START + minutes(100), "outside")]
    assert timeline.coverage == pytest.approx(200 / 240)


def test_a_short_excursion_is_not_leaving():
    # 2 minutes away: fixes beyond the buffer span 1.5 minutes, under the 3-minute dwell
    fixes = track(
        SHIFT_START,
        [
            (minutes(60), geo.INSIDE_CENTER, 8.0),
            (minutes(2), geo.OUTSIDE_300M, 8.0),
            (minutes(178), geo.INSIDE_CENTER, 8.0),
        ],
    )
    timeline = timeline_of(fixes)
    assert [i.state for i in timeline.intervals] == ["inside"]


def test_standing_on_the_sidewalk_counts_as_present():
    # 20 m outside with 8 m accuracy: 12 m beyond, within the 30 m exit buffer
    timeline = timeline_of(track(SHIFT_START, [(timedelta(hours=4), geo.NEAR_20M, 8.0)]))
    assert timeline.coverage == 1.0


def test_once_out_the_guard_is_back_only_when_the_accuracy_circle_reaches_the_fence():
    # given a guard who left, then waits on the sidewalk (12 m beyond), then walks in
    fixes = track(
        SHIFT_START,
        [
            (minutes(30), geo.INSIDE_CENTER, 8.0),
            (minutes(20), geo.OUTSIDE_300M, 8.0),
            (minutes(10), geo.NEAR_20M, 8.0),
            (minutes(180), geo.INSIDE_CENTER, 8.0),
        ],
    )
    timeline = timeline_of(fixes)
    # then the sidewalk time is still outside: hysteresis keeps the state in the band
    assert [i for i in timeline.intervals if i.state == "outside"] == [
        Interval(SHIFT_START + minutes(30), SHIFT_START + minutes(60), "outside")
    ]


def test_a_long_silence_is_no_signal_for_its_whole_length():
    fixes = track(SHIFT_START, [(minutes(60), geo.INSIDE_CENTER, 8.0)])
    fixes += track(SHIFT_START + minutes(80), [(minutes(160), geo.INSIDE_CENTER, 8.0)])
    timeline = timeline_of(fixes)
    last_before_gap = SHIFT_START + minutes(60) - EVERY
    assert Interval(last_before_gap, SHIFT_START + minutes(80), "no_signal") in timeline.intervals
    assert timeline.inside == timedelta(hours=4) - (SHIFT_START + minutes(80) - last_before_gap)


def test_a_late_first_fix_is_bridged_only_within_the_signal_gap():
    late = timeline_of(track(SHIFT_START + minutes(5), [(minutes(235), geo.INSIDE_CENTER, 8.0)]))
    assert late.coverage == 1.0
    very_late = timeline_of(track(SHIFT_START + minutes(15), [(minutes(225), geo.INSIDE_CENTER, 8.0)]))
    assert very_late.intervals[0] == Interval(SHIFT_START, SHIFT_START + minutes(15), "no_signal")


def test_mock_fixes_never_credit_presence_and_are_reported():
    fixes = track(SHIFT_START, [(timedelta(hours=4), geo.INSIDE_CENTER, 5.0)], mock=True)
    timeline = timeline_of(fixes)
    assert timeline.intervals == (Interval(SHIFT_START, SHIFT_START + timedelta(hours=4), "no_signal"),)
    assert timeline.coverage == 0.0
    assert len(timeline.mock_fixes) == len(fixes)


def test_fixes_of_unknown_accuracy_decide_nothing():
    # Android reports 0 and iOS a negative accuracy when it is unknown
    fixes = track(SHIFT_START, [(timedelta(hours=4), geo.INSIDE_CENTER, 0.0)])
    fixes += track(SHIFT_START + timedelta(seconds=15), [(timedelta(hours=4), geo.INSIDE_CENTER, -1.0)])
    timeline = timeline_of(fixes)
    assert timeline.coverage == 0.0
    assert timeline.inaccurate_fix_count == len(fixes)


def test_inaccurate_fixes_decide_nothing():
    # given a guard on post whose phone also sends wild 80 m-accuracy fixes 300 m away
    good = track(SHIFT_START, [(timedelta(hours=4), geo.INSIDE_CENTER, 8.0)])
    wild = [Fix(f.recorded_at + timedelta(seconds=10), *geo.OUTSIDE_300M, accuracy_m=80.0) for f in good]
    timeline = timeline_of(good + wild)
    assert timeline.coverage == 1.0
    assert timeline.inaccurate_fix_count == len(wild)


def test_fixes_out_of_order_and_duplicated_give_the_same_timeline():
    fixes = track(
        SHIFT_START,
        [
            (minutes(60), geo.INSIDE_CENTER, 8.0),
            (minutes(40), geo.OUTSIDE_300M, 8.0),
            (minutes(140), geo.INSIDE_CENTER, 8.0),
        ],
    )
    shuffled = fixes[::-1] + fixes[::3]
    assert timeline_of(shuffled) == timeline_of(fixes)


def test_no_fixes_is_no_signal_all_shift():
    timeline = timeline_of([])
    assert [i.state for i in timeline.intervals] == ["no_signal"]
    assert timeline.coverage == 0.0


def test_intervals_cover_the_window_without_gaps():
    fixes = track(SHIFT_START - minutes(20), [(minutes(90), geo.INSIDE_CENTER, 8.0), (minutes(60), geo.FAR_3KM, 8.0)])
    timeline = timeline_of(fixes)
    assert timeline.intervals[0].start == SHIFT_START
    assert timeline.intervals[-1].end == SHIFT_START + timedelta(hours=4)
    assert all(a.end == b.start for a, b in zip(timeline.intervals, timeline.intervals[1:], strict=False))


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        presence_timeline(
            scheduled_start=datetime(2026, 3, 2, 20, 0),  # noqa: DTZ001 - the point of the test
            scheduled_end=SHIFT_START,
            fixes=[],
            fence=SQUARE,
        )


def test_policy_refuses_thresholds_that_would_flicker():
    with pytest.raises(ValueError, match="enter_margin_m"):
        PresencePolicy(enter_margin_m=40.0, exit_buffer_m=30.0)


_ring_fraction = st.floats(min_value=0.0, max_value=1.0)
_direction = st.floats(min_value=0.0, max_value=2 * math.pi)
_wobble_m = st.floats(min_value=0.0, max_value=15.0)
_accuracy_m = st.floats(min_value=1.0, max_value=50.0)
CAMPUS = PreparedFence(geo.SITE_CAMPUS, near_buffer_m=25)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_ring_fraction, _direction, _wobble_m, _accuracy_m), min_size=120, max_size=120))
def test_jitter_along_the_boundary_for_an_hour_never_produces_outside(wobbles):
    # given an hour of fixes every 30 s, each within 15 m of the campus boundary
    fixes = []
    for k, (fraction, direction, wobble, accuracy) in enumerate(wobbles):
        on_edge = geo.CAMPUS_EXTERIOR.interpolate(fraction, normalized=True)
        lon, lat = geo.offset((on_edge.x, on_edge.y), wobble * math.cos(direction), wobble * math.sin(direction))
        fixes.append(Fix(recorded_at=SHIFT_START + k * EVERY, lon=lon, lat=lat, accuracy_m=accuracy))
    # when the timeline is built
    timeline = presence_timeline(
        scheduled_start=SHIFT_START, scheduled_end=SHIFT_START + timedelta(hours=1), fixes=fixes, fence=CAMPUS
    )
    # then the guard is never outside
    assert all(i.state != "outside" for i in timeline.intervals)

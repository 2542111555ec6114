"""The array path (geofence.track) answers exactly as the reference Fix-based functions."""

from datetime import UTC, datetime, timedelta

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geofence.classify import PreparedFence
from geofence.fixes import Fix, sort_fixes
from geofence.integrity import impossible_travel
from geofence.presence import PresencePolicy, presence_timeline
from geofence.track import Track, impossible_travel_in_track, presence_from_track, split_track, tracks_from_arrays
from tests import geo

FENCE = PreparedFence(shapely.from_wkb(bytes(geo.SITE_SQUARE.wkb)))
START = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
END = START + timedelta(hours=2)

fixes_strategy = st.lists(
    st.tuples(
        st.integers(min_value=-900, max_value=2 * 3600 + 300),  # seconds from the start (before, during, after)
        st.floats(min_value=-400, max_value=600),  # metres east: inside, at the edge, far outside
        st.floats(min_value=-50, max_value=250),
        st.sampled_from([3.0, 8.0, 15.0, 30.0, 49.0, 80.0, 0.0]),  # including too coarse and unknown
        st.booleans(),
    ),
    max_size=250,
)


def _as_fixes(raw) -> list[Fix]:
    return [Fix(START + timedelta(seconds=s), *geo.at(e, n), accuracy_m=a, is_mock=m) for s, e, n, a, m in raw]


def _as_track(fixes: list[Fix]) -> Track:
    """The fixes as the monitoring query returns them: parallel arrays in no particular order."""
    lon = [f.lon for f in fixes]
    lat = [f.lat for f in fixes]
    distances = FENCE.distances_m(lon, lat)[1].tolist() if fixes else []
    row = (1, [f.recorded_at.timestamp() for f in fixes], lon, lat, [f.accuracy_m for f in fixes],
           [f.is_mock for f in fixes], distances)  # fmt: skip
    return tracks_from_arrays([row])[1]


@settings(max_examples=300, deadline=None)
@given(
    raw=fixes_strategy,
    dwell_min=st.sampled_from([0, 1, 3, 10]),
    return_dwell_min=st.sampled_from([0, 0.5, 2, 5]),
    accuracy_cap_m=st.sampled_from([0.0, 10.0, 20.0, 100.0]),
)
def test_presence_from_track_equals_presence_timeline(raw, dwell_min, return_dwell_min, accuracy_cap_m):
    policy = PresencePolicy(
        exit_dwell=timedelta(minutes=dwell_min),
        return_dwell=timedelta(minutes=return_dwell_min),
        accuracy_cap_m=accuracy_cap_m,
    )
    fixes = _as_fixes(raw)

    reference = presence_timeline(scheduled_start=START, scheduled_end=END, fixes=fixes, fence=FENCE, policy=policy)
    split = split_track(_as_track(fixes), max_accuracy_m=policy.max_accuracy_m)
    fast = presence_from_track(scheduled_start=START, scheduled_end=END, split=split, policy=policy)

    assert [(i.start, i.end, i.state) for i in fast.intervals] == [
        (i.start, i.end, i.state) for i in reference.intervals
    ]
    assert abs(fast.coverage - reference.coverage) < 1e-9
    assert [f.recorded_at for f in fast.mock_fixes] == [f.recorded_at for f in reference.mock_fixes]
    assert fast.inaccurate_fix_count == reference.inaccurate_fix_count


@settings(max_examples=200, deadline=None)
@given(raw=fixes_strategy)
def test_impossible_travel_in_track_equals_reference(raw):
    fixes = _as_fixes(raw)
    usable = split_track(_as_track(fixes), max_accuracy_m=50.0).usable

    reference = impossible_travel(fixes, max_speed_mps=55.0, max_accuracy_m=50.0)
    fast = impossible_travel_in_track(usable, max_speed_mps=55.0)

    assert [(j.from_fix.recorded_at, j.to_fix.recorded_at) for j in fast] == [
        (j.from_fix.recorded_at, j.to_fix.recorded_at) for j in reference
    ]
    assert len(sort_fixes(fixes, max_accuracy_m=50.0).usable) == len(usable)

"""Array-at-a-time versions of the presence and integrity checks, for monitoring passes.

`presence.presence_timeline` and `integrity.*` take Fix objects and are the reference:
clear, and fine for one shift. A monitoring pass judges thousands of shifts with
hundreds of fixes each every minute, where building, sorting and de-duplicating Fix
objects costs more than the checks. A `Track` holds one shift's fixes as numpy arrays
(epoch seconds, already in time order); the functions below give the same answers as
the reference ones (a property test compares them) without per-fix Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from geofence.fixes import Fix, haversine_m
from geofence.integrity import ImpossibleTravel
from geofence.presence import Interval, PresencePolicy, PresenceState, PresenceTimeline

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_STATES: tuple[PresenceState, ...] = ("inside", "outside", "no_signal")
_INSIDE, _OUTSIDE, _NO_SIGNAL = 0, 1, 2


def to_datetime(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)


@dataclass(frozen=True)
class Track:
    """One shift's fixes as parallel arrays, sorted by time (epoch seconds, UTC).

    `distance_m` is the distance to the site's fence (0 inside), NaN where unknown.
    """

    t: FloatArray
    lon: FloatArray
    lat: FloatArray
    accuracy_m: FloatArray
    is_mock: BoolArray
    distance_m: FloatArray

    def __len__(self) -> int:
        return len(self.t)

    def select(self, mask: BoolArray) -> Track:
        return Track(
            self.t[mask],
            self.lon[mask],
            self.lat[mask],
            self.accuracy_m[mask],
            self.is_mock[mask],
            self.distance_m[mask],
        )

    def fix(self, index: int) -> Fix:
        return Fix(
            to_datetime(float(self.t[index])),
            float(self.lon[index]),
            float(self.lat[index]),
            float(self.accuracy_m[index]),
            bool(self.is_mock[index]),
        )


def _one_per_instant(track: Track) -> Track:
    """Of fixes sharing an instant keep the most accurate (input sorted by time, then accuracy)."""
    if len(track) < 2:
        return track
    return track.select(np.concatenate(([True], np.diff(track.t) > 0)))


@dataclass(frozen=True)
class SplitTrack:
    usable: Track
    mock: Track
    inaccurate_count: int


def split_track(track: Track, *, max_accuracy_m: float) -> SplitTrack:
    """As `fixes.sort_fixes`: usable (real, accurate) and mock fixes, one per instant each.

    The input must be sorted by time and, within an instant, by accuracy (best first).
    """
    finite = np.isfinite(track.lon) & np.isfinite(track.lat) & np.isfinite(track.accuracy_m)
    accurate = finite & (track.accuracy_m > 0) & (track.accuracy_m <= max_accuracy_m)
    usable = _one_per_instant(track.select(~track.is_mock & accurate))
    inaccurate = _one_per_instant(track.select(~track.is_mock & ~accurate))
    return SplitTrack(
        usable=usable, mock=_one_per_instant(track.select(track.is_mock)), inaccurate_count=len(inaccurate)
    )


@dataclass(frozen=True)
class _Runs:
    """The fixes of one kind of evidence, grouped into runs that forgive one contradicting fix."""

    index: npt.NDArray[np.intp]  # the fixes, in time order
    t: FloatArray  # their times
    run_last: npt.NDArray[np.intp]  # per fix: the position (in `index`) of its run's last fix

    @classmethod
    def of(cls, is_kind: BoolArray, t: FloatArray, segment_start: BoolArray) -> _Runs:
        index = np.flatnonzero(is_kind)
        segment = np.cumsum(segment_start)[index]
        # Two fixes of a kind with one other fix between them are one run; two others end it.
        new_run = np.concatenate(([True], (np.diff(index) > 2) | (np.diff(segment) != 0)))
        starts = np.flatnonzero(new_run)
        lasts = np.concatenate((starts[1:], [len(index)])) - 1
        return cls(index, t[index], np.repeat(lasts, np.diff(np.concatenate((starts, [len(index)])))))

    def confirmed_from(self, first_fix: int, stop: int, dwell_s: float) -> tuple[int, int] | None:
        """(start, confirming fix) of the first run from first_fix (before stop) spanning dwell_s, if any."""
        p = int(np.searchsorted(self.index, first_fix))
        while p < len(self.index) and self.index[p] < stop:
            last = int(self.run_last[p])
            q = max(int(np.searchsorted(self.t, self.t[p] + dwell_s)), p + 1)  # two fixes at least
            if q <= last:
                return int(self.index[p]), int(self.index[q])
            p = last + 1
        return None


def _outside(track: Track, policy: PresencePolicy) -> BoolArray:
    """Per fix: is the guard outside from it until the next fix (the hysteresis of presence._outside_flags).

    Between signal gaps the state starts inside. Each fix is BEYOND, BACK or in the band.
    Runs of each kind (forgiving one contradicting fix) are found with array operations;
    what is left is a walk over the state changes, a handful per shift: from the latest
    change, the first run of the other kind that spans its dwell is the next change.
    """
    n = len(track)
    if n == 0:
        return np.zeros(0, dtype=np.bool_)
    margin = track.distance_m - np.minimum(np.maximum(track.accuracy_m, 0.0), policy.accuracy_cap_m)
    segment_start = np.concatenate(([True], np.diff(track.t) >= policy.signal_gap.total_seconds()))
    beyond = _Runs.of(margin > policy.exit_buffer_m, track.t, segment_start)
    back = _Runs.of(margin <= policy.enter_margin_m, track.t, segment_start)
    dwell_s = {True: policy.return_dwell.total_seconds(), False: policy.exit_dwell.total_seconds()}
    events = np.zeros(n, dtype=np.int8)
    starts = np.flatnonzero(segment_start)
    events[starts] = -1
    for first, stop in zip(starts.tolist(), [*starts[1:].tolist(), n], strict=True):
        is_out, position = False, first
        while (change := (back if is_out else beyond).confirmed_from(position, stop, dwell_s[is_out])) is not None:
            is_out = not is_out
            events[change[0]] = 1 if is_out else -1
            position = change[1] + 1
    # State at each fix is the latest event at or before it (forward fill; fix 0 always has one).
    last_event = np.maximum.accumulate(np.where(events != 0, np.arange(n), 0))
    return np.asarray(events[last_event] == 1)


def presence_from_track(
    *, scheduled_start: datetime, scheduled_end: datetime, split: SplitTrack, policy: PresencePolicy
) -> PresenceTimeline:
    """As `presence.presence_timeline`, from a split track whose usable fixes carry distances."""
    start, end = scheduled_start.timestamp(), scheduled_end.timestamp()
    gap = policy.signal_gap.total_seconds()
    window = (split.usable.t >= start - gap) & (split.usable.t <= end)
    usable = split.usable.select(window)
    outside = _outside(usable, policy)
    t = usable.t
    if len(t) == 0:
        starts, ends, states = np.array([start]), np.array([end]), np.array([_NO_SIGNAL])
    else:
        until = np.concatenate((t[1:], [max(end, float(t[-1]))]))
        states = np.where(until - t >= gap, _NO_SIGNAL, np.where(outside, _OUTSIDE, _INSIDE))
        starts, ends = t, until
        if t[0] > start:
            lead_state = (_OUTSIDE if outside[0] else _INSIDE) if t[0] - start < gap else _NO_SIGNAL
            starts = np.concatenate(([start], starts))
            ends = np.concatenate(([t[0]], ends))
            states = np.concatenate(([lead_state], states))
    starts, ends = np.maximum(starts, start), np.minimum(ends, end)
    keep = ends > starts
    starts, ends, states = starts[keep], ends[keep], states[keep]
    # Merge neighbours in the same state that touch.
    new_run = np.concatenate(([True], (states[1:] != states[:-1]) | (starts[1:] != ends[:-1])))
    first = np.flatnonzero(new_run)
    last = np.concatenate((first[1:], [len(states)])) - 1
    intervals = tuple(
        Interval(to_datetime(float(starts[a])), to_datetime(float(ends[b])), _STATES[int(states[a])])
        for a, b in zip(first.tolist(), last.tolist(), strict=True)
    )
    inside_s = float(np.sum((ends - starts)[states == _INSIDE]))
    scheduled = scheduled_end - scheduled_start
    inside = timedelta(seconds=inside_s)
    return PresenceTimeline(
        intervals=intervals,
        coverage=inside / scheduled,
        inside=inside,
        scheduled=scheduled,
        mock_fixes=tuple(split.mock.fix(i) for i in range(len(split.mock))),
        inaccurate_fix_count=split.inaccurate_count,
    )


def impossible_travel_in_track(usable: Track, *, max_speed_mps: float) -> list[ImpossibleTravel]:
    """As `integrity.impossible_travel`, on usable fixes (one per instant, time order)."""
    if len(usable) < 2:
        return []
    distance = haversine_m(usable.lon[:-1], usable.lat[:-1], usable.lon[1:], usable.lat[1:])
    seconds = np.diff(usable.t)
    min_speed = np.maximum(distance - usable.accuracy_m[:-1] - usable.accuracy_m[1:], 0.0) / seconds
    return [
        ImpossibleTravel(
            from_fix=usable.fix(i),
            to_fix=usable.fix(i + 1),
            distance_m=float(distance[i]),
            seconds=float(seconds[i]),
            speed_mps=float(distance[i] / seconds[i]),
            min_speed_mps=float(min_speed[i]),
        )
        for i in np.flatnonzero(min_speed > max_speed_mps).tolist()
    ]


def trailing_still_span(usable: Track, *, radius_m: float, max_gap: timedelta) -> tuple[int, int] | None:
    """(first, last) indices of the span, ending at the latest fix, within radius_m of it.

    A silence longer than max_gap could hide a walk and a return, so the span starts
    after the last such silence. None when the phone moved at its latest fix.
    """
    n = len(usable)
    if n < 2:
        return None
    away = haversine_m(usable.lon[-1], usable.lat[-1], usable.lon, usable.lat) > radius_m
    first = int(np.flatnonzero(away)[-1]) + 1 if away.any() else 0
    silences = np.flatnonzero(np.diff(usable.t) > max_gap.total_seconds()) + 1
    if len(silences):
        first = max(first, int(silences[-1]))
    return (first, n - 1) if first < n - 1 else None


def inside_runs(inside: BoolArray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True values."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inside.astype(np.int8), [0]))))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def tracks_from_arrays(rows: list[tuple[Any, ...]]) -> dict[int, Track]:
    """Tracks from rows of (key, t[], lon[], lat[], accuracy[], is_mock[], distance[]) arrays, any order.

    Each track is sorted by time, and within an instant by accuracy (best first), as
    `split_track` expects.
    """
    tracks: dict[int, Track] = {}
    for key, t, lon, lat, accuracy, is_mock, distance in rows:
        times = np.asarray(t, dtype=np.float64)
        accuracies = np.asarray(accuracy, dtype=np.float64)
        # Unknown accuracy (0 or negative) sorts last within its instant.
        order = np.lexsort((np.where(accuracies > 0, accuracies, np.inf), times))
        tracks[int(key)] = Track(
            times[order],
            np.asarray(lon, dtype=np.float64)[order],
            np.asarray(lat, dtype=np.float64)[order],
            accuracies[order],
            np.asarray(is_mock, dtype=np.bool_)[order],
            np.asarray(distance, dtype=np.float64)[order],  # None (unknown) becomes NaN
        )
    return tracks

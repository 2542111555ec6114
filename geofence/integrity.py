"""Evidence that a shift's fixes do not tell the whole story.

- IMPOSSIBLE_TRAVEL: consecutive fixes farther apart than anyone could travel in between;
- MOCK_LOCATION: fixes a mock-location provider produced;
- INACTIVITY: the longest span in which the phone did not move (a phone left in a drawer);
- OUT_OF_POSITION: time outside the fence longer than the post allows.
Each finding carries its evidence; rules decide later what to flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar, Final

import numpy as np

from geofence.fixes import Fix, FloatArray, haversine_m, sort_fixes
from geofence.presence import Interval, Span

DEFAULT_MAX_ACCURACY_M: Final = 50.0  # as PresencePolicy: worse fixes prove nothing
DEFAULT_MAX_SPEED_MPS: Final = 55.0  # about 200 km/h: faster than any guard on a road
DEFAULT_STILL_RADIUS_M: Final = 15.0  # a phone on a desk wanders less than this
DEFAULT_STILL_MAX_GAP: Final = timedelta(minutes=10)  # a longer silence could hide a walk and return
DEFAULT_ALLOWED_OUTSIDE: Final = timedelta(minutes=15)  # a break's worth of time off the site


@dataclass(frozen=True, slots=True)
class ImpossibleTravel:
    """Two consecutive usable fixes too far apart for the time between them."""

    code: ClassVar[str] = "IMPOSSIBLE_TRAVEL"
    from_fix: Fix
    to_fix: Fix
    distance_m: float  # haversine between the reported positions
    seconds: float
    speed_mps: float  # distance_m / seconds
    min_speed_mps: float  # the speed if both fixes erred by their full accuracy towards each other


@dataclass(frozen=True, slots=True)
class MockLocation:
    """A fix the phone reported as coming from a mock-location provider."""

    code: ClassVar[str] = "MOCK_LOCATION"
    fix: Fix


@dataclass(frozen=True, slots=True)
class Stillness(Span):
    """A span in which every usable fix stayed within radius_m of the span's first fix: the phone stayed put."""

    code: ClassVar[str] = "INACTIVITY"
    fix_count: int
    lon: float  # the span's first fix, the centre of the radius
    lat: float
    radius_m: float


@dataclass(frozen=True, slots=True)
class OutOfPosition(Span):
    """A stretch outside the fence longer than allowed: how long the guard was away is its duration."""

    code: ClassVar[str] = "OUT_OF_POSITION"
    allowed: timedelta


def impossible_travel(
    fixes: Iterable[Fix],
    *,
    max_speed_mps: float = DEFAULT_MAX_SPEED_MPS,
    max_accuracy_m: float = DEFAULT_MAX_ACCURACY_M,
) -> list[ImpossibleTravel]:
    """Consecutive usable fixes whose implied speed exceeds the limit even granting both accuracies.

    A jump of 80 m in 2 s between two 40 m-accuracy fixes is GPS noise, not a sprint, so
    a pair is reported only when (distance - both accuracies) / seconds exceeds the limit.
    """
    usable = sort_fixes(fixes, max_accuracy_m=max_accuracy_m).usable
    if len(usable) < 2:
        return []
    lon = np.array([f.lon for f in usable])
    lat = np.array([f.lat for f in usable])
    acc = np.array([f.accuracy_m for f in usable])
    seconds = np.array([(b.recorded_at - a.recorded_at).total_seconds() for a, b in _pairs(usable)])
    distance = haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:])
    # seconds > 0: sort_fixes keeps one fix per instant.
    min_speed = np.maximum(distance - acc[:-1] - acc[1:], 0.0) / seconds
    return [
        ImpossibleTravel(
            from_fix=usable[i],
            to_fix=usable[i + 1],
            distance_m=float(distance[i]),
            seconds=float(seconds[i]),
            speed_mps=float(distance[i] / seconds[i]),
            min_speed_mps=float(min_speed[i]),
        )
        for i in np.flatnonzero(min_speed > max_speed_mps).tolist()
    ]


def mock_locations(fixes: Iterable[Fix]) -> list[MockLocation]:
    """Every mock fix, in time order, one per instant."""
    return [MockLocation(f) for f in sort_fixes(fixes, max_accuracy_m=DEFAULT_MAX_ACCURACY_M).mock]


def longest_stillness(
    fixes: Iterable[Fix],
    *,
    radius_m: float = DEFAULT_STILL_RADIUS_M,
    max_gap: timedelta = DEFAULT_STILL_MAX_GAP,
    max_accuracy_m: float = DEFAULT_MAX_ACCURACY_M,
) -> Stillness | None:
    """The longest span whose usable fixes all lie within radius_m of its first fix (None if none lasts).

    A span also ends at a silence longer than max_gap. Each fix is tried as the start of
    a span; the search stops once no later start could beat the best span found.
    """
    usable = sort_fixes(fixes, max_accuracy_m=max_accuracy_m).usable
    if len(usable) < 2:
        return None
    lon = np.array([f.lon for f in usable])
    lat = np.array([f.lat for f in usable])
    gap_after = [b.recorded_at - a.recorded_at > max_gap for a, b in _pairs(usable)]
    best: tuple[int, int] | None = None  # (first, last) fix indices of the best span
    best_duration = timedelta(0)
    for i in range(len(usable) - 1):
        if usable[-1].recorded_at - usable[i].recorded_at <= best_duration:
            break
        last = _span_end(i, lon, lat, gap_after, radius_m)
        duration = usable[last].recorded_at - usable[i].recorded_at
        if duration > best_duration:
            best, best_duration = (i, last), duration
    if best is None:
        return None
    first, last = best
    anchor = usable[first]
    return Stillness(
        start=anchor.recorded_at,
        end=usable[last].recorded_at,
        fix_count=last - first + 1,
        lon=anchor.lon,
        lat=anchor.lat,
        radius_m=radius_m,
    )


def _span_end(first: int, lon: FloatArray, lat: FloatArray, gap_after: Sequence[bool], radius_m: float) -> int:
    """Index of the last fix of the still span starting at `first`."""
    n = len(lon)
    lo, chunk = first + 1, 32
    while lo < n:
        # Look ahead in growing chunks: a moving guard leaves the radius within a few fixes.
        hi = min(n, lo + chunk)
        away = haversine_m(lon[first], lat[first], lon[lo:hi], lat[lo:hi]) > radius_m
        silent = np.array(gap_after[lo - 1 : hi - 1])  # a gap before fix k ends the span at k - 1
        stop = np.flatnonzero(away | silent)
        if len(stop):
            return lo + int(stop[0]) - 1
        lo, chunk = hi, chunk * 2
    return n - 1


def out_of_position(
    intervals: Iterable[Interval], *, allowed: timedelta = DEFAULT_ALLOWED_OUTSIDE
) -> list[OutOfPosition]:
    """Outside intervals of a presence timeline that last longer than allowed."""
    return [
        OutOfPosition(start=i.start, end=i.end, allowed=allowed)
        for i in intervals
        if i.state == "outside" and i.duration > allowed
    ]


def _pairs(fixes: Sequence[Fix]) -> Iterable[tuple[Fix, Fix]]:
    """Consecutive pairs of fixes."""
    return zip(fixes, fixes[1:], strict=False)

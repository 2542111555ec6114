"""A shift's presence timeline from its breadcrumb fixes: inside, outside or no signal.

Phone GPS wanders by tens of metres near buildings, so a guard standing at the fence
line must not flicker in and out. Two thresholds give hysteresis (a Schmitt trigger):
- a guard counts as having LEFT only after fixes stay beyond the fence by more than
  exit_buffer_m (distance minus accuracy, so the whole accuracy circle is beyond) for
  at least exit_dwell, judged from the first to the last such fix;
- once out, the guard is BACK at the first fix whose accuracy circle reaches the fence
  (distance minus accuracy <= enter_margin_m).
Between the two thresholds the state does not change. Mock and inaccurate fixes decide
nothing, and a gap of signal_gap without a usable fix is "no_signal" for its whole
length: presence is credited only where fixes vouch for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import numpy as np

from geofence.classify import PreparedFence
from geofence.fixes import Fix, sort_fixes

PresenceState = Literal["inside", "outside", "no_signal"]


@dataclass(frozen=True, slots=True)
class PresencePolicy:
    """How fixes become presence; the defaults suit phone GPS around buildings."""

    max_accuracy_m: float = 50.0  # fixes less accurate than this decide nothing
    exit_buffer_m: float = 30.0  # beyond the fence only when distance - accuracy exceeds this
    enter_margin_m: float = 0.0  # back when distance - accuracy is at most this (circle reaches the fence)
    exit_dwell: timedelta = timedelta(minutes=3)  # must stay beyond the buffer this long to count as left
    signal_gap: timedelta = timedelta(minutes=10)  # no usable fix this long: the gap is "no_signal"

    def __post_init__(self) -> None:
        if self.enter_margin_m > self.exit_buffer_m:
            raise ValueError("enter_margin_m must not exceed exit_buffer_m, or the state would flicker.")
        if self.exit_dwell < timedelta(0) or self.signal_gap <= timedelta(0):
            raise ValueError("exit_dwell must be >= 0 and signal_gap > 0.")


@dataclass(frozen=True, slots=True)
class Interval:
    """A stretch of the scheduled window in one presence state, [start, end)."""

    start: datetime
    end: datetime
    state: PresenceState

    @property
    def duration(self) -> timedelta:
        """How long the interval lasts."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class PresenceTimeline:
    """Intervals covering the scheduled window, and the share of it verified inside."""

    intervals: tuple[Interval, ...]
    coverage: float  # verified inside time / scheduled time, 0..1
    inside: timedelta
    scheduled: timedelta
    mock_fixes: tuple[Fix, ...]  # never credited; evidence for a MOCK_LOCATION finding
    inaccurate_fix_count: int  # real fixes ignored for poor accuracy


def presence_timeline(
    *,
    scheduled_start: datetime,
    scheduled_end: datetime,
    fixes: Iterable[Fix],
    fence: PreparedFence,
    policy: PresencePolicy | None = None,
) -> PresenceTimeline:
    """Build the presence timeline of a shift's scheduled window from its fixes (any order, duplicates allowed)."""
    policy = policy or PresencePolicy()
    _check_window(scheduled_start, scheduled_end)
    sorted_fixes = sort_fixes(fixes, max_accuracy_m=policy.max_accuracy_m)
    # A fix shortly before the start tells where the guard was at the start; fixes after
    # the end are ignored, since walking off at the end of a shift is not leaving a post.
    earliest = scheduled_start - policy.signal_gap
    usable = [f for f in sorted_fixes.usable if earliest <= f.recorded_at <= scheduled_end]
    outside = _outside_flags(usable, fence, policy)
    intervals = _intervals(usable, outside, scheduled_start, scheduled_end, policy.signal_gap)
    inside = sum((i.duration for i in intervals if i.state == "inside"), timedelta(0))
    scheduled = scheduled_end - scheduled_start
    return PresenceTimeline(
        intervals=tuple(intervals),
        coverage=inside / scheduled,
        inside=inside,
        scheduled=scheduled,
        mock_fixes=sorted_fixes.mock,
        inaccurate_fix_count=len(sorted_fixes.inaccurate),
    )


def _check_window(start: datetime, end: datetime) -> None:
    """The scheduled window must be aware and non-empty."""
    for moment in (start, end):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"The scheduled window must use aware datetimes, got naive {moment.isoformat()}.")
    if end <= start:
        raise ValueError("The scheduled window must end after it starts.")


def _outside_flags(fixes: Sequence[Fix], fence: PreparedFence, policy: PresencePolicy) -> list[bool]:
    """Per fix (time order): is the guard outside from this fix until the next one (hysteresis)."""
    if not fixes:
        return []
    _, distances = fence.distances_m([f.lon for f in fixes], [f.lat for f in fixes])
    margins = (distances - np.array([f.accuracy_m for f in fixes])).tolist()
    outside = [False] * len(fixes)
    is_out = False
    run_start: int | None = None  # first fix of the current run beyond the exit buffer
    for i, (fix, margin) in enumerate(zip(fixes, margins, strict=True)):
        if i and fix.recorded_at - fixes[i - 1].recorded_at >= policy.signal_gap:
            is_out, run_start = False, None  # evidence does not carry across a signal gap
        if is_out:
            is_out = margin > policy.enter_margin_m
            outside[i] = is_out
        elif margin > policy.exit_buffer_m:
            run_start = i if run_start is None else run_start
            if fix.recorded_at - fixes[run_start].recorded_at >= policy.exit_dwell:
                # Confirmed: the guard left when the run began, not when it was confirmed.
                is_out = True
                outside[run_start : i + 1] = [True] * (i + 1 - run_start)
                run_start = None
        else:
            run_start = None
    return outside


def _intervals(
    fixes: Sequence[Fix], outside: Sequence[bool], start: datetime, end: datetime, signal_gap: timedelta
) -> list[Interval]:
    """Cover [start, end) with merged intervals: each fix's state lasts until the next fix."""
    if not fixes:
        return [Interval(start, end, "no_signal")]
    pieces: list[Interval] = []
    first = fixes[0].recorded_at
    if first > start:
        pieces.append(Interval(start, first, _state(outside[0]) if first - start < signal_gap else "no_signal"))
    for i, fix in enumerate(fixes):
        until = fixes[i + 1].recorded_at if i + 1 < len(fixes) else max(end, fix.recorded_at)
        state = "no_signal" if until - fix.recorded_at >= signal_gap else _state(outside[i])
        pieces.append(Interval(fix.recorded_at, until, state))
    return _merge(_clip(pieces, start, end))


def _state(is_outside: bool) -> PresenceState:
    """The presence state of a fix that has a usable position."""
    return "outside" if is_outside else "inside"


def _clip(pieces: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    """Intervals cut to [start, end), dropping empty ones."""
    clipped = (Interval(max(p.start, start), min(p.end, end), p.state) for p in pieces)
    return [p for p in clipped if p.end > p.start]


def _merge(pieces: Sequence[Interval]) -> list[Interval]:
    """Adjacent intervals in the same state joined into one."""
    merged: list[Interval] = []
    for piece in pieces:
        if merged and merged[-1].state == piece.state and merged[-1].end == piece.start:
            merged[-1] = Interval(merged[-1].start, piece.end, piece.state)
        else:
            merged.append(piece)
    return merged

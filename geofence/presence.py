"""A shift's presence timeline from its breadcrumb fixes: inside, outside or no signal.

Phone GPS wanders by tens of metres near buildings, so a guard standing at the fence
line must not flicker in and out. Each fix's margin is its distance beyond the fence
minus its accuracy, the accuracy capped at accuracy_cap_m: a phone reporting 50 m
buys no more benefit of the doubt than one reporting 20 m, or a guard 45 m outside
would never be out. A fix is BEYOND (margin > exit_buffer_m), BACK (margin <=
enter_margin_m: its circle reaches the fence) or in the band between, which is
evidence for neither. Leaving and returning are symmetric, each needing its own
evidence (a Schmitt trigger with a dwell on both edges):
- inside, a run of BEYOND fixes spanning at least exit_dwell (two fixes at least) is a
  departure, from the run's first fix; out, a run of BACK fixes spanning return_dwell
  is a return, from its first fix. Nothing else changes the state;
- within a run one fix that says otherwise is noise (a multipath fix snapping back onto
  the site mid-excursion, one wild fix on post); two in a row end the run.
Mock and inaccurate fixes decide nothing, and a gap of signal_gap without a usable fix
is "no_signal" for its whole length: presence is credited only where fixes vouch for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from geofence.classify import PreparedFence
from geofence.fixes import Fix, sort_fixes

PresenceState = Literal["inside", "outside", "no_signal"]


@dataclass(frozen=True, slots=True)
class PresencePolicy:
    """How fixes become presence; the defaults suit phone GPS around buildings."""

    max_accuracy_m: float = 50.0  # fixes less accurate than this decide nothing
    exit_buffer_m: float = 15.0  # beyond the fence only when distance - capped accuracy exceeds this
    enter_margin_m: float = 0.0  # back when distance - capped accuracy is at most this (circle reaches the fence)
    accuracy_cap_m: float = 20.0  # the most a fix's reported accuracy may excuse
    exit_dwell: timedelta = timedelta(minutes=3)  # must stay beyond the buffer this long to count as left
    return_dwell: timedelta = timedelta(minutes=2)  # must stay back this long to count as returned
    signal_gap: timedelta = timedelta(minutes=10)  # no usable fix this long: the gap is "no_signal"

    def __post_init__(self) -> None:
        if self.enter_margin_m > self.exit_buffer_m:
            raise ValueError("enter_margin_m must not exceed exit_buffer_m, or the state would flicker.")
        if self.exit_dwell < timedelta(0) or self.return_dwell < timedelta(0) or self.signal_gap <= timedelta(0):
            raise ValueError("exit_dwell and return_dwell must be >= 0 and signal_gap > 0.")
        if self.accuracy_cap_m < 0:
            raise ValueError("accuracy_cap_m must be >= 0.")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time, [start, end): the base of intervals and of the findings that last."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """How long the span lasts."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Interval(Span):
    """A stretch of the scheduled window in one presence state, [start, end)."""

    state: PresenceState


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


# Per-fix evidence codes: the margin against the two thresholds.
BACK, BAND, BEYOND = -1, 0, 1


def _evidence(margin: float, policy: PresencePolicy) -> int:
    """What one fix says: BEYOND the exit buffer, BACK at the fence, or neither (the band)."""
    if margin > policy.exit_buffer_m:
        return BEYOND
    return BACK if margin <= policy.enter_margin_m else BAND


def _outside_flags(fixes: Sequence[Fix], fence: PreparedFence, policy: PresencePolicy) -> list[bool]:
    """Per fix (time order): is the guard outside from this fix until the next one (hysteresis)."""
    if not fixes:
        return []
    _, distances = fence.distances_m([f.lon for f in fixes], [f.lat for f in fixes])
    outside: list[bool] = []
    for segment in _segments(fixes, policy.signal_gap):
        outside.extend(_segment_outside([fixes[i] for i in segment], distances[segment].tolist(), policy))
    return outside


def _segments(fixes: Sequence[Fix], signal_gap: timedelta) -> list[list[int]]:
    """Indices of the fixes between signal gaps: evidence does not carry across a gap."""
    segments: list[list[int]] = []
    for i, fix in enumerate(fixes):
        if not segments or fix.recorded_at - fixes[i - 1].recorded_at >= signal_gap:
            segments.append([])
        segments[-1].append(i)
    return segments


def _segment_outside(fixes: Sequence[Fix], distances: Sequence[float], policy: PresencePolicy) -> list[bool]:
    """The hysteresis over one stretch without a signal gap, which starts inside.

    In each state the guard is watched for evidence of the other: inside, a candidate
    departure begins at a BEYOND fix and grows with each further one; a single fix that
    is not BEYOND is forgiven, a second in a row drops the candidate. Once it holds two
    fixes spanning exit_dwell the guard left, from its first fix. Out, the same with
    BACK fixes and return_dwell.
    """
    evidence = [
        _evidence(d - min(max(f.accuracy_m, 0.0), policy.accuracy_cap_m), policy)
        for f, d in zip(fixes, distances, strict=True)
    ]
    outside = [False] * len(fixes)
    is_out = False
    first: int | None = None  # the candidate's first and latest fixes
    latest = 0
    for i in range(len(fixes)):
        wanted, dwell = (BACK, policy.return_dwell) if is_out else (BEYOND, policy.exit_dwell)
        if evidence[i] == wanted:
            first, latest = (i if first is None else first), i
        elif first is not None and i - latest >= 2:
            first = None  # two contradicting fixes in a row: the candidate was noise
        if first is not None and latest > first and fixes[latest].recorded_at - fixes[first].recorded_at >= dwell:
            is_out = not is_out
            outside[first:i] = [is_out] * (i - first)  # the move happened when the candidate began
            first = None
        outside[i] = is_out
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

"""Reads for the console's guard page: a guard's 30-day punctuality and coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from backend.accounts.models import User
from backend.rules.selectors import thresholds_for
from backend.sites.scopes import Scope
from backend.staffing.models import ShiftStatus
from backend.staffing.selectors import shifts_visible

FIGURES_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class AttendanceFigures:
    """Over the shifts that ended in the window: how many started on time, how much was covered."""

    shifts: int
    on_time: int
    scheduled_seconds: float
    covered_seconds: float

    @property
    def punctuality_percent(self) -> int | None:
        return round(100 * self.on_time / self.shifts) if self.shifts else None

    @property
    def coverage_percent(self) -> int | None:
        return round(100 * self.covered_seconds / self.scheduled_seconds) if self.scheduled_seconds else None


def guard_attendance_figures(*, scope: Scope, guard: User, now: datetime | None = None) -> AttendanceFigures:
    """Punctuality (clocked in within the late grace) and coverage (verified time inside the
    scheduled windows over their length) of the guard's shifts on the viewer's sites that
    ended in the last 30 days; cancelled shifts do not count, no-shows count as uncovered."""
    moment = now or timezone.now()
    grace = timedelta(minutes=thresholds_for(company=guard.company_id or -1).late_clock_in_grace_min)
    shifts = (
        shifts_visible(scope=scope, ends_after=moment - FIGURES_WINDOW)
        .filter(guard=guard, scheduled_end__lte=moment)
        .exclude(status=ShiftStatus.CANCELLED)
    )
    count = on_time = 0
    scheduled = covered = 0.0
    for shift in shifts:
        count += 1
        scheduled += (shift.scheduled_end - shift.scheduled_start).total_seconds()
        clocked_in = shift.clock_in_verified_at or shift.clock_in_at
        if clocked_in is None:
            continue
        if clocked_in <= shift.scheduled_start + grace:
            on_time += 1
        clocked_out = shift.clock_out_verified_at or shift.clock_out_at or shift.scheduled_end
        start, end = max(clocked_in, shift.scheduled_start), min(clocked_out, shift.scheduled_end)
        covered += max((end - start).total_seconds(), 0.0)
    return AttendanceFigures(shifts=count, on_time=on_time, scheduled_seconds=scheduled, covered_seconds=covered)

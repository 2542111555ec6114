"""Which requests need a security callback, and how long each step may take.

Defaults live here; a company changes the callback rules per kind of request with a
`DispatchPolicy` row and turns the double callback on per site with a
`SiteDispatchPolicy` row (both in the admin), and its steps' timer targets per priority
with `TimerTarget` rows (seeded with the defaults, kept by its managers in the console).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.dispatch.models import (
    DispatchPolicy,
    Priority,
    RequestKind,
    ServiceRequest,
    SiteDispatchPolicy,
    TimerTarget,
)

# The kinds that put a guard at a door someone asked them to open or walk someone to:
# the set-up of a robbery, so their callback is never skipped.
DEFAULT_CALLBACK_BEFORE_DISPATCH = frozenset({RequestKind.LOCKOUT, RequestKind.ESCORT})
DEFAULT_CALLBACK_ON_ARRIVAL: frozenset[str] = frozenset()


@dataclass(frozen=True)
class KindPolicy:
    callback_before_dispatch: bool
    callback_on_arrival: bool


def kind_policy(*, company_id: int, kind: str) -> KindPolicy:
    """The company's rule for this kind (one query), or the default."""
    row = DispatchPolicy.objects.filter(company_id=company_id, kind=kind).first()
    if row is not None:
        return KindPolicy(row.callback_before_dispatch, row.callback_on_arrival)
    return KindPolicy(kind in DEFAULT_CALLBACK_BEFORE_DISPATCH, kind in DEFAULT_CALLBACK_ON_ARRIVAL)


def second_callback_needed(*, request: ServiceRequest, company_id: int) -> bool:
    """Double callback when the request's kind or its site asks for it."""
    if kind_policy(company_id=company_id, kind=request.kind).callback_on_arrival:
        return True
    return SiteDispatchPolicy.objects.filter(site_id=request.site_id, callback_on_arrival=True).exists()


# --- Timers -----------------------------------------------------------------------------

# The defaults every company starts with (a TimerTarget row per priority, kept by its managers).
# Minutes per step and priority: "dispatch" from the request to a guard sent, "accept" from
# sent to the guard's accept, "arrive" from sent to the guard on scene.
TIMER_TARGETS_MIN: dict[str, dict[str, int]] = {
    Priority.P1: {"dispatch": 5, "accept": 2, "arrive": 15},
    Priority.P2: {"dispatch": 15, "accept": 5, "arrive": 30},
    Priority.P3: {"dispatch": 60, "accept": 15, "arrive": 90},
}
STEPS = ("dispatch", "accept", "arrive")
STEP_LABELS = {"dispatch": "send a guard", "accept": "guard to accept", "arrive": "guard to arrive"}


@dataclass(frozen=True)
class StepTargets:
    """One priority's targets, in minutes."""

    dispatch: int
    accept: int
    arrive: int

    def minutes(self, step: str) -> int:
        return int(getattr(self, step))


# A company's targets: priority -> its steps' targets.
TimerTargets = Mapping[str, StepTargets]
DEFAULT_TARGETS: TimerTargets = {priority: StepTargets(**steps) for priority, steps in TIMER_TARGETS_MIN.items()}


def default_timer_targets(*, company_id: int) -> list[TimerTarget]:
    """The unsaved default rows of a company (what a new company is given)."""
    return [
        TimerTarget(
            company_id=company_id, priority=priority, **{f"{step}_min": targets.minutes(step) for step in STEPS}
        )
        for priority, targets in DEFAULT_TARGETS.items()
    ]


def timer_targets_for(*, company_ids: Iterable[int]) -> dict[int, TimerTargets]:
    """Each company's targets (one query, none for no company); a priority without a row has the default."""
    wanted = set(company_ids)
    found: dict[int, dict[str, StepTargets]] = {company_id: dict(DEFAULT_TARGETS) for company_id in wanted}
    if wanted:
        for row in TimerTarget.objects.filter(company_id__in=wanted):
            found[row.company_id][row.priority] = StepTargets(row.dispatch_min, row.accept_min, row.arrive_min)
    return dict(found)


@dataclass(frozen=True)
class LateStep:
    step: str
    since: datetime
    due: datetime
    target_min: int

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]

    def late_by(self, now: datetime) -> timedelta:
        return now - self.due


def running_step(request: ServiceRequest) -> tuple[str, datetime] | None:
    """The step the request waits on and since when; None when it waits on nobody (done, cancelled, on scene)."""
    if request.status in ("new", "callback_pending", "ready"):
        return "dispatch", request.created_at
    if request.dispatched_at is None:
        return None
    if request.status == "dispatched":
        return "accept", request.dispatched_at
    if request.status == "accepted":
        return "arrive", request.dispatched_at
    return None


def late_step(request: ServiceRequest, *, now: datetime, targets: TimerTargets) -> LateStep | None:
    """The step running past the company's target for the request's priority (`targets`), or None."""
    running = running_step(request)
    if running is None:
        return None
    step, since = running
    target = targets.get(request.priority, targets[Priority.P3]).minutes(step)
    due = since + timedelta(minutes=target)
    return LateStep(step, since, due, target) if now > due else None

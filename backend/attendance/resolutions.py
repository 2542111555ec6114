"""Attendance exceptions and how a manager resolves them: excused, replaced, time corrected.

Each resolution is one atomic service, scoped by `reviewer_check`, recorded as an
append-only AttendanceResolution and closing the flag it answers (flag_resolve, so the
flag says who and when). A shift's own clock times are evidence and stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.attendance.errors import ExceptionNotFound
from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.core.errors import Conflict, ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.flags.models import Flag, FlagStatus
from backend.flags.services import flag_resolve
from backend.rules.findings import FlagCode
from backend.sites.access import reviewer_check
from backend.sites.scopes import Scope
from backend.staffing.models import Shift, ShiftStatus
from backend.staffing.notices import guard_notice_shift_assigned
from backend.staffing.selectors import shifts_visible
from backend.staffing.services import shift_mark_missed, shift_schedule

EXCEPTION_CODES: tuple[str, ...] = (
    FlagCode.LATE_CLOCK_IN,
    FlagCode.EARLY_CLOCK_OUT,
    FlagCode.NO_SHOW,
    FlagCode.MISSED_CLOCK_OUT,
    FlagCode.OUT_OF_POSITION,
)
# A replacement covers a post left empty; a late, mispositioned or unclocked-out guard is there.
REPLACEABLE_CODES: tuple[str, ...] = (FlagCode.NO_SHOW, FlagCode.EARLY_CLOCK_OUT)


# --- Reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Times:
    """A shift's clock times as billed: the verified ones and, beside them, a manager's correction."""

    verified_clock_in_at: datetime | None
    verified_clock_out_at: datetime | None
    corrected_clock_in_at: datetime | None
    corrected_clock_out_at: datetime | None

    @property
    def clock_in_at(self) -> datetime | None:
        return self.corrected_clock_in_at or self.verified_clock_in_at

    @property
    def clock_out_at(self) -> datetime | None:
        return self.corrected_clock_out_at or self.verified_clock_out_at


def shift_times(*, shift: Shift) -> Times:
    """Both sets of times, the newest correction of each winning for the effective one (one query)."""
    corrected_in = corrected_out = None
    for correction in AttendanceResolution.objects.filter(shift=shift, kind=ResolutionKind.TIME_CORRECTED).order_by(
        "-created_at", "-pk"
    ):
        corrected_in = corrected_in or correction.corrected_clock_in_at
        corrected_out = corrected_out or correction.corrected_clock_out_at
    return Times(
        verified_clock_in_at=shift.clock_in_verified_at or shift.clock_in_at,
        verified_clock_out_at=shift.clock_out_verified_at or shift.clock_out_at,
        corrected_clock_in_at=corrected_in,
        corrected_clock_out_at=corrected_out,
    )


def day_bounds(*, day: date, zone_name: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(zone_name)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def attendance_exceptions_visible(*, scope: Scope, day: date, zone_name: str, site_id: int | None = None) -> list[Flag]:
    """The attendance flags (not dismissed) on the viewer's shifts overlapping `day`, worst first.

    Two queries whatever the number of rows: the flags with shift, guard, post and site,
    then their resolutions (`flag.resolution` is None or the AttendanceResolution).
    """
    starts, ends = day_bounds(day=day, zone_name=zone_name)
    shifts = shifts_visible(scope=scope, starts_before=ends, ends_after=starts, site_id=site_id)
    flags = list(
        Flag.objects.filter(shift__in=shifts.values("pk"), code__in=EXCEPTION_CODES)
        .exclude(status=FlagStatus.DISMISSED)
        .select_related("shift__guard", "shift__post__site")
        .defer("shift__post__site__geofence")
        .order_by("shift__post__site__name", "shift__scheduled_start", "pk")
    )
    resolutions = {
        r.flag_id: r
        for r in AttendanceResolution.objects.filter(flag__in=flags).select_related(
            "resolved_by", "replacement_shift__guard"
        )
    }
    for flag in flags:
        flag.resolution = resolutions.get(flag.pk)
    return flags


def attendance_exception_get_visible(*, scope: Scope, flag_id: int) -> Flag:
    flag: Flag | None = (
        Flag.objects.filter(pk=flag_id, code__in=EXCEPTION_CODES, shift__in=shifts_visible(scope=scope).values("pk"))
        .exclude(status=FlagStatus.DISMISSED)
        .select_related("shift__guard", "shift__post__site__client")
        .defer("shift__post__site__geofence")
        .first()
    )
    if flag is None:
        raise ExceptionNotFound()
    return flag


# --- Writes -----------------------------------------------------------------------------


def _exception_for_review(*, flag: Flag, by: User) -> tuple[Flag, Shift]:
    """Lock the flag, check the reviewer reaches its site and that nobody resolved it yet."""
    locked = Flag.objects.select_for_update(of=("self",)).filter(pk=flag.pk, code__in=EXCEPTION_CODES).first()
    if locked is None or locked.shift_id is None or locked.status == FlagStatus.DISMISSED:
        raise ExceptionNotFound()
    shift = (
        Shift.objects.select_related("post__site__client", "guard")
        .defer("post__site__geofence")
        .get(pk=locked.shift_id)
    )
    site = shift.post.site
    reviewer_check(user=by, company_id=site.client.company_id, site_id=site.pk, not_found=ExceptionNotFound())
    earlier = AttendanceResolution.objects.filter(flag=locked).select_related("resolved_by").first()
    if earlier is not None:
        raise Conflict(
            f"This exception was already resolved ({earlier.get_kind_display().lower()}) by {earlier.resolved_by} "
            f"at {local_time(earlier.created_at, site.timezone, DATE_TIME)}.",
            code="exception_already_resolved",
        )
    return locked, shift


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationFailed("Give a reason.", field="reason", code="reason_required")
    return text


def _resolve(
    *, flag: Flag, shift: Shift, by: User, kind: ResolutionKind, reason: str, note: str, **fields: object
) -> AttendanceResolution:
    """Record how a reviewer resolved the (locked) exception, and close its flag with `note`.

    `fields` are the kind's own columns (the replacement shift, the corrected times).
    """
    resolution = AttendanceResolution.objects.create(
        flag=flag, shift=shift, kind=kind, reason=reason, resolved_by=by, **fields
    )
    # A flag the rules already closed (the guard arrived late, then stayed) keeps its record.
    if flag.status == FlagStatus.OPEN:
        flag_resolve(flag=flag, by=by, note=note)
    return resolution


@transaction.atomic
def attendance_exception_excuse(*, flag: Flag, by: User, reason: str) -> AttendanceResolution:
    """Excuse the exception with a reason. Raises ExceptionNotFound, `not_a_reviewer`,
    `reason_required`, `exception_already_resolved`."""
    text = _reason(reason)
    locked, shift = _exception_for_review(flag=flag, by=by)
    return _resolve(flag=locked, shift=shift, by=by, kind=ResolutionKind.EXCUSED, reason=text, note=f"Excused: {text}")


@transaction.atomic
def attendance_replacement_assign(
    *,
    flag: Flag,
    by: User,
    guard: User,
    reason: str = "",
    override: bool = False,
    override_reason: str = "",
    now: datetime | None = None,
) -> AttendanceResolution:
    """Put `guard` on the post for the rest of the shift (from now, or the early clock-out).

    `override` (or an `override_reason`): `by` schedules the guard over the post's missing
    qualifications, with the reason (a manager's call: shift_schedule checks).

    A no-show nobody clocked into is marked missed. The replacement shift is scheduled
    through shift_schedule, so its checks hold (guard of the company, no double booking,
    qualifications unless overridden) and it appears in the guard's GET /shifts; the guard
    is told on their phone's next sync (GET /notices) and by e-mail. Raises
    ExceptionNotFound, `not_a_reviewer`, `exception_already_resolved`,
    `replacement_not_applicable`, `same_guard`, `shift_already_over`, and shift_schedule's codes.
    """
    moment = now or timezone.now()
    locked, shift = _exception_for_review(flag=flag, by=by)
    if locked.code not in REPLACEABLE_CODES:
        raise Conflict(
            "A replacement covers a post left empty (a no-show or an early clock-out); "
            f"this exception is {locked.get_code_display().lower()}.",
            code="replacement_not_applicable",
        )
    if guard.pk == shift.guard_id:
        raise ValidationFailed("Pick another guard than the one on the shift.", field="guard", code="same_guard")
    starts_at = max(moment, shift.scheduled_start, shift.clock_out_at or shift.scheduled_start)
    site = shift.post.site
    if starts_at >= shift.scheduled_end:
        raise Conflict(
            f"This shift ended at {local_time(shift.scheduled_end, site.timezone, DATE_TIME)}; "
            "there is no time left to cover.",
            code="shift_already_over",
        )
    text = reason.strip() or f"Replaces {shift.guard} ({locked.get_code_display().lower()})."
    if shift.status == ShiftStatus.SCHEDULED and shift.clock_in_at is None:
        shift_mark_missed(shift_ids=[shift.pk], at=moment, by=by, note=text)
    replacement = shift_schedule(
        guard=guard,
        post=shift.post,
        starts_at=starts_at,
        ends_at=shift.scheduled_end,
        notes=f"Replacement for {shift.guard}: {text}",
        override_by=by if override or override_reason.strip() else None,
        override_reason=override_reason,
    )
    # The replacement learns it on their phone's next sync (and by e-mail), not only from GET /shifts.
    guard_notice_shift_assigned(shift=replacement, replacing=shift.guard, why=locked.get_code_display().lower())
    return _resolve(
        flag=locked,
        shift=shift,
        by=by,
        kind=ResolutionKind.REPLACEMENT,
        reason=text,
        note=f"Replaced by {guard}: {text}",
        replacement_shift=replacement,
    )


@transaction.atomic
def attendance_time_correct(
    *,
    flag: Flag,
    by: User,
    reason: str,
    clock_in_at: datetime | None = None,
    clock_out_at: datetime | None = None,
    now: datetime | None = None,
) -> AttendanceResolution:
    """Record the actual clock-in/out a manager vouches for, beside the GPS-verified ones.

    Raises ExceptionNotFound, `not_a_reviewer`, `reason_required`, `time_required`,
    `naive_datetime`, `time_in_future`, `clock_out_before_clock_in`, `exception_already_resolved`.
    """
    moment = now or timezone.now()
    text = _reason(reason)
    if clock_in_at is None and clock_out_at is None:
        raise ValidationFailed("Give the actual clock-in or clock-out.", field="clock_in_at", code="time_required")
    for name, value in (("clock_in_at", clock_in_at), ("clock_out_at", clock_out_at)):
        if value is not None and timezone.is_naive(value):
            raise ValidationFailed("Times need a time zone.", field=name, code="naive_datetime")
        if value is not None and value > moment:
            raise ValidationFailed("A corrected time cannot be in the future.", field=name, code="time_in_future")
    locked, shift = _exception_for_review(flag=flag, by=by)
    effective_in = clock_in_at or shift.clock_in_verified_at or shift.clock_in_at
    if clock_out_at is not None and effective_in is not None and clock_out_at <= effective_in:
        raise ValidationFailed(
            "The clock-out must come after the clock-in.", field="clock_out_at", code="clock_out_before_clock_in"
        )
    return _resolve(
        flag=locked,
        shift=shift,
        by=by,
        kind=ResolutionKind.TIME_CORRECTED,
        reason=text,
        note=f"Time corrected: {text}",
        corrected_clock_in_at=clock_in_at,
        corrected_clock_out_at=clock_out_at,
    )

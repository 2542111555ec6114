"""What a client contact reads in the portal: their sites' week, a day's verified attendance, the posts now.

Everything is read through the contact's Scope (`backend.sites.scopes`): their client's
sites, or only those they are limited to; another client's or company's site is simply
not there (NotFound). Each read costs a fixed number of queries, whatever the number of
shifts. The company's own judgements (flags) are read only to compute time on post and
never shown; the guards' breadcrumbs never leave the server (a post-status line says
where things stand instead).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from backend.accounts.models import Company
from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.attendance.on_post import Interval, away_intervals, on_post_seconds
from backend.attendance.resolutions import day_bounds
from backend.clientview.errors import DayOutOfRange, ShiftNotFound
from backend.clientview.figures import (
    NOT_YET,
    Judgement,
    TourTally,
    judge,
    percent,
    tour_tally,
    worst,
)
from backend.core.localtime import TIME, local_time, to_local
from backend.core.querysets import one_visible_or_not_found
from backend.incidents.models import IncidentReport, IncidentStatus
from backend.rules.selectors import thresholds_for
from backend.rules.thresholds import Thresholds
from backend.sites.models import Checkpoint, Site
from backend.sites.scopes import Scope
from backend.sites.selectors import sites_visible
from backend.staffing.models import Post, Shift, ShiftStatus
from backend.staffing.selectors import shifts_visible
from backend.tracking.models import CheckpointScan, ClockEvent, ClockKind, FenceState

WEEK = timedelta(days=7)
OLDEST_WEEK = timedelta(days=366)
"""How far back the portal's week and day pages reach (a year: the monthly summaries keep the rest)."""
POST_STATUS_WINDOW = timedelta(hours=12)
"""Shifts this close to now are read for the post-status lines (the one before and the next)."""


def week_start(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())


def day_in_range(*, day: date, today: date, field_name: str) -> date:
    """`day` when the portal shows it: not in the future, at most a year back (else DayOutOfRange on the field)."""
    if day > today:
        raise DayOutOfRange("That day has not come yet.", field=field_name)
    if day < today - OLDEST_WEEK:
        raise DayOutOfRange(
            "The portal shows the last twelve months; older ones are in the monthly summaries.", field=field_name
        )
    return day


def _guard_name(shift: Shift) -> str:
    return shift.guard.get_full_name() or shift.guard.username


def _verified(shift: Shift) -> tuple[datetime | None, datetime | None]:
    """The clock times the evidence supports (a manager-set time where none was verified: it stands)."""
    return shift.clock_in_verified_at or shift.clock_in_at, shift.clock_out_verified_at or shift.clock_out_at


def _counted_window(shift: Shift, span: Interval, now: datetime) -> Interval:
    """The part of the scheduled window inside `span` (a day, a week) that has happened by `now` (may be empty)."""
    start = max(shift.scheduled_start, span[0])
    return start, max(start, min(shift.scheduled_end, span[1], now))


def _clocked(shift: Shift, now: datetime) -> Interval | None:
    clock_in, clock_out = _verified(shift)
    if clock_in is None:
        return None
    return clock_in, clock_out or now


def _is_late(shift: Shift, grace: timedelta) -> bool:
    clock_in, _ = _verified(shift)
    return clock_in is not None and clock_in > shift.scheduled_start + grace


def _is_no_show(shift: Shift, now: datetime, thresholds: Thresholds) -> bool:
    if shift.status == ShiftStatus.MISSED:
        return True
    waited = timedelta(minutes=thresholds.no_show_after_min)
    return shift.status == ShiftStatus.SCHEDULED and shift.clock_in_at is None and shift.scheduled_start + waited < now


class _Tours:
    """Tour scans of a set of shifts and the active checkpoints of their sites: two queries, then per shift."""

    def __init__(self, shifts: Sequence[Shift], thresholds: Thresholds, now: datetime) -> None:
        toured = [shift for shift in shifts if shift.post.tour_interval_minutes and shift.clock_in_at is not None]
        self.now = now
        self.grace = timedelta(minutes=thresholds.missed_checkpoint_grace_min)
        self.checkpoints: dict[int, set[int]] = defaultdict(set)
        self.scans: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        if not toured:
            return
        site_ids = {shift.post.site_id for shift in toured}
        for site_id, checkpoint_id in Checkpoint.objects.filter(site_id__in=site_ids, is_active=True).values_list(
            "site_id", "pk"
        ):
            self.checkpoints[site_id].add(checkpoint_id)
        scans = CheckpointScan.objects.filter(
            shift_id__in=[shift.pk for shift in toured], checkpoint__is_active=True
        ).values_list("shift_id", "checkpoint_id", "recorded_at")
        for shift_id, checkpoint_id, recorded_at in scans:
            if shift_id is not None:
                self.scans[shift_id].append((checkpoint_id, recorded_at))

    def of(self, shift: Shift, span: Interval) -> TourTally:
        clock_in, clock_out = _verified(shift)
        minutes = shift.post.tour_interval_minutes
        if not minutes or clock_in is None:
            return TourTally()
        tour_end = min(clock_out or shift.scheduled_end, shift.scheduled_end)
        return tour_tally(
            clocked=(clock_in, tour_end),
            interval=timedelta(minutes=minutes),
            grace=self.grace,
            now=self.now,
            checkpoints=self.checkpoints.get(shift.post.site_id, set()),
            scans=self.scans.get(shift.pk, []),
            counted=span,
        )


def _thresholds(scope: Scope) -> Thresholds:
    return thresholds_for(company=scope.company_id or -1)


# --- The sites overview: each site's week ------------------------------------------------------


@dataclass(frozen=True)
class PostStatus:
    """One post's line right now: "Gatehouse: on post since 21:58 EST"."""

    post: str
    text: str
    status: str


class _OnPost:
    """Coverage of anything that counts seconds scheduled and seconds on post."""

    scheduled_seconds: float
    on_post_seconds: float

    @property
    def coverage(self) -> float | None:
        return self.on_post_seconds / self.scheduled_seconds if self.scheduled_seconds else None

    @property
    def coverage_text(self) -> str:
        return percent(self.coverage)


@dataclass
class SiteWeek(_OnPost):
    """One site's week so far, as its client reads it."""

    site: Site
    week_starts: date
    scheduled_seconds: float = 0.0
    on_post_seconds: float = 0.0
    shifts: int = 0
    completed: int = 0
    late: int = 0
    no_shows: int = 0
    incidents: int = 0
    incidents_in_review: int = 0
    tour: TourTally = field(default_factory=TourTally)
    coverage_judgement: Judgement = NOT_YET
    tour_judgement: Judgement = NOT_YET
    posts_now: list[PostStatus] = field(default_factory=list)

    @property
    def judgement(self) -> Judgement:
        return worst(self.coverage_judgement, self.tour_judgement)

    @property
    def tour_text(self) -> str:
        """'42 of 42 checkpoints scanned by Tue 06:00 EST', or what there is instead."""
        if not self.tour.expected:
            return "No tour rounds due yet this week."
        due = to_local(self.tour.due_by, self.site.timezone) if self.tour.due_by else None
        by = f" by {due:%a %H:%M} {due.tzname()}" if due is not None else ""
        return f"{self.tour.done} of {self.tour.expected} checkpoints scanned{by}"


@dataclass(frozen=True)
class SitesOverview:
    week_starts: date
    sites: list[SiteWeek]
    thresholds: Thresholds

    @property
    def previous_week(self) -> date:
        return self.week_starts - WEEK


def _week_bounds(site: Site, monday: date) -> Interval:
    starts, _ = day_bounds(day=monday, zone_name=site.timezone)
    ends, _ = day_bounds(day=monday + WEEK, zone_name=site.timezone)
    return starts, ends


def sites_overview(*, scope: Scope, week_of: date, now: datetime) -> SitesOverview:
    """Each of the viewer's active sites in the week (Monday to Sunday, on each site's clock) that holds `week_of`.

    Coverage and tours count what has happened by `now`, inside the week (a night shift from
    Sunday into Monday counts its hours in each week). Queries: the sites, the week's
    shifts, their out-of-position spells, the tours (two), the reports, the thresholds and
    the posts-now read: eight, whatever the number of sites.
    """
    monday = week_start(week_of)
    thresholds = _thresholds(scope)
    sites = list(sites_visible(scope=scope, active_only=True).defer("geofence"))
    weeks = {site.pk: SiteWeek(site=site, week_starts=monday) for site in sites}
    bounds = {site.pk: _week_bounds(site, monday) for site in sites}
    if not sites:
        return SitesOverview(week_starts=monday, sites=[], thresholds=thresholds)
    earliest = min(start for start, _ in bounds.values())
    latest = max(end for _, end in bounds.values())
    shifts = [
        shift
        for shift in shifts_visible(scope=scope, starts_before=min(latest, now), ends_after=earliest).exclude(
            status=ShiftStatus.CANCELLED
        )
        if shift.post.site_id in bounds
        and shift.scheduled_start < bounds[shift.post.site_id][1]
        and shift.scheduled_end > bounds[shift.post.site_id][0]
    ]
    away = away_intervals(shift_ids=[shift.pk for shift in shifts], now=now)
    tours = _Tours(shifts, thresholds, now)
    grace = timedelta(minutes=thresholds.late_clock_in_grace_min)
    for shift in shifts:
        week, span = weeks[shift.post.site_id], bounds[shift.post.site_id]
        window = _counted_window(shift, span, now)
        week.shifts += 1
        week.scheduled_seconds += (window[1] - window[0]).total_seconds()
        week.on_post_seconds += on_post_seconds(window=window, clocked=_clocked(shift, now), away=away[shift.pk])
        week.completed += shift.status == ShiftStatus.COMPLETED
        week.late += _is_late(shift, grace)
        week.no_shows += _is_no_show(shift, now, thresholds)
        week.tour = week.tour + tours.of(shift, span)
    for site_id, occurred_at, status in (
        IncidentReport.objects.for_scope(scope)
        .filter(occurred_at__gte=earliest, occurred_at__lt=latest, archived_at__isnull=True)
        .values_list("shift__post__site_id", "occurred_at", "status")
    ):
        if site_id in bounds and bounds[site_id][0] <= occurred_at < bounds[site_id][1]:
            weeks[site_id].incidents += status == IncidentStatus.APPROVED
            weeks[site_id].incidents_in_review += status != IncidentStatus.APPROVED
    limits = {"on_target_pct": thresholds.client_on_target_pct, "attention_pct": thresholds.client_attention_pct}
    for week in weeks.values():
        week.coverage_judgement = judge(week.coverage, **limits)
        week.tour_judgement = judge(week.tour.ratio, **limits)
    if monday <= to_local(now, sites[0].timezone).date() < monday + WEEK:
        for site_id, lines in posts_now(scope=scope, site_ids=list(weeks), now=now, thresholds=thresholds).items():
            weeks[site_id].posts_now = lines
    return SitesOverview(week_starts=monday, sites=list(weeks.values()), thresholds=thresholds)


# --- What each post looks like now ---------------------------------------------------------------


def _post_line(post: Post, shifts: Sequence[Shift], now: datetime, grace: timedelta, zone_name: str) -> PostStatus:
    """The guard on post since when, a relief or a guard who is late, a post not covered, or the next shift."""

    def at(moment: datetime) -> str:
        return local_time(moment, zone_name, TIME)

    started = [shift for shift in shifts if shift.status == ShiftStatus.IN_PROGRESS and shift.clock_in_at is not None]
    late = [
        shift
        for shift in shifts
        if shift.status == ShiftStatus.SCHEDULED
        and shift.clock_in_at is None
        and shift.scheduled_start + grace < now < shift.scheduled_end
    ]
    missed = [shift for shift in shifts if shift.status == ShiftStatus.MISSED and shift.scheduled_end > now]
    if started:
        current = max(started, key=lambda shift: shift.clock_in_at or shift.scheduled_start)
        since = current.clock_in_verified_at or current.clock_in_at or current.scheduled_start
        text = f"on post since {at(since)}"
        relief = [
            shift for shift in late if shift.pk != current.pk and shift.scheduled_start >= current.scheduled_start
        ]
        if relief:
            return PostStatus(post.name, f"{text}; relief late, expected {at(relief[0].scheduled_start)}", "attention")
        return PostStatus(post.name, text, "ok")
    if late:
        return PostStatus(post.name, f"guard late, expected {at(late[0].scheduled_start)}", "critical")
    if missed:
        return PostStatus(post.name, f"not covered since {at(missed[0].scheduled_start)}", "critical")
    upcoming = [shift for shift in shifts if shift.status == ShiftStatus.SCHEDULED and shift.scheduled_start > now]
    if upcoming:
        return PostStatus(post.name, f"next shift at {at(upcoming[0].scheduled_start)}", "muted")
    return PostStatus(post.name, "no shift scheduled now", "muted")


def posts_now(
    *, scope: Scope, site_ids: Sequence[int], now: datetime, thresholds: Thresholds | None = None
) -> dict[int, list[PostStatus]]:
    """Each active post of these (visible) sites, as it stands at `now`: two queries."""
    limits = thresholds or _thresholds(scope)
    grace = timedelta(minutes=limits.late_clock_in_grace_min)
    by_post: dict[int, list[Shift]] = defaultdict(list)
    nearby = shifts_visible(scope=scope, starts_before=now + POST_STATUS_WINDOW, ends_after=now - POST_STATUS_WINDOW)
    for shift in nearby.filter(post__site_id__in=list(site_ids)).exclude(status=ShiftStatus.CANCELLED):
        by_post[shift.post_id].append(shift)
    lines: dict[int, list[PostStatus]] = defaultdict(list)
    posts = Post.objects.for_scope(scope).filter(site_id__in=list(site_ids), is_active=True).select_related("site")
    for post in posts.defer("site__geofence").order_by("site_id", "name"):
        lines[post.site_id].append(_post_line(post, by_post[post.pk], now, grace, post.site.timezone))
    return lines


# --- One site's day: verified attendance ---------------------------------------------------------

FENCE_WORDS: Mapping[str, tuple[str, str]] = {
    FenceState.INSIDE: ("inside the fence", "ok"),
    FenceState.NEAR: ("near the fence", "attention"),
    FenceState.OUTSIDE: ("outside the fence", "critical"),
    FenceState.UNKNOWN: ("position too coarse to judge", "muted"),
}


@dataclass(frozen=True)
class ClockPlace:
    """Where a clock-in or clock-out was made, in words: inside / near / outside the fence."""

    text: str
    status: str

    @classmethod
    def of(cls, event: ClockEvent | None) -> ClockPlace | None:
        if event is None:
            return None
        text, status = FENCE_WORDS.get(event.fence, ("no position sent", "muted"))
        if event.fence in (FenceState.NEAR, FenceState.OUTSIDE) and event.distance_m:
            text = f"{text} ({event.distance_m:.0f} m out)"
        return cls(text=text, status=status)


@dataclass(frozen=True)
class Correction:
    """A manager's resolution of an attendance exception, shown as such with its reason."""

    kind: str
    label: str
    reason: str
    at: datetime
    clock_in_at: datetime | None = None
    clock_out_at: datetime | None = None
    replacement_guard: str = ""


@dataclass(frozen=True)
class ShiftRecord(_OnPost):
    """One shift of the day as the client reads it: scheduled, verified, where, covered, corrected."""

    shift: Shift
    guard: str
    clock_in_at: datetime | None
    clock_out_at: datetime | None
    clock_in_place: ClockPlace | None
    clock_out_place: ClockPlace | None
    scheduled_seconds: float
    on_post_seconds: float
    late: bool
    no_show: bool
    corrections: tuple[Correction, ...]

    @property
    def state(self) -> tuple[str, str]:
        """(status class, word) for the shift's row."""
        if self.no_show:
            return "critical", "No-show"
        if self.shift.status == ShiftStatus.SCHEDULED:
            return "muted", "Not started"
        if self.late:
            return "attention", "Late"
        if self.shift.status == ShiftStatus.IN_PROGRESS:
            return "info", "On shift"
        return "ok", "Completed"


@dataclass(frozen=True)
class AttendanceDay:
    site: Site
    day: date
    shifts: list[ShiftRecord]
    posts_now: list[PostStatus]
    coverage_judgement: Judgement

    @property
    def coverage(self) -> float | None:
        scheduled = sum(record.scheduled_seconds for record in self.shifts)
        return sum(record.on_post_seconds for record in self.shifts) / scheduled if scheduled else None

    @property
    def coverage_text(self) -> str:
        return percent(self.coverage)


RESOLUTION_LABELS = {
    ResolutionKind.TIME_CORRECTED: "Time corrected by operations",
    ResolutionKind.EXCUSED: "Excused by operations",
    ResolutionKind.REPLACEMENT: "Replacement assigned by operations",
}


def _corrections(shift_ids: Iterable[int]) -> dict[int, list[Correction]]:
    corrections: dict[int, list[Correction]] = defaultdict(list)
    resolutions = (
        AttendanceResolution.objects.filter(shift_id__in=list(shift_ids))
        .select_related("replacement_shift__guard")
        .order_by("created_at", "pk")
    )
    for resolution in resolutions:
        replacement = resolution.replacement_shift
        corrections[resolution.shift_id].append(
            Correction(
                kind=resolution.kind,
                label=RESOLUTION_LABELS.get(ResolutionKind(resolution.kind), resolution.get_kind_display()),
                reason=resolution.reason,
                at=resolution.created_at,
                clock_in_at=resolution.corrected_clock_in_at,
                clock_out_at=resolution.corrected_clock_out_at,
                replacement_guard=_guard_name(replacement) if replacement is not None else "",
            )
        )
    return corrections


def client_site_get(*, scope: Scope, site_id: int) -> Site:
    """One active site the viewer may see, without its fence; another client's or company's is NotFound."""
    return one_visible_or_not_found(
        client_sites(scope=scope), pk=site_id, message="No such site.", code="site_not_found"
    )


def site_attendance_day(*, scope: Scope, site: Site, day: date, now: datetime) -> AttendanceDay:
    """The shifts of `day` (on the site's clock) at `site` (one `client_site_get` gave), with their evidence;
    a shift across midnight is on both days, each counting its own hours.

    Queries: the shifts, their clock events, out-of-position spells, corrections, the
    thresholds and (for today) the posts now: a fixed number whatever the shifts.
    """
    thresholds = _thresholds(scope)
    starts, ends = day_bounds(day=day, zone_name=site.timezone)
    shifts = list(
        shifts_visible(scope=scope, site_id=site.pk, starts_before=ends, ends_after=starts).exclude(
            status=ShiftStatus.CANCELLED
        )
    )
    ids = [shift.pk for shift in shifts]
    events: dict[tuple[int, str], ClockEvent] = {
        (event.shift_id, event.kind): event for event in ClockEvent.objects.filter(shift_id__in=ids)
    }
    away = away_intervals(shift_ids=ids, now=now)
    corrections = _corrections(ids)
    grace = timedelta(minutes=thresholds.late_clock_in_grace_min)
    records = []
    for shift in shifts:
        clock_in, clock_out = _verified(shift)
        window = _counted_window(shift, (starts, ends), now)
        records.append(
            ShiftRecord(
                shift=shift,
                guard=_guard_name(shift),
                clock_in_at=clock_in,
                clock_out_at=clock_out,
                clock_in_place=ClockPlace.of(events.get((shift.pk, ClockKind.IN))),
                clock_out_place=ClockPlace.of(events.get((shift.pk, ClockKind.OUT))),
                scheduled_seconds=(window[1] - window[0]).total_seconds(),
                on_post_seconds=on_post_seconds(window=window, clocked=_clocked(shift, now), away=away[shift.pk]),
                late=_is_late(shift, grace),
                no_show=_is_no_show(shift, now, thresholds),
                corrections=tuple(corrections[shift.pk]),
            )
        )
    today = to_local(now, site.timezone).date()
    lines = posts_now(scope=scope, site_ids=[site.pk], now=now, thresholds=thresholds)[site.pk] if day == today else []
    scheduled = sum(record.scheduled_seconds for record in records)
    coverage = sum(record.on_post_seconds for record in records) / scheduled if scheduled else None
    judgement = judge(
        coverage, on_target_pct=thresholds.client_on_target_pct, attention_pct=thresholds.client_attention_pct
    )
    return AttendanceDay(site=site, day=day, shifts=records, posts_now=lines, coverage_judgement=judgement)


def client_sites(*, scope: Scope) -> QuerySet[Site]:
    """The viewer's active sites, by name, without their fences (the portal's pickers)."""
    return sites_visible(scope=scope, active_only=True).defer("geofence")


def shift_get_for_client(*, scope: Scope, shift_id: int) -> Shift:
    """One shift on the viewer's sites (not a cancelled one); another client's is NotFound."""
    shift: Shift | None = shifts_visible(scope=scope).filter(pk=shift_id).exclude(status=ShiftStatus.CANCELLED).first()
    if shift is None:
        raise ShiftNotFound()
    return shift


def client_time_zone(*, scope: Scope) -> str:
    """The clock the contact's pages count days on: their first site's (clients sit in one zone), else the company's."""
    site_zone = client_sites(scope=scope).values_list("timezone", flat=True).first()
    if site_zone:
        return str(site_zone)
    company_zone = Company.objects.filter(pk=scope.company_id or -1).values_list("timezone", flat=True).first()
    return str(company_zone or "UTC")

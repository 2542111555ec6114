"""Reads of the live board (console /console/live): shifts now and soon, their guards' last
fixes, and the alerts that wait for a person. Each read costs a fixed number of queries,
whatever the number of shifts (the board refreshes itself every few seconds).

Coverage here is a cheap approximation, named as such on the board: the share of the
scheduled time elapsed so far during which the guard was clocked in (from the shift's
clock-in and clock-out; no breadcrumbs read). The monitoring pass judges presence from the
breadcrumbs and raises OUT_OF_POSITION; the board shows that flag beside the figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import FloatField, Max, Q
from django.db.models.expressions import RawSQL

from backend.accounts.models import User
from backend.core.binary_rows import binary_rows
from backend.core.localtime import DATE_TIME, local_time
from backend.core.querysets import counts_by
from backend.flags.models import AlertNote, FlagStatus
from backend.flags.selectors import flags_visible
from backend.rules.findings import FlagCode, Severity
from backend.sites.models import Checkpoint, Site
from backend.sites.scopes import Scope
from backend.staffing.models import GuardQualification, Post, PostRequirement, Qualification, Shift, ShiftStatus
from backend.staffing.selectors import QUALIFICATION_WARNING_DAYS, shift_get_visible, shifts_visible
from backend.tracking.models import CheckpointScan, FenceState, Ping, ShiftLastFix
from backend.tracking.selectors import panic_alerts_visible

BOARD_LOOKAHEAD = timedelta(hours=2)
"""Shifts starting this soon are on the board before they start."""
NO_SIGNAL_AFTER = timedelta(minutes=10)
"""A last fix older than this is 'no signal', whatever it said."""
NEW_WARNING_WINDOW = timedelta(hours=24)
"""Open warnings raised this recently are alerts; older ones wait in the review queue."""
ALERTS_SHOWN = 100


class FenceNow:
    INSIDE = "inside"
    NEAR = "near"
    OUTSIDE = "outside"
    NO_SIGNAL = "no_signal"


FENCE_LABELS = {
    FenceNow.INSIDE: "Inside",
    FenceNow.NEAR: "Near the fence",
    FenceNow.OUTSIDE: "Outside",
    FenceNow.NO_SIGNAL: "No signal",
}
FENCE_STATUS = {
    FenceNow.INSIDE: "ok",
    FenceNow.NEAR: "attention",
    FenceNow.OUTSIDE: "critical",
    FenceNow.NO_SIGNAL: "muted",
}

STATE_LABELS = {
    "no_show": "No-show",
    "late": "Late: not clocked in",
    "in_progress": "On shift",
    "upcoming": "Starts soon",
}
STATE_STATUS = {"no_show": "critical", "late": "critical", "in_progress": "ok", "upcoming": "muted"}
SEVERITY_STATUS = {
    Severity.CRITICAL.value: "critical",
    Severity.WARNING.value: "attention",
    Severity.INFO.value: "info",
}


class LastFix(NamedTuple):
    # Tuples, not dataclasses: 5,000 of each per refresh, and a frozen dataclass's __init__
    # costs several times a tuple's.
    recorded_at: datetime
    lon: float | None
    lat: float | None
    accuracy_m: float | None
    fence: str
    distance_m: float | None


@dataclass(slots=True)
class BoardRow:
    shift: BoardShift
    state: str  # late, no_show, in_progress, upcoming
    fence_now: str
    last_fix: LastFix | None
    fix_age: timedelta | None
    coverage: float | None
    tour_done: int | None
    tour_total: int | None
    flags: list[dict[str, Any]] = field(default_factory=list)
    qualification_warnings: list[BoardWarning] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return self.state in ("late", "no_show")

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def state_status(self) -> str:
        return STATE_STATUS[self.state]

    @property
    def fence_label(self) -> str:
        return FENCE_LABELS[self.fence_now]

    @property
    def fence_status(self) -> str:
        return FENCE_STATUS[self.fence_now]

    @property
    def coverage_percent(self) -> int | None:
        return None if self.coverage is None else round(self.coverage * 100)


@dataclass
class BoardSite:
    site_id: int
    name: str
    timezone: str
    rows: list[BoardRow]

    @property
    def attention(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)


@dataclass
class LiveBoard:
    now: datetime
    sites: list[BoardSite]
    qualification_warnings: list[BoardWarning] = field(default_factory=list)
    """Scheduled shifts of the next QUALIFICATION_WARNING_DAYS whose guard's required
    qualification lapses before (or within 30 days of) them, soonest shift first."""

    @property
    def rows(self) -> list[BoardRow]:
        return [row for site in self.sites for row in site.rows]


# The newest fix of each shift, from the table the database keeps for it (tracking.ShiftLastFix:
# triggers on the pings upsert it), one row per shift: a plain join, where reading the pings
# took one index probe per shift into the biggest table.
_LAST_FIX_COLUMNS = """extract(epoch FROM p.recorded_at)::float8, ST_X(p.location::geometry),
    ST_Y(p.location::geometry), p.accuracy_m, p.fence, p.distance_m"""
_LAST_FIX_SQL = f"""
SELECT s.id, {_LAST_FIX_COLUMNS}
FROM unnest(%s::bigint[]) AS s(id)
JOIN {ShiftLastFix._meta.db_table} AS p ON p.shift_id = s.id
"""  # noqa: S608 - constant text of this module; values are parameters
# The board's shifts (the ORM's query, its "pk" column) each with its last fix, in one query.
_BOARD_SQL = f"""
SELECT b.*, {_LAST_FIX_COLUMNS}
FROM ({{shifts}}) AS b
LEFT JOIN {ShiftLastFix._meta.db_table} AS p ON p.shift_id = b."pk"
"""  # noqa: S608 - constant text; the shifts' SQL is the ORM's, with its values as parameters


_OPEN_FLAGS_SQL = """
SELECT id, shift_id, code, severity, message FROM flags_flag
WHERE shift_id = ANY(%s::bigint[]) AND status = %s
ORDER BY raised_at, id
"""


def _at(epoch: float) -> datetime:
    # Times come as epoch seconds: parsing 20,000 timestamps from text costs more than the queries.
    return datetime.fromtimestamp(epoch, tz=UTC)


def last_fixes(*, shift_ids: list[int]) -> dict[int, LastFix]:
    """Each shift's newest breadcrumb, in one query (shifts without one are absent)."""
    if not shift_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_LAST_FIX_SQL, [shift_ids])
        at = datetime.fromtimestamp
        return {
            shift_id: LastFix(at(epoch, UTC), lon, lat, accuracy, fence, distance)
            for shift_id, epoch, lon, lat, accuracy, fence, distance in cursor.fetchall()
        }


_IN_PROGRESS, _MISSED = ShiftStatus.IN_PROGRESS.value, ShiftStatus.MISSED.value
_JUDGED: dict[str, str] = {
    FenceState.INSIDE.value: FenceNow.INSIDE,
    FenceState.NEAR.value: FenceNow.NEAR,
    FenceState.OUTSIDE.value: FenceNow.OUTSIDE,
}


def _fence_now(fix: LastFix | None, now: datetime) -> str:
    if fix is None or now - fix.recorded_at > NO_SIGNAL_AFTER:
        return FenceNow.NO_SIGNAL
    return _JUDGED.get(fix.fence, FenceNow.NO_SIGNAL)


def _state(shift: BoardShift, now: datetime) -> str:
    if shift.status == _MISSED:
        return "no_show"
    if shift.status == _IN_PROGRESS:
        return "in_progress"
    return "late" if shift.scheduled_start <= now else "upcoming"


def _coverage(shift: BoardShift, now: datetime) -> float | None:
    """Clocked-in share of the scheduled time elapsed so far (None before the shift starts)."""
    start, end = shift.scheduled_start, min(shift.scheduled_end, now)
    if end <= start:
        return None
    if shift.clock_in_at is None:
        return 0.0
    covered_to = min(shift.clock_out_at or now, end)
    covered = max(covered_to - max(shift.clock_in_at, start), timedelta(0))
    return min(covered / (end - start), 1.0)


def _tour_progress(shifts: list[BoardShift], now: datetime) -> dict[int, tuple[int, int]]:
    """For shifts at a post with a tour schedule: checkpoints scanned in the current round / active
    checkpoints of the site. Two queries when any such shift is on the board, none otherwise."""
    toured = [s for s in shifts if s.tour_interval_minutes and s.status == ShiftStatus.IN_PROGRESS]
    if not toured:
        return {}
    site_ids = {s.site_id for s in toured}
    totals = counts_by(Checkpoint.objects.filter(site_id__in=site_ids, is_active=True), "site_id")
    # One window for all: the longest round; each shift's own round is applied below.
    longest = max(s.tour_interval_minutes or 0 for s in toured)
    scans: dict[int, dict[int, datetime]] = defaultdict(dict)
    for shift_id, checkpoint_id, last in (
        CheckpointScan.objects.filter(
            shift_id__in=[s.pk for s in toured],
            recorded_at__gte=now - timedelta(minutes=longest),
            checkpoint__is_active=True,
        )
        .order_by()
        .values_list("shift_id", "checkpoint_id")
        .annotate(last=Max("recorded_at"))
        .values_list("shift_id", "checkpoint_id", "last")
    ):
        if shift_id is not None:
            scans[shift_id][checkpoint_id] = last
    progress: dict[int, tuple[int, int]] = {}
    for shift in toured:
        window_start = now - timedelta(minutes=shift.tour_interval_minutes or 0)
        done = sum(1 for moment in scans[shift.pk].values() if moment >= window_start)
        progress[shift.pk] = (done, totals.get(shift.site_id, 0))
    return progress


class BoardShift(NamedTuple):
    """What the board shows of a shift: read as plain values (5,000 model instances with their
    guard, post and site cost more than the rest of the refresh)."""

    pk: int
    status: str
    scheduled_start: datetime
    scheduled_end: datetime
    clock_in_at: datetime | None
    clock_out_at: datetime | None
    guard_id: int
    guard_name: str
    guard_phone: str
    post_name: str
    tour_interval_minutes: int | None
    site_id: int
    site_name: str
    site_timezone: str


_EPOCHS = {
    # Fixed column names of our own model, no input: nothing to inject.
    f"{name}_epoch": RawSQL(f'extract(epoch FROM "staffing_shift"."{name}")::float8', (), output_field=FloatField())  # noqa: S611
    for name in ("scheduled_start", "scheduled_end", "clock_in_at", "clock_out_at")
}
# Columns first, then the epoch annotations: the order the compiled SELECT has them in.
_BOARD_FIELDS = (
    "pk", "status", "guard_id",
    "guard__first_name", "guard__last_name", "guard__username", "guard__phone",
    "post__name", "post__tour_interval_minutes", "post__site_id", "post__site__name", "post__site__timezone",
    *_EPOCHS,
)  # fmt: skip


def board_shifts(
    *, scope: Scope, now: datetime, site_id: int | None = None
) -> tuple[list[BoardShift], dict[int, LastFix]]:
    """Shifts in progress, late, no-show or starting within BOARD_LOOKAHEAD, on the viewer's sites
    (in no particular order), and the last fix of each that has one: one query."""
    shifts = (
        Shift.objects.for_scope(scope)
        .filter(scheduled_start__lt=now + BOARD_LOOKAHEAD)
        .filter(
            Q(status=ShiftStatus.IN_PROGRESS)
            | Q(status__in=[ShiftStatus.SCHEDULED, ShiftStatus.MISSED], scheduled_end__gt=now)
        )
    )
    if site_id is not None:
        shifts = shifts.filter(post__site_id=site_id)
    shifts_sql, params = shifts.annotate(**_EPOCHS).order_by().values_list(*_BOARD_FIELDS).query.sql_with_params()
    # The ORM's SQL on a plain cursor: the rows need no converter, and the queryset's per-row
    # machinery costs as much as the query at 5,000 rows. Read in binary: parsing 100,000
    # values from text was half the refresh.
    fetched = binary_rows(_BOARD_SQL.format(shifts=shifts_sql), params)
    # Shifts share their scheduled times (and a board its few clock-in minutes): one datetime each.
    moments: dict[float, datetime] = {}

    def at(epoch: float) -> datetime:
        found = moments.get(epoch)
        if found is None:
            found = moments[epoch] = _at(epoch)
        return found

    board: list[BoardShift] = []
    fixes: dict[int, LastFix] = {}
    for (pk, status, guard_id, first, last, username, phone, post_name, interval, site, site_name, zone,
         start, end, clock_in, clock_out, fix_at, lon, lat, accuracy, fence, distance) in fetched:  # fmt: skip
        if fix_at is not None:
            fixes[pk] = LastFix(_at(fix_at), lon, lat, accuracy, fence, distance)
        board.append(
            BoardShift(
                pk,
                status,
                at(start),
                at(end),
                None if clock_in is None else at(clock_in),
                None if clock_out is None else at(clock_out),
                guard_id,
                f"{first} {last}".strip() or username,
                phone,
                post_name,
                interval,
                site,
                site_name,
                zone,
            )  # fmt: skip
        )
    return board, fixes


_STATE_ORDER = {"no_show": 0, "late": 1, "in_progress": 2, "upcoming": 3}


def live_board(*, scope: Scope, now: datetime, site_id: int | None = None) -> LiveBoard:
    """The board, grouped by site; late and no-show shifts first (and their sites first).

    Queries: the shifts with their last fixes, their open flags, their qualification warnings,
    and (when a toured post is on the board) two for tour progress: five at most, for 3 shifts
    or 5,000.
    """
    scope.require_operations("the live board")
    shifts, fixes = board_shifts(scope=scope, now=now, site_id=site_id)
    warnings = board_qualification_warnings(scope=scope, now=now, site_id=site_id)
    warnings_by_shift: dict[int, list[BoardWarning]] = defaultdict(list)
    for warning in warnings:
        warnings_by_shift[warning.shift_id].append(warning)
    ids = [shift.pk for shift in shifts]
    flags: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        # One array parameter, not 5,000 (an ORM `__in` builds a placeholder per id).
        with connection.cursor() as cursor:
            cursor.execute(_OPEN_FLAGS_SQL, [ids, FlagStatus.OPEN.value])
            for flag_id, shift_id, code, severity, message in cursor.fetchall():
                flags[shift_id].append(
                    {"id": flag_id, "code": code, "severity": severity, "message": message,
                     "status": SEVERITY_STATUS.get(severity, "info")}
                )  # fmt: skip
    tours = _tour_progress(shifts, now)
    by_site: dict[int, BoardSite] = {}
    for shift in shifts:
        fix = fixes.get(shift.pk)
        tour = tours.get(shift.pk)
        row = BoardRow(
            shift=shift,
            state=_state(shift, now),
            fence_now=_fence_now(fix, now) if shift.status == _IN_PROGRESS else FenceNow.NO_SIGNAL,
            last_fix=fix,
            fix_age=now - fix.recorded_at if fix is not None else None,
            coverage=_coverage(shift, now),
            tour_done=tour[0] if tour else None,
            tour_total=tour[1] if tour else None,
            flags=flags.get(shift.pk, []),
            qualification_warnings=warnings_by_shift.get(shift.pk, []),
        )
        if shift.site_id not in by_site:
            by_site[shift.site_id] = BoardSite(
                site_id=shift.site_id, name=shift.site_name, timezone=shift.site_timezone, rows=[]
            )
        by_site[shift.site_id].rows.append(row)
    for board_site in by_site.values():
        board_site.rows.sort(key=lambda row: (_STATE_ORDER[row.state], row.shift.scheduled_start, row.shift.pk))
    sites = sorted(by_site.values(), key=lambda s: (-s.attention, s.name, s.site_id))
    return LiveBoard(now=now, sites=sites, qualification_warnings=warnings)


class BoardWarning(NamedTuple):
    """A required qualification that lapses before, or within 30 days of, a scheduled shift."""

    shift_id: int
    qualification_name: str
    expires_on: date | None
    """None: the guard holds none covering the shift at all (scheduled by an override)."""
    guard_name: str
    site_name: str
    site_timezone: str
    scheduled_start: datetime

    def sentence(self) -> str:
        """Word for word the guard page's (staffing.selectors.QualificationWarning.sentence)."""
        when = local_time(self.scheduled_start, self.site_timezone, DATE_TIME)
        if self.expires_on is None:
            return f"{self.guard_name} lacks {self.qualification_name} for the shift at {self.site_name} from {when}."
        return (
            f"{self.guard_name}'s {self.qualification_name} expires on {self.expires_on.isoformat()}, "
            f"near the shift at {self.site_name} from {when}."
        )


# staffing.selectors.qualification_warnings' rule, in the database: for each requirement of a
# shift's post, the guard's records issued by the shift's first day (on the site's clock) are
# fine when one never expires or lasts to the last day plus the warning days; otherwise a
# warning, naming the latest expiry still covering the last day (none: not covered at all).
_WARNINGS_SQL = f"""
SELECT s.id, q.name, w.covering, u.first_name, u.last_name, u.username, site.name, site.timezone,
       extract(epoch FROM s.scheduled_start)::float8
FROM {Shift._meta.db_table} AS s
JOIN {Post._meta.db_table} AS p ON p.id = s.post_id
JOIN {Site._meta.db_table} AS site ON site.id = p.site_id
JOIN {User._meta.db_table} AS u ON u.id = s.guard_id
JOIN {PostRequirement._meta.db_table} AS r ON r.post_id = s.post_id
JOIN {Qualification._meta.db_table} AS q ON q.id = r.qualification_id
CROSS JOIN LATERAL (
    SELECT (s.scheduled_start AT TIME ZONE site.timezone)::date AS first_day,
           ((s.scheduled_end - interval '1 microsecond') AT TIME ZONE site.timezone)::date AS last_day
) AS d
CROSS JOIN LATERAL (
    SELECT coalesce(bool_or(g.expires_on IS NULL OR g.expires_on >= d.last_day + %s), false) AS fine,
           max(g.expires_on) FILTER (WHERE g.expires_on >= d.last_day) AS covering
    FROM {GuardQualification._meta.db_table} AS g
    WHERE g.guard_id = s.guard_id AND g.qualification_id = r.qualification_id AND g.issued_on <= d.first_day
) AS w
WHERE s.id IN ({{shifts}}) AND NOT w.fine
ORDER BY s.scheduled_start, s.id, q.name
"""  # noqa: S608 - table names from our models; values are parameters


def board_qualification_warnings(*, scope: Scope, now: datetime, site_id: int | None = None) -> list[BoardWarning]:
    """The guard page's qualification warnings for the viewer's shifts not over yet and starting
    within QUALIFICATION_WARNING_DAYS, soonest shift first, in one query.

    The rule runs in the database and the rows come back as tuples: at a tenth of 5,000 guards
    with a lapse coming, staffing's qualification_warnings() builds some 3,000 model instances
    (shifts with guard, post, site; requirements; records), a fifth of the board's refresh.
    tests/console/test_live.py holds both to the same warnings, sentence for sentence.
    """
    shifts = shifts_visible(
        scope=scope, ends_after=now, starts_before=now + timedelta(days=QUALIFICATION_WARNING_DAYS), site_id=site_id
    ).filter(status__in=[ShiftStatus.SCHEDULED, ShiftStatus.IN_PROGRESS])
    shifts_sql, shifts_params = shifts.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_WARNINGS_SQL.format(shifts=shifts_sql), [QUALIFICATION_WARNING_DAYS, *shifts_params])
        return [
            BoardWarning(
                shift_id, qualification, covering, f"{first} {last}".strip() or username, site, zone, _at(start)
            )
            for shift_id, qualification, covering, first, last, username, site, zone, start in cursor.fetchall()
        ]


# --- The guard's track on the map -------------------------------------------------------------


@dataclass(frozen=True)
class Track:
    shift: Shift
    fixes: list[tuple[datetime, float, float, float | None, str]]


def shift_track(*, scope: Scope, shift_id: int, now: datetime) -> Track:
    """Today's breadcrumbs of one visible shift (NotFound otherwise), oldest first: the shift's
    fixes of the last 24 hours, capped at 5,000 points."""
    shift = shift_get_visible(scope=scope, shift_id=shift_id)
    scope.require_operations("guards' tracks")
    fixes = list(
        Ping.objects.filter(shift=shift, location__isnull=False, recorded_at__gte=now - timedelta(hours=24))
        .order_by("-recorded_at")
        .values_list("recorded_at", "location", "accuracy_m", "fence")[:5000]
    )
    return Track(
        shift=shift,
        fixes=[(moment, point.x, point.y, accuracy, fence) for moment, point, accuracy, fence in reversed(fixes)],
    )


# --- Alerts that wait for a person ------------------------------------------------------------


@dataclass
class Alert:
    """A panic alert or a flag on the alerts list."""

    kind: str  # "panic" or "flag"
    id: str
    severity: str
    title: str
    message: str
    raised_at: datetime
    age: timedelta
    site_name: str | None
    timezone: str
    guard: User | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    position: tuple[float, float, float | None] | None = None
    last_fix: LastFix | None = None
    notes: list[AlertNote] = field(default_factory=list)

    @property
    def critical(self) -> bool:
        return self.severity == Severity.CRITICAL

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def status(self) -> str:
        if self.acknowledged:
            return "info"
        return "critical" if self.critical else "attention"


def _age_key(alert: Alert) -> tuple[int, int, float]:
    # Unacknowledged critical first (oldest first: it has waited longest), then the other
    # unacknowledged, then what someone is handling.
    if not alert.acknowledged:
        return (0 if alert.critical else 1, 0, alert.raised_at.timestamp())
    return (2, 0, -alert.raised_at.timestamp())


def alerts_open(*, scope: Scope, now: datetime) -> list[Alert]:
    """Unresolved panic alerts, open critical flags and new open warnings, on the viewer's sites.

    Five queries whatever their number: panic alerts, flags (with acknowledgements), the
    panic alerts' guards' last fixes, and the notes of both.
    """
    scope.require_operations("alerts")
    panics = list(panic_alerts_visible(scope=scope).filter(resolved_at__isnull=True)[:ALERTS_SHOWN])
    flags = list(
        flags_visible(scope=scope, status=FlagStatus.OPEN)
        .exclude(code=FlagCode.PANIC)
        .filter(Q(severity=Severity.CRITICAL) | Q(severity=Severity.WARNING, raised_at__gte=now - NEW_WARNING_WINDOW))
        .select_related("acknowledgement__acknowledged_by", "company")[:ALERTS_SHOWN]
    )
    fixes = last_fixes(shift_ids=[alert.shift_id for alert in panics if alert.shift_id is not None])
    notes: dict[str, list[AlertNote]] = defaultdict(list)
    if panics or flags:
        for note in (
            AlertNote.objects.filter(
                Q(panic_alert_id__in=[a.pk for a in panics]) | Q(flag_id__in=[f.pk for f in flags])
            )
            .select_related("author")
            .order_by("created_at", "pk")
        ):
            key = f"panic:{note.panic_alert_id}" if note.panic_alert_id else f"flag:{note.flag_id}"
            notes[key].append(note)
    alerts: list[Alert] = []
    for panic in panics:
        site = panic.shift.post.site if panic.shift is not None else None
        name = panic.guard.get_full_name() or panic.guard.username
        alerts.append(
            Alert(
                kind="panic",
                id=str(panic.pk),
                severity=Severity.CRITICAL,
                title=f"Panic: {name}",
                message=f"{name} pressed the panic button.",
                raised_at=panic.received_at,
                age=now - panic.received_at,
                site_name=site.name if site is not None else None,
                timezone=site.timezone if site is not None else settings.TIME_ZONE,
                guard=panic.guard,
                acknowledged_by=str(panic.acknowledged_by) if panic.acknowledged_by is not None else None,
                acknowledged_at=panic.acknowledged_at,
                position=(panic.location.y, panic.location.x, panic.accuracy_m) if panic.location else None,
                last_fix=fixes.get(panic.shift_id) if panic.shift_id is not None else None,
                notes=notes.get(f"panic:{panic.pk}", []),
            )
        )
    for flag in flags:
        shift = flag.shift if flag.shift is not None else (flag.incident.shift if flag.incident else None)
        site = shift.post.site if shift is not None else None
        guard = flag.shift.guard if flag.shift is not None else (flag.incident.guard if flag.incident else None)
        acknowledgement = getattr(flag, "acknowledgement", None)
        alerts.append(
            Alert(
                kind="flag",
                id=str(flag.pk),
                severity=flag.severity,
                title=flag.get_code_display(),
                message=flag.message,
                raised_at=flag.raised_at,
                age=now - flag.raised_at,
                site_name=site.name if site is not None else None,
                timezone=site.timezone if site is not None else flag.company.timezone,
                guard=guard,
                acknowledged_by=str(acknowledgement.acknowledged_by) if acknowledgement is not None else None,
                acknowledged_at=acknowledgement.acknowledged_at if acknowledgement is not None else None,
                notes=notes.get(f"flag:{flag.pk}", []),
            )
        )
    alerts.sort(key=_age_key)
    return alerts

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
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, FloatField, Max, Q
from django.db.models.expressions import RawSQL

from backend.accounts.models import User
from backend.flags.models import AlertNote, FlagStatus
from backend.flags.selectors import flags_visible
from backend.rules.findings import FlagCode, Severity
from backend.sites.models import Checkpoint
from backend.sites.scopes import Scope
from backend.staffing.models import Shift, ShiftStatus
from backend.staffing.selectors import shift_get_visible
from backend.tracking.models import CheckpointScan, FenceState, Ping
from backend.tracking.selectors import panic_alerts_visible

BOARD_LOOKAHEAD = timedelta(hours=2)
"""Shifts starting this soon are on the board before they start."""
NO_SIGNAL_AFTER = timedelta(minutes=10)
"""A last fix older than this is 'no signal', whatever it said."""
NEW_WARNING_WINDOW = timedelta(hours=24)
"""Open warnings raised this recently are alerts; older ones wait in the review queue."""
ALERTS_SHOWN = 100
BOARD_FULL_ROWS = 300
"""Above this many shifts, the whole-company board lists only the rows with something to look at
(late, no-show, not inside, open flags) and counts the quiet ones per site; one site's board
(`site_id`) always lists every row. A page of 5,000 rows is neither read nor cheap to refresh."""


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


@dataclass(frozen=True)
class LastFix:
    recorded_at: datetime
    lon: float | None
    lat: float | None
    accuracy_m: float | None
    fence: str
    distance_m: float | None


@dataclass
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

    @property
    def needs_attention(self) -> bool:
        return self.state in ("late", "no_show")

    @property
    def quiet(self) -> bool:
        """Nothing to look at: on shift, inside the fence, no open flag."""
        return self.state == "in_progress" and self.fence_now == FenceNow.INSIDE and not self.flags

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
    collapsed: bool = False

    @property
    def attention(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)

    @property
    def shown(self) -> list[BoardRow]:
        """Every row; on a collapsed board only those with something to look at."""
        return [row for row in self.rows if not row.quiet] if self.collapsed else self.rows

    @property
    def quiet_hidden(self) -> int:
        return sum(1 for row in self.rows if row.quiet) if self.collapsed else 0


@dataclass
class LiveBoard:
    now: datetime
    sites: list[BoardSite]
    collapsed: bool = False

    @property
    def rows(self) -> list[BoardRow]:
        return [row for site in self.sites for row in site.rows]


# The newest fix of each shift: one index probe per shift (ping_shift_time_idx), however
# many breadcrumbs a shift has, where DISTINCT ON would read them all.
_LAST_FIX_SQL = """
SELECT s.id, extract(epoch FROM p.recorded_at)::float8, ST_X(p.location::geometry), ST_Y(p.location::geometry),
       p.accuracy_m, p.fence, p.distance_m
FROM unnest(%s::bigint[]) AS s(id)
CROSS JOIN LATERAL (
    SELECT recorded_at, location, accuracy_m, fence, distance_m
    FROM tracking_ping
    WHERE shift_id = s.id
    ORDER BY recorded_at DESC
    LIMIT 1
) AS p
"""


_OPEN_FLAGS_SQL = """
SELECT id, shift_id, code, severity, message FROM flags_flag
WHERE shift_id = ANY(%s::bigint[]) AND status = %s
ORDER BY raised_at, id
"""


def _at(epoch: float) -> datetime:
    # Times come as epoch seconds: parsing 20,000 timestamps from text costs more than the queries.
    return datetime.fromtimestamp(epoch, tz=UTC)


def _moment(epoch: float | None) -> datetime | None:
    return None if epoch is None else _at(epoch)


def last_fixes(*, shift_ids: list[int]) -> dict[int, LastFix]:
    """Each shift's newest breadcrumb, in one query (shifts without one are absent)."""
    if not shift_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_LAST_FIX_SQL, [shift_ids])
        return {
            row[0]: LastFix(
                recorded_at=datetime.fromtimestamp(row[1], tz=UTC),
                lon=row[2],
                lat=row[3],
                accuracy_m=row[4],
                fence=row[5],
                distance_m=row[6],
            )
            for row in cursor.fetchall()
        }


def _fence_now(fix: LastFix | None, now: datetime) -> str:
    if fix is None or now - fix.recorded_at > NO_SIGNAL_AFTER:
        return FenceNow.NO_SIGNAL
    judged: dict[str, str] = {
        FenceState.INSIDE.value: FenceNow.INSIDE,
        FenceState.NEAR.value: FenceNow.NEAR,
        FenceState.OUTSIDE.value: FenceNow.OUTSIDE,
    }
    return judged.get(fix.fence, FenceNow.NO_SIGNAL)


def _state(shift: BoardShift, now: datetime) -> str:
    if shift.status == ShiftStatus.MISSED:
        return "no_show"
    if shift.status == ShiftStatus.IN_PROGRESS:
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
    totals = dict(
        Checkpoint.objects.filter(site_id__in=site_ids, is_active=True)
        .order_by()
        .values_list("site_id")
        .annotate(n=Count("pk"))
        .values_list("site_id", "n")
    )
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


@dataclass(frozen=True)
class BoardShift:
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
_BOARD_FIELDS = (
    "pk", "status", *_EPOCHS, "guard_id",
    "guard__first_name", "guard__last_name", "guard__username", "guard__phone",
    "post__name", "post__tour_interval_minutes", "post__site_id", "post__site__name", "post__site__timezone",
)  # fmt: skip


def board_shifts(*, scope: Scope, now: datetime, site_id: int | None = None) -> list[BoardShift]:
    """Shifts in progress, late, no-show or starting within BOARD_LOOKAHEAD, on the viewer's sites."""
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
    board: list[BoardShift] = []
    rows = shifts.annotate(**_EPOCHS).order_by("post__site__name", "scheduled_start", "pk").values_list(*_BOARD_FIELDS)
    for row in rows:
        (pk, status, start, end, clock_in, clock_out, guard_id, first, last, username, phone,
         post_name, interval, site, site_name, zone) = row  # fmt: skip
        name = f"{first} {last}".strip() or username
        board.append(
            BoardShift(
                pk,
                status,
                _at(start),
                _at(end),
                _moment(clock_in),
                _moment(clock_out),
                guard_id,
                name,
                phone,
                post_name,
                interval,
                site,
                site_name,
                zone,
            )  # fmt: skip
        )
    return board


_STATE_ORDER = {"no_show": 0, "late": 1, "in_progress": 2, "upcoming": 3}


def live_board(*, scope: Scope, now: datetime, site_id: int | None = None) -> LiveBoard:
    """The board, grouped by site; late and no-show shifts first (and their sites first).

    Queries: the shifts, their last fixes, their open flags, and (when a toured post is on
    the board) two for tour progress — five at most, for 3 shifts or 5,000.
    """
    scope.require_operations("the live board")
    shifts = board_shifts(scope=scope, now=now, site_id=site_id)
    ids = [shift.pk for shift in shifts]
    fixes = last_fixes(shift_ids=ids)
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
            fence_now=_fence_now(fix, now) if shift.status == ShiftStatus.IN_PROGRESS else FenceNow.NO_SIGNAL,
            last_fix=fix,
            fix_age=now - fix.recorded_at if fix is not None else None,
            coverage=_coverage(shift, now),
            tour_done=tour[0] if tour else None,
            tour_total=tour[1] if tour else None,
            flags=flags.get(shift.pk, []),
        )
        if shift.site_id not in by_site:
            by_site[shift.site_id] = BoardSite(
                site_id=shift.site_id, name=shift.site_name, timezone=shift.site_timezone, rows=[]
            )
        by_site[shift.site_id].rows.append(row)
    for board_site in by_site.values():
        board_site.rows.sort(key=lambda row: (_STATE_ORDER[row.state], row.shift.scheduled_start, row.shift.pk))
    collapsed = site_id is None and len(shifts) > BOARD_FULL_ROWS
    for board_site in by_site.values():
        board_site.collapsed = collapsed
    sites = sorted(by_site.values(), key=lambda s: (-s.attention, s.name, s.site_id))
    return LiveBoard(now=now, sites=sites, collapsed=collapsed)


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

"""The read side of the PDFs: database rows in, `reports.documents` dataclasses out (client-safe).

Each assembler reads only what a client may see: approved, unarchived incident reports;
of flags, on a report only those a manager chose to show (`Flag.shown_to_client`), in a
summary only the attendance and patrol exceptions (never the integrity checks against
guards: mock locations, impossible travel, backdated clock events) and never a dismissed
false positive; photos from their stored display copies and thumbnails, which carry no
metadata (and the renderer re-encodes them anyway); no breadcrumbs — a DAR's tour is drawn
through the checkpoints in the order they were scanned.

Times stay aware UTC instants; each document names the zone it is shown in (the site's, or
for a client-wide summary the zone most of the client's sites are in). Every assembler runs
a fixed number of queries whatever the size of the period; the per-shift figures (verified
seconds on post, photo counts, tour totals) are computed by PostgreSQL.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from backend.accounts.models import Company
from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.attendance.on_post import away_intervals, on_post_seconds
from backend.attendance.resolutions import EXCEPTION_CODES, day_bounds
from backend.calls.models import Call, CallStatus, ReasonGroup
from backend.core.localtime import local_time
from backend.core.querysets import counts_by
from backend.dispatch.models import RequestKind, RequestStatus, ServiceRequest
from backend.documents.errors import IncidentNotApproved
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus
from backend.rules.findings import FlagCode, Severity
from backend.rules.selectors import thresholds_for
from backend.sites.models import Checkpoint, Client, RestrictedZone, Site
from backend.staffing.models import PostOrderAcknowledgement, Shift, ShiftStatus
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent
from reports import documents as rd

# Flags a client reads in a summary: what happened to their coverage and tours.
CLIENT_FLAG_CODES: tuple[str, ...] = (*EXCEPTION_CODES, FlagCode.MISSED_CHECKPOINT)
MAX_SUMMARY_PHOTOS = 200
SUMMARY_LINE_CHARS = 160


# --- shared pieces -------------------------------------------------------------------------


@cache
def _logo_bytes(path: str) -> bytes | None:
    return Path(path).read_bytes() if path and Path(path).is_file() else None


def issuer_for(company: Company) -> rd.Issuer:
    """The company as the PDFs name it, with the logo of settings.GUARDOPS_PDF_LOGO (a file path) if set."""
    return rd.Issuer(company_name=company.name, logo=_logo_bytes(str(settings.GUARDOPS_PDF_LOGO)))


def site_address(site: Site) -> str:
    region = " ".join(part for part in (site.region, site.postal_code) if part)
    return ", ".join(part for part in (site.street_address, site.city, region) if part)


def report_reference(report_id: object) -> str:
    """How a report is named on paper and in the portal: 'IR-' and the first 8 hex digits of its id."""
    return "IR-" + str(report_id).replace("-", "")[:8].upper()


def client_time_zone(client: Client) -> str:
    """The zone a client-wide document is shown in: the one most of its sites are in (else its company's)."""
    row = (
        Site.objects.filter(client=client)
        .values("timezone")
        .annotate(n=Count("pk"))
        .order_by("-n", "timezone")
        .values_list("timezone", flat=True)
        .first()
    )
    return row or Company.objects.values_list("timezone", flat=True).get(pk=client.company_id)


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the calendar month `month` falls in."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def period_bounds(*, first: date, last: date, zone_name: str) -> tuple[datetime, datetime]:
    """[local midnight of `first`, local midnight after `last`) as aware instants."""
    return day_bounds(day=first, zone_name=zone_name)[0], day_bounds(day=last, zone_name=zone_name)[1]


def _name(first: str | None, last: str | None, username: str | None = None) -> str:
    return " ".join(part for part in (first, last) if part) or (username or "")


def _areas(shape: MultiPolygon | Polygon, name: str) -> tuple[rd.Area, ...]:
    polygons = [cast(Polygon, part) for part in shape] if isinstance(shape, MultiPolygon) else [shape]
    return tuple(
        rd.Area(name=name, exterior=tuple((float(x), float(y)) for x, y, *_ in polygon.exterior_ring.coords))
        for polygon in polygons
    )


def _fence_and_zones(site: Site) -> tuple[tuple[rd.Area, ...], tuple[rd.Area, ...]]:
    fence = _areas(site.geofence, site.name) if site.geofence is not None else ()
    zones: tuple[rd.Area, ...] = ()
    for name, area in RestrictedZone.objects.filter(site=site).order_by("name").values_list("name", "area"):
        zones += _areas(area, name)
    return fence, zones


def _summary(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_LINE_CHARS else line[: SUMMARY_LINE_CHARS - 1].rstrip() + "…"


def _read(field: Any) -> bytes | None:
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            data: bytes = handle.read()
    except OSError:
        return None
    return data


# --- incident report -----------------------------------------------------------------------


def _emergency(value: Any) -> rd.EmergencySection | None:
    if not isinstance(value, dict) or not value.get("services"):
        return None
    called = value.get("called_at")
    called_at = datetime.fromisoformat(called) if isinstance(called, str) and called else None
    if called_at is not None and timezone.is_naive(called_at):
        called_at = None
    return rd.EmergencySection(
        services=tuple(
            str(service).upper() if service == "ems" else str(service).title() for service in value["services"]
        ),
        called_at=called_at,
        reference=str(value.get("reference") or ""),
    )


def incident_report_document(*, report: IncidentReport) -> rd.IncidentReportDoc:
    """The client's copy of one approved report (IncidentNotApproved for any other, archived included).

    Flags: only those shown to the client. Persons: name, role and description (never a phone
    number). Photos: the stored display copies (no EXIF; the renderer scales them to print size).
    """
    if report.status != IncidentStatus.APPROVED or report.archived_at is not None:
        raise IncidentNotApproved()
    row = (
        IncidentReport.objects.filter(pk=report.pk)
        .select_related("type", "guard", "approved_by", "unit", "shift__post__site__client__company")
        .get()
    )
    site = row.shift.post.site
    flags = tuple(
        rd.ShownFlag(label=FlagCode(code).label if code in FlagCode.values else code, message=message)
        for code, message in Flag.objects.filter(incident=row, shown_to_client=True)
        .exclude(status=FlagStatus.DISMISSED)
        .order_by("raised_at", "pk")
        .values_list("code", "message")
    )
    photos = []
    for index, photo in enumerate(IncidentPhoto.objects.filter(report=row).order_by("created_at", "pk"), start=1):
        data = _read(photo.display)
        if data is not None:
            photos.append(rd.Photo(data=data, caption=f"Photo {index}", taken_at=photo.created_at))
    fence, zones = _fence_and_zones(site)
    position = None
    if row.location is not None:
        position = rd.MapPoint(
            lon=row.location.x, lat=row.location.y, label="Report position", accuracy_m=row.accuracy_m
        )
    unit = None
    if row.unit is not None:
        unit = rd.MapPoint(lon=row.unit.location.x, lat=row.unit.location.y, label=row.unit.label)
    persons = tuple(
        rd.Person(name=str(p.get("name", "")), role=str(p.get("role", "")), details=str(p.get("description", "")))
        for p in (row.persons or [])
        if isinstance(p, dict)
    )
    address = row.address or (row.unit.street_address if row.unit is not None else "") or site_address(site)
    return rd.IncidentReportDoc(
        issuer=issuer_for(site.client.company),
        client_name=site.client.name,
        report_id=report_reference(row.pk),
        version=row.version,
        incident_type=row.type.name,
        severity=row.type.get_severity_display(),
        time_zone=site.timezone,
        occurred_at=row.occurred_at,
        filed_at=row.received_at,
        filed_by=str(row.guard),
        site_name=site.name,
        address=address,
        narrative=row.narrative,
        approved_at=row.approved_at,
        approved_by=str(row.approved_by) if row.approved_by is not None else "",
        unit=row.unit.label if row.unit is not None else "",
        location_detail=row.location_detail,
        persons=persons,
        emergency=_emergency(row.emergency),
        photos=tuple(photos),
        flags=flags,
        map=rd.IncidentMap(fence=fence, restricted_zones=zones, position=position, unit=unit) if fence else None,
    )


# --- daily activity report -----------------------------------------------------------------


def _approved_incidents(sites: QuerySet[Site] | list[Site], starts: datetime, ends: datetime) -> list[rd.IncidentLine]:
    rows = (
        IncidentReport.objects.filter(
            shift__post__site__in=sites,
            status=IncidentStatus.APPROVED,
            archived_at__isnull=True,
            occurred_at__gte=starts,
            occurred_at__lt=ends,
        )
        .order_by("occurred_at", "pk")
        .annotate(photo_count=Count("photos"))
        .values_list("occurred_at", "pk", "type__name", "type__severity", "narrative", "shift__post__site__name",
                     "photo_count")
    )  # fmt: skip
    return [
        rd.IncidentLine(
            occurred_at=occurred_at, report_id=report_reference(pk), incident_type=type_name,
            severity=_severity_label(severity), summary=_summary(narrative), site=site_name,
            photo_count=photo_count,
        )
        for occurred_at, pk, type_name, severity, narrative, site_name, photo_count in rows
    ]  # fmt: skip


def _severity_label(value: str) -> str:
    return str(Severity(value).label) if value in Severity.values else value


_FENCE_WORDS = {"inside": "inside the fence", "near": "near the fence", "outside": "outside the fence",
                "unknown": "GPS too coarse to place"}  # fmt: skip


def daily_activity_document(*, site: Site, day: date) -> rd.DailyActivityDoc:
    """One site's day on the site's clock: who was on duty (actual clock-in/out, to the second, where they
    were made, and a manager's correction beside them with its reason), the coverage, the activity log,
    checkpoint scans, approved incidents, post-order acknowledgements and the exceptions."""
    site = Site.objects.select_related("client__company").get(pk=site.pk)
    zone_name = site.timezone
    starts, ends = day_bounds(day=day, zone_name=zone_name)
    thresholds = thresholds_for(company=site.client.company_id)
    late_grace = timedelta(minutes=thresholds.late_clock_in_grace_min)
    early_grace = timedelta(minutes=thresholds.early_clock_out_grace_min)
    now = timezone.now()

    shifts = list(
        Shift.objects.filter(post__site=site, scheduled_start__lt=ends, scheduled_end__gt=starts)
        .exclude(status=ShiftStatus.CANCELLED)
        .order_by("scheduled_start", "pk")
        .values("pk", "scheduled_start", "scheduled_end", "status", "clock_in_at", "clock_in_verified_at",
                "clock_out_at", "clock_out_verified_at", "post__name", "guard__first_name", "guard__last_name",
                "guard__username")
    )  # fmt: skip
    shift_ids = [s["pk"] for s in shifts]
    fences: dict[tuple[int, str], str] = {
        (shift_id, kind): fence
        for shift_id, kind, fence in ClockEvent.objects.filter(shift_id__in=shift_ids).values_list(
            "shift_id", "kind", "fence"
        )
    }
    corrections: dict[int, list[str]] = defaultdict(list)
    for shift_id, corrected_in, corrected_out, reason, first, last, username in (
        AttendanceResolution.objects.filter(shift_id__in=shift_ids, kind=ResolutionKind.TIME_CORRECTED)
        .order_by("created_at", "pk")
        .values_list("shift_id", "corrected_clock_in_at", "corrected_clock_out_at", "reason",
                     "resolved_by__first_name", "resolved_by__last_name", "resolved_by__username")
    ):  # fmt: skip
        times = ", ".join(
            f"{label} {local_time(moment, zone_name)}"
            for label, moment in (("in", corrected_in), ("out", corrected_out))
            if moment is not None
        )
        corrections[shift_id].append(f"Time corrected by {_name(first, last, username)}: {times} — {reason}")

    away = away_intervals(shift_ids=shift_ids, now=now)
    guards: list[rd.GuardOnDuty] = []
    exceptions: list[rd.ExceptionLine] = []
    scheduled = covered = 0.0
    shifts_covered = 0
    for s in shifts:
        guard = _name(s["guard__first_name"], s["guard__last_name"], s["guard__username"])
        clock_in = s["clock_in_verified_at"] or s["clock_in_at"]
        clock_out = s["clock_out_verified_at"] or s["clock_out_at"]
        # The part of the day's schedule that has happened (as the portal's attendance page counts it):
        # a DAR of today is not short of the hours still to come.
        window_start = max(s["scheduled_start"], starts)
        window = (window_start, max(window_start, min(s["scheduled_end"], ends, now)))
        scheduled += (window[1] - window[0]).total_seconds()
        clocked = None if clock_in is None else (clock_in, clock_out or min(s["scheduled_end"], now))
        covered += on_post_seconds(window=window, clocked=clocked, away=away.get(s["pk"], ()))
        shifts_covered += clock_in is not None
        where = ", ".join(
            f"clock-{kind} {_FENCE_WORDS.get(state, state)}"
            for kind in ("in", "out")
            if (state := fences.get((s["pk"], kind)))
        )
        note = ". ".join([*([where[0].upper() + where[1:]] if where else []), *corrections.get(s["pk"], [])])
        guards.append(rd.GuardOnDuty(
            guard=guard, post=s["post__name"], scheduled_start=s["scheduled_start"], scheduled_end=s["scheduled_end"],
            arrived_at=clock_in, departed_at=clock_out, note=note,
        ))  # fmt: skip
        if clock_in is None and (s["status"] == ShiftStatus.MISSED or s["scheduled_start"] + late_grace < now):
            exceptions.append(
                rd.ExceptionLine(
                    at=s["scheduled_start"], kind="No-show", text=f"{guard} did not clock in at {s['post__name']}."
                )
            )
        elif clock_in is not None and clock_in > s["scheduled_start"] + late_grace:
            minutes = round((clock_in - s["scheduled_start"]).total_seconds() / 60)
            exceptions.append(
                rd.ExceptionLine(
                    at=clock_in,
                    kind="Late arrival",
                    text=f"{guard} clocked in {minutes} min after the scheduled start.",
                )
            )
        if clock_out is not None and clock_out < s["scheduled_end"] - early_grace:
            minutes = round((s["scheduled_end"] - clock_out).total_seconds() / 60)
            exceptions.append(
                rd.ExceptionLine(
                    at=clock_out,
                    kind="Early departure",
                    text=f"{guard} clocked out {minutes} min before the scheduled end.",
                )
            )

    activity = [
        rd.ActivityEntry(at=at, guard=_name(first, last, username), text=text)
        for at, first, last, username, text in ActivityEntry.objects.filter(
            shift__post__site=site, recorded_at__gte=starts, recorded_at__lt=ends
        )
        .order_by("recorded_at", "pk")
        .values_list("recorded_at", "shift__guard__first_name", "shift__guard__last_name", "shift__guard__username",
                     "text")
    ]  # fmt: skip
    checkpoints = [
        rd.Checkpoint(name=name, lon=location.x, lat=location.y)
        for name, location in Checkpoint.objects.filter(site=site, is_active=True)
        .order_by("name", "pk")
        .values_list("name", "location")
    ]
    scans: list[rd.CheckpointScan] = []
    walked: dict[int | None, list[rd.LonLat]] = defaultdict(list)
    for at, name, location, shift_id, first, last, username in (
        CheckpointScan.objects.filter(checkpoint__site=site, recorded_at__gte=starts, recorded_at__lt=ends)
        .order_by("recorded_at", "pk")
        .values_list("recorded_at", "checkpoint__name", "checkpoint__location", "shift_id", "guard__first_name",
                     "guard__last_name", "guard__username")
    ):  # fmt: skip
        scans.append(rd.CheckpointScan(at=at, checkpoint=name, guard=_name(first, last, username)))
        walked[shift_id].append((location.x, location.y))
    acknowledgements = [
        rd.Acknowledgement(at=at, guard=_name(first, last, username), post_order=f"{post} — {title}", version=version)
        for at, first, last, username, post, title, version in PostOrderAcknowledgement.objects.filter(
            post_order__post__site=site, acknowledged_at__gte=starts, acknowledged_at__lt=ends
        )
        .order_by("acknowledged_at", "pk")
        .values_list("acknowledged_at", "guard__first_name", "guard__last_name", "guard__username",
                     "post_order__post__name", "post_order__title", "post_order__version")
    ]  # fmt: skip
    fence, zones = _fence_and_zones(site)
    return rd.DailyActivityDoc(
        issuer=issuer_for(site.client.company),
        client_name=site.client.name,
        site_name=site.name,
        address=site_address(site),
        time_zone=zone_name,
        day=day,
        guards=tuple(guards),
        coverage=rd.Coverage(
            shifts_scheduled=len(shifts),
            shifts_covered=shifts_covered,
            on_post_ratio=min(covered / scheduled, 1.0) if scheduled else 1.0,
        ),
        activity=tuple(activity),
        checkpoints=tuple(checkpoints),
        scans=tuple(scans),
        incidents=tuple(_approved_incidents([site], starts, ends)),
        acknowledgements=tuple(acknowledgements),
        exceptions=tuple(sorted(exceptions, key=lambda line: line.at)),
        fence=fence,
        restricted_zones=zones,
        # The tour as scanned (checkpoint to checkpoint), not breadcrumbs: clients never see where a guard walked.
        tour_track=tuple(tuple(points) for points in walked.values() if len(points) >= 2),
    )


# --- monthly summary -----------------------------------------------------------------------


class _Epoch(Func):
    """Seconds in an interval, never negative."""

    template = "GREATEST(EXTRACT(EPOCH FROM %(expressions)s), 0)"
    output_field = FloatField()


def verified_seconds() -> Case:
    """Per shift, in SQL: seconds of verified (else claimed) clock time inside the scheduled window.

    No clock-in is 0; no clock-out yet counts to the scheduled end (as attendance.figures does).
    """
    clock_in = Coalesce(F("clock_in_verified_at"), F("clock_in_at"))
    clock_out = Coalesce(F("clock_out_verified_at"), F("clock_out_at"), F("scheduled_end"))
    inside = ExpressionWrapper(
        Least(clock_out, F("scheduled_end")) - Greatest(clock_in, F("scheduled_start")), output_field=DurationField()
    )
    # GREATEST/LEAST skip NULLs in PostgreSQL: without a clock-in the window would count as covered.
    return Case(
        When(clock_in_verified_at__isnull=True, clock_in_at__isnull=True, then=Value(0.0)),
        default=_Epoch(inside),
        output_field=FloatField(),
    )


def _summary_sites(client: Client, site: Site | None) -> list[Site]:
    if site is not None:
        return [site]
    return list(Site.objects.filter(client=client).defer("geofence").order_by("name", "pk"))


def _tours(sites: list[Site], starts: datetime, ends: datetime) -> list[rd.TourTotal]:
    """Per site: scans the tour schedule expected (one per active checkpoint per round of each toured
    shift) and the scans of those shifts made; three aggregate queries."""
    checkpoints = counts_by(Checkpoint.objects.filter(site__in=sites, is_active=True), "site_id")
    toured = Shift.objects.filter(
        post__site__in=sites, post__tour_interval_minutes__gt=0, scheduled_start__gte=starts, scheduled_start__lt=ends
    ).exclude(status=ShiftStatus.CANCELLED)
    rounds = dict(
        toured.order_by()
        .values_list("post__site_id")
        .annotate(
            rounds=Sum(
                Func(
                    ExpressionWrapper(F("scheduled_end") - F("scheduled_start"), output_field=DurationField()),
                    F("post__tour_interval_minutes"),
                    # FLOOR(EXTRACT(EPOCH FROM length) / 60.0 / interval): whole rounds in the shift.
                    template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s)",
                    arg_joiner=") / 60.0 / ",
                    output_field=FloatField(),
                )
            )
        )
        .values_list("post__site_id", "rounds")
    )
    made = counts_by(CheckpointScan.objects.filter(shift__in=toured, checkpoint__is_active=True), "checkpoint__site_id")
    return [
        rd.TourTotal(site=s.name, expected_scans=int(rounds[s.pk]) * checkpoints.get(s.pk, 0),
                     completed_scans=made.get(s.pk, 0))
        for s in sites
        if rounds.get(s.pk) and checkpoints.get(s.pk)
    ]  # fmt: skip


def _flag_resolution(status: str, resolved_by_id: int | None, resolution_kind: str | None) -> str:
    if resolution_kind:
        return str(ResolutionKind(resolution_kind).label)
    if status == FlagStatus.OPEN:
        return ""
    return "Resolved by a manager" if resolved_by_id is not None else "Ended by itself"


def monthly_summary_document(*, client: Client, month: date, site: Site | None = None) -> rd.MonthlySummaryDoc:
    """The calendar month `month` falls in, for the client's sites (or one site); see period_summary_document."""
    first, last = month_bounds(month)
    return period_summary_document(client=client, first=first, last=last, site=site)


def period_summary_document(
    *, client: Client, first: date, last: date, site: Site | None = None
) -> rd.MonthlySummaryDoc:
    """Any period's summary (usually a month; `last` inclusive) on the client's (or the site's) clock.

    Sections as the issue names them: hours scheduled vs verified, punctuality and coverage by week
    (from one line per shift, its verified seconds computed in SQL), incidents by type and severity,
    attendance and patrol flags and how they were resolved, tour completion, service-request response
    times (request to guard on scene), client concerns (calls, praise left out) and their resolution.
    """
    client = Client.objects.select_related("company").get(pk=client.pk)
    zone_name = site.timezone if site is not None else client_time_zone(client)
    starts, ends = period_bounds(first=first, last=last, zone_name=zone_name)
    sites = _summary_sites(client, site)
    grace = thresholds_for(company=client.company_id).late_clock_in_grace_min

    shift_rows = (
        # A period still running counts the shifts whose time is over: one later today is
        # neither a no-show nor hours missed yet.
        Shift.objects.filter(post__site__in=sites, scheduled_start__gte=starts, scheduled_start__lt=ends,
                             scheduled_end__lte=timezone.now())
        .exclude(status=ShiftStatus.CANCELLED)
        .annotate(verified=verified_seconds(), clock_in=Coalesce("clock_in_verified_at", "clock_in_at"),
                  clock_out=Coalesce("clock_out_verified_at", "clock_out_at"))
        .order_by("scheduled_start", "pk")
        .values_list("pk", "post__site__name", "post__name", "guard__first_name", "guard__last_name",
                     "guard__username", "scheduled_start", "scheduled_end", "clock_in", "clock_out", "verified")
    )  # fmt: skip
    rows = list(shift_rows)
    # The spells outside the fence come off the verified time, as on the portal's pages.
    away = away_intervals(shift_ids=[row[0] for row in rows], now=timezone.now())
    shifts = [
        rd.ShiftLine(site=site_name, post=post, guard=_name(first_name, last_name, username), scheduled_start=start,
                     scheduled_end=end, clock_in=clock_in, clock_out=clock_out,
                     verified_seconds=round(verified if pk not in away else on_post_seconds(
                         window=(start, end), clocked=None if clock_in is None else (clock_in, clock_out or end),
                         away=away[pk])))
        for pk, site_name, post, first_name, last_name, username, start, end, clock_in, clock_out, verified
        in rows
    ]  # fmt: skip

    on_sites = Q(shift__post__site__in=sites)
    flag_rows = (
        Flag.objects.filter(
            (on_sites & Q(code__in=CLIENT_FLAG_CODES))
            | Q(incident__shift__post__site__in=sites, shown_to_client=True, incident__status=IncidentStatus.APPROVED,
                incident__archived_at__isnull=True),
            raised_at__gte=starts,
            raised_at__lt=ends,
        )
        .exclude(status=FlagStatus.DISMISSED)
        .order_by("raised_at", "pk")
        .values_list("raised_at", "shift__post__site__name", "incident__shift__post__site__name", "code", "status",
                     "resolved_by_id", "attendance_resolution__kind", "resolved_at")
    )  # fmt: skip
    flags = [
        rd.FlagLine(
            raised_at=raised_at, site=shift_site or report_site or "",
            label=str(FlagCode(code).label) if code in FlagCode.values else code,
            resolution=_flag_resolution(status, resolved_by_id, kind),
            resolved_at=resolved_at if status != FlagStatus.OPEN else None,
        )
        for raised_at, shift_site, report_site, code, status, resolved_by_id, kind, resolved_at in flag_rows
    ]  # fmt: skip

    requests = [
        rd.ServiceRequestLine(site=site_name, kind=str(RequestKind(kind).label) if kind in RequestKind.values else kind,
                              requested_at=created_at, responded_at=arrived_at)
        for site_name, kind, created_at, arrived_at in ServiceRequest.objects.filter(
            site__in=sites, created_at__gte=starts, created_at__lt=ends
        )
        .exclude(status=RequestStatus.CANCELLED)
        .order_by("created_at", "pk")
        .values_list("site__name", "kind", "created_at", "arrived_at")
    ]  # fmt: skip

    calls = Call.objects.filter(client=client, opened_at__gte=starts, opened_at__lt=ends).exclude(
        disposition__reason_group=ReasonGroup.PRAISE
    )
    # A client-wide summary also counts the calls on no site; a site's summary only that site's.
    calls = calls.filter(site__in=sites) if site is not None else calls.filter(Q(site__in=sites) | Q(site__isnull=True))
    concerns = [
        rd.ConcernLine(
            raised_at=opened_at, site=site_name or "",
            subject=_summary(summary or caller_words or label or "Call to the operations desk"),
            status=str(CallStatus(status).label), resolved_at=closed_at,
        )
        for opened_at, site_name, summary, caller_words, label, status, closed_at in calls.order_by("opened_at", "pk")
        .values_list("opened_at", "site__name", "summary", "caller_words", "disposition__label", "status", "closed_at")
    ]  # fmt: skip

    incidents = _approved_incidents(sites, starts, ends)
    photos = []
    for photo in (
        IncidentPhoto.objects.filter(
            report__shift__post__site__in=sites, report__status=IncidentStatus.APPROVED,
            report__archived_at__isnull=True, report__occurred_at__gte=starts, report__occurred_at__lt=ends,
        )
        .order_by("report__occurred_at", "created_at", "pk")
        .only("report_id", "thumbnail", "display", "created_at")[:MAX_SUMMARY_PHOTOS]
    ):  # fmt: skip
        data = _read(photo.thumbnail) or _read(photo.display)
        if data is not None:
            photos.append(
                rd.PhotoThumb(
                    report_id=report_reference(photo.report_id), photo=rd.Photo(data=data, taken_at=photo.created_at)
                )
            )
    return rd.MonthlySummaryDoc(
        issuer=issuer_for(client.company),
        client_name=client.name,
        time_zone=zone_name,
        period_start=first,
        period_end=last,
        sites=tuple(s.name for s in sites),
        shifts=tuple(shifts),
        incidents=tuple(incidents),
        flags=tuple(flags),
        tours=tuple(_tours(sites, starts, ends)),
        service_requests=tuple(requests),
        concerns=tuple(concerns),
        photos=tuple(photos),
        site_name=site.name if site is not None else None,
        grace_minutes=grace,
    )

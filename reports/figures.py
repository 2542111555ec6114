"""The figures of a period summary, computed from its lines: shared by the PDF and the portal's page.

Everything is derived from `MonthlySummaryDoc` alone, so the page a client reads and the
PDF they forward cannot disagree, and the content hash (over the lines) covers the figures.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reports.documents import MonthlySummaryDoc, ShiftLine


@dataclass(frozen=True)
class Hours:
    """Scheduled and GPS-verified hours of a set of shifts, and their punctuality."""

    shifts: int
    scheduled_hours: float
    verified_hours: float
    on_time: int
    late: int
    no_show: int

    @property
    def coverage(self) -> float | None:
        return self.verified_hours / self.scheduled_hours if self.scheduled_hours else None

    @property
    def punctuality(self) -> float | None:
        """Share of shifts clocked in on time (a no-show is not on time)."""
        return self.on_time / self.shifts if self.shifts else None


@dataclass(frozen=True)
class Week:
    """An ISO week of the period (clipped to the period), by the shifts' local start days."""

    label: str
    first: date
    last: date
    hours: Hours


@dataclass(frozen=True)
class ResponseTimes:
    """Minutes from request to response for one kind of service request."""

    kind: str
    requests: int
    unanswered: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class MonthlyFigures:
    total: Hours
    by_site: dict[str, Hours]
    weeks: list[Week]
    incidents_by_type: list[tuple[str, int]]
    incidents_by_type_severity: dict[str, Counter[str]]
    severities: list[str]
    flags_by_label: dict[str, Counter[str]]
    resolutions: list[str]
    tour_completion: dict[str, tuple[int, int]]
    responses: list[ResponseTimes]
    concerns_open: int
    concern_median_hours: float | None


SEVERITY_ORDER = ("critical", "high", "medium", "low")
OPEN = "open"


def shift_status(shift: ShiftLine, grace: timedelta) -> str:
    """'no-show', 'late' or 'on time' by the clock-in against the scheduled start."""
    if shift.clock_in is None:
        return "no-show"
    return "late" if shift.clock_in > shift.scheduled_start + grace else "on time"


def hours_of(shifts: Iterable[ShiftLine], grace: timedelta) -> Hours:
    count = on_time = late = no_show = 0
    scheduled = verified = 0.0
    for shift in shifts:
        count += 1
        scheduled += (shift.scheduled_end - shift.scheduled_start).total_seconds()
        verified += shift.verified_seconds
        status = shift_status(shift, grace)
        on_time += status == "on time"
        late += status == "late"
        no_show += status == "no-show"
    return Hours(count, scheduled / 3600, verified / 3600, on_time, late, no_show)


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (no interpolation: it is one of the measured values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _weeks(doc: MonthlySummaryDoc, zone: ZoneInfo, grace: timedelta) -> list[Week]:
    by_week: dict[tuple[int, int], list[ShiftLine]] = defaultdict(list)
    for shift in doc.shifts:
        by_week[shift.scheduled_start.astimezone(zone).date().isocalendar()[:2]].append(shift)
    weeks = []
    day = doc.period_start
    while day <= doc.period_end:
        year, number = day.isocalendar()[:2]
        last = min(day + timedelta(days=6 - day.weekday()), doc.period_end)
        label = f"W{number} {day.day}–{last.day} {last:%b}" if day != last else f"W{number} {day.day} {day:%b}"
        weeks.append(Week(label, day, last, hours_of(by_week.get((year, number), ()), grace)))
        day = last + timedelta(days=1)
    return weeks


def summarise(doc: MonthlySummaryDoc) -> MonthlyFigures:
    """Every figure the summary prints."""
    zone = ZoneInfo(doc.time_zone)
    grace = timedelta(minutes=doc.grace_minutes)
    per_site: dict[str, list[ShiftLine]] = defaultdict(list)
    for shift in doc.shifts:
        per_site[shift.site].append(shift)
    sites = list(doc.sites) + sorted(set(per_site) - set(doc.sites))

    by_type = Counter(incident.incident_type for incident in doc.incidents)
    by_type_severity: dict[str, Counter[str]] = defaultdict(Counter)
    for incident in doc.incidents:
        by_type_severity[incident.incident_type][incident.severity] += 1
    seen = {incident.severity for incident in doc.incidents}
    severities = [s for s in SEVERITY_ORDER if s in seen] + sorted(seen - set(SEVERITY_ORDER))

    flags: dict[str, Counter[str]] = defaultdict(Counter)
    for flag in doc.flags:
        flags[flag.label][flag.resolution or OPEN] += 1
    resolutions = sorted({r for counts in flags.values() for r in counts} - {OPEN})
    if any(OPEN in counts for counts in flags.values()):
        resolutions.append(OPEN)

    tours: dict[str, tuple[int, int]] = {}
    for tour in doc.tours:
        expected, completed = tours.get(tour.site, (0, 0))
        tours[tour.site] = (expected + tour.expected_scans, completed + tour.completed_scans)

    kinds: dict[str, list[float | None]] = defaultdict(list)
    for request in doc.service_requests:
        minutes = None if request.responded_at is None else (
            (request.responded_at - request.requested_at).total_seconds() / 60)
        kinds[request.kind].append(minutes)
    responses = []
    for kind in sorted(kinds):
        answered = [m for m in kinds[kind] if m is not None]
        responses.append(ResponseTimes(kind, len(kinds[kind]), len(kinds[kind]) - len(answered),
                                       percentile(answered, 0.5), percentile(answered, 0.9)))

    resolved_hours = [(c.resolved_at - c.raised_at).total_seconds() / 3600
                      for c in doc.concerns if c.resolved_at is not None]
    return MonthlyFigures(
        total=hours_of(doc.shifts, grace),
        by_site={site: hours_of(per_site.get(site, ()), grace) for site in sites},
        weeks=_weeks(doc, zone, grace),
        incidents_by_type=sorted(by_type.items(), key=lambda item: (-item[1], item[0])),
        incidents_by_type_severity=dict(by_type_severity),
        severities=severities,
        flags_by_label=dict(flags),
        resolutions=resolutions,
        tour_completion=tours,
        responses=responses,
        concerns_open=sum(c.resolved_at is None for c in doc.concerns),
        concern_median_hours=percentile(resolved_hours, 0.5),
    )


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()

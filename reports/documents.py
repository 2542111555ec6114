"""What each PDF says, as plain frozen data: the portal and Celery build these, the renderers read them.

Conventions shared by every document:
- Times are aware `datetime`s (UTC is what the database gives; any zone is accepted) and each
  document names the IANA zone it is shown in (`time_zone`, the site's or the client's); the
  renderer formats them there, so the caller never pre-formats and the content hash covers
  the instants, not a rendering of them. A naive datetime is refused when rendered.
- Geometry is WGS 84 lon/lat degrees (SRID 4326, as GeoDjango stores it): a polygon is an
  exterior ring of (lon, lat) pairs; the caller converts from GEOS (`polygon.exterior.coords`).
- Free text (narratives, names, activity lines, captions, client concerns) is printed as text,
  whatever characters it holds: the renderers escape it before ReportLab's markup sees it.
- Photos are the stored image bytes (JPEG, PNG, HEIF already converted); the renderer scales
  them to their printed size and re-encodes them, which also drops every EXIF tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

LonLat = tuple[float, float]
Ring = tuple[LonLat, ...]


# --- shared pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """The security company that issues the document: its name (PDF author) and optional logo."""

    company_name: str
    logo: bytes | None = None


@dataclass(frozen=True)
class Area:
    """A named polygon: a site's fence part or a restricted zone."""

    name: str
    exterior: Ring


@dataclass(frozen=True)
class MapPoint:
    """A point on a map; `accuracy_m` draws the GPS accuracy circle around it."""

    lon: float
    lat: float
    label: str = ""
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Photo:
    """An image as stored, with its caption; `taken_at` is printed when known."""

    data: bytes
    caption: str = ""
    taken_at: datetime | None = None


@dataclass(frozen=True)
class ShownFlag:
    """A rule's finding that a manager chose to show the client (internal flags are never passed)."""

    label: str
    message: str


# --- incident report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone involved: their name, role (witness, subject, resident, officer...) and what they did."""

    name: str
    role: str
    details: str = ""


@dataclass(frozen=True)
class EmergencySection:
    """Which emergency services attended and when; `reference` is their incident or case number."""

    services: tuple[str, ...]
    called_at: datetime | None = None
    arrived_at: datetime | None = None
    reference: str = ""
    details: str = ""


@dataclass(frozen=True)
class IncidentMap:
    """The map of an incident: the fence, restricted zones, where the report was made and the unit."""

    fence: tuple[Area, ...]
    restricted_zones: tuple[Area, ...] = ()
    position: MapPoint | None = None
    unit: MapPoint | None = None


@dataclass(frozen=True)
class IncidentReportDoc:
    """One approved incident report, as the client sees it."""

    issuer: Issuer
    client_name: str
    report_id: str
    version: int
    incident_type: str
    severity: str
    time_zone: str
    occurred_at: datetime
    filed_at: datetime
    filed_by: str
    site_name: str
    address: str
    narrative: str
    approved_at: datetime | None = None
    approved_by: str = ""
    unit: str = ""
    location_detail: str = ""
    persons: tuple[Person, ...] = ()
    emergency: EmergencySection | None = None
    photos: tuple[Photo, ...] = ()
    flags: tuple[ShownFlag, ...] = ()
    map: IncidentMap | None = None


# --- daily activity report -------------------------------------------------------------------


@dataclass(frozen=True)
class GuardOnDuty:
    """A shift of the day: scheduled times and the actual clock-in/out as recorded (not rounded)."""

    guard: str
    post: str
    scheduled_start: datetime
    scheduled_end: datetime
    arrived_at: datetime | None
    departed_at: datetime | None
    note: str = ""


@dataclass(frozen=True)
class Coverage:
    """The day's coverage: shifts scheduled and covered, and the GPS-verified share of time on post."""

    shifts_scheduled: int
    shifts_covered: int
    on_post_ratio: float


@dataclass(frozen=True)
class ActivityEntry:
    """A timestamped line of the activity log, as the guard wrote it."""

    at: datetime
    guard: str
    text: str


@dataclass(frozen=True)
class Checkpoint:
    """A tour checkpoint; its location is optional (a checkpoint without one is not drawn)."""

    name: str
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class CheckpointScan:
    """A scan of a checkpoint (by its name in `DailyActivityDoc.checkpoints`)."""

    at: datetime
    checkpoint: str
    guard: str


@dataclass(frozen=True)
class IncidentLine:
    """An incident in a list: the report reference, type, severity and a one-line summary."""

    occurred_at: datetime
    report_id: str
    incident_type: str
    severity: str
    summary: str = ""
    site: str = ""
    photo_count: int = 0


@dataclass(frozen=True)
class Acknowledgement:
    """A guard acknowledging a version of a post's orders."""

    at: datetime
    guard: str
    post_order: str
    version: int


@dataclass(frozen=True)
class ExceptionLine:
    """An attendance or patrol exception shown to the client (late, early departure, missed scan)."""

    at: datetime
    kind: str
    text: str


@dataclass(frozen=True)
class DailyActivityDoc:
    """One site's day: who was on duty, what they did and saw, and the tour they walked."""

    issuer: Issuer
    client_name: str
    site_name: str
    address: str
    time_zone: str
    day: date
    guards: tuple[GuardOnDuty, ...]
    coverage: Coverage
    activity: tuple[ActivityEntry, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    scans: tuple[CheckpointScan, ...] = ()
    incidents: tuple[IncidentLine, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    exceptions: tuple[ExceptionLine, ...] = ()
    fence: tuple[Area, ...] = ()
    restricted_zones: tuple[Area, ...] = ()
    tour_track: tuple[Ring, ...] = ()


# --- monthly (or any period's) summary --------------------------------------------------------


@dataclass(frozen=True)
class ShiftLine:
    """A scheduled shift with its actual clock-in/out and the GPS-verified seconds on post."""

    site: str
    post: str
    guard: str
    scheduled_start: datetime
    scheduled_end: datetime
    clock_in: datetime | None
    clock_out: datetime | None
    verified_seconds: int


@dataclass(frozen=True)
class FlagLine:
    """A flag raised in the period and how it was resolved (`resolution` empty while open)."""

    raised_at: datetime
    site: str
    label: str
    resolution: str = ""
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class TourTotal:
    """A site's checkpoint scans in the period: expected by the tour schedule and made."""

    site: str
    expected_scans: int
    completed_scans: int


@dataclass(frozen=True)
class ServiceRequestLine:
    """A dispatched service request (escort, lockout, alarm response) and when a guard responded."""

    site: str
    kind: str
    requested_at: datetime
    responded_at: datetime | None


@dataclass(frozen=True)
class ConcernLine:
    """A concern the client raised (in the portal or by phone), its status and when it was resolved."""

    raised_at: datetime
    site: str
    subject: str
    status: str
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class PhotoThumb:
    """A photo of an incident for the summary's appendix of thumbnails.

    Pass the photo's stored thumbnail (320 px), not the original: thumbnails print 1.6 inches
    wide (~250 px at 150 dpi), and decoding 200 camera originals costs ~20 s of CPU where
    200 thumbnails cost under one. Originals still work, only slower.
    """

    report_id: str
    photo: Photo


@dataclass(frozen=True)
class MonthlySummaryDoc:
    """A client's (or one site's) period, usually a calendar month; `period_end` is inclusive.

    `site_name` is set for a one-site summary. A shift is on time when clocked in no later
    than `grace_minutes` after its scheduled start.
    """

    issuer: Issuer
    client_name: str
    time_zone: str
    period_start: date
    period_end: date
    sites: tuple[str, ...]
    shifts: tuple[ShiftLine, ...] = ()
    incidents: tuple[IncidentLine, ...] = ()
    flags: tuple[FlagLine, ...] = ()
    tours: tuple[TourTotal, ...] = ()
    service_requests: tuple[ServiceRequestLine, ...] = ()
    concerns: tuple[ConcernLine, ...] = ()
    photos: tuple[PhotoThumb, ...] = ()
    site_name: str | None = None
    grace_minutes: int = 5


Document = IncidentReportDoc | DailyActivityDoc | MonthlySummaryDoc

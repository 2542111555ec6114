"""Deterministic sample documents: for the PNG previews, the tests and the bench.

Nothing here is random at run time: every "random" choice comes from a `random.Random`
seeded by its arguments, so a sample renders the same document (and hash) every time.
"""

from __future__ import annotations

import functools
import math
import random
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from PIL import Image, ImageChops, ImageDraw

from reports.documents import (
    Acknowledgement,
    ActivityEntry,
    Area,
    Checkpoint,
    CheckpointScan,
    ConcernLine,
    Coverage,
    DailyActivityDoc,
    EmergencySection,
    ExceptionLine,
    FlagLine,
    GuardOnDuty,
    IncidentLine,
    IncidentMap,
    IncidentReportDoc,
    Issuer,
    LonLat,
    MapPoint,
    MonthlySummaryDoc,
    Person,
    Photo,
    PhotoThumb,
    Ring,
    ServiceRequestLine,
    ShiftLine,
    ShownFlag,
    TourTotal,
)

CENTRE: LonLat = (-84.3880, 33.7800)  # Atlanta, like the demo data
ZONE = "America/New_York"
M_PER_DEG = 111_320.0
ISSUER = Issuer(company_name="Peachtree Guard Services")
INCIDENT_TYPES = ("Trespass", "Vandalism", "Noise complaint", "Parking violation", "Suspicious person",
                  "Medical", "Fire alarm", "Theft", "Access control", "Maintenance hazard")
SEVERITIES = ("low", "medium", "high", "critical")
GUARDS = ("Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Luis Echeverría", "Tom Baker", "Aisha Nwosu",
          "Kenji Sato", "Ruth Adler", "Samuel Okoro", "Elena Petrova")


def offset(point: LonLat, east_m: float, north_m: float) -> LonLat:
    lon, lat = point
    return (lon + east_m / (M_PER_DEG * math.cos(math.radians(lat))), lat + north_m / M_PER_DEG)


def fence_ring(centre: LonLat = CENTRE, radius_m: float = 140.0, vertices: int = 48) -> Ring:
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius_m * (1 + 0.15 * math.sin(5 * angle) * math.cos(3 * angle))
        ring.append(offset(centre, r * math.cos(angle), r * math.sin(angle)))
    return (*ring, ring[0])


def box_ring(centre: LonLat, east_m: float, north_m: float, half_w: float, half_h: float) -> Ring:
    c = offset(centre, east_m, north_m)
    corners = [(-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h), (-half_w, -half_h)]
    return tuple(offset(c, x, y) for x, y in corners)


@functools.lru_cache(maxsize=2)
def _texture(size: tuple[int, int]) -> Image.Image:
    """Blotches and grain at full size, made once per size (effect_noise at 12 MP takes seconds)."""
    blotches = Image.effect_noise((size[0] // 8, size[1] // 8), 60).convert("RGB")
    blotches = blotches.resize(size, Image.Resampling.BILINEAR)
    return Image.blend(blotches, Image.effect_noise(size, 25).convert("RGB"), 0.18)


def synth_jpeg(seed: int, size: tuple[int, int] = (4000, 3000), quality: int = 88) -> bytes:
    """A camera-sized JPEG, distinct per seed, with the texture (and weight, ~2-3 MB) of a phone photo."""
    rng = random.Random(  # noqa: S311 (seeded on purpose: the same sample every run)
        seed)
    image = ImageChops.offset(_texture(size), rng.randrange(size[0]), rng.randrange(size[1]))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(80, max(81, size[0] // 3)), rng.randrange(80, max(81, size[1] // 3))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle([x, y, x + w, y + h], outline=colour, width=rng.randrange(4, 40))
    draw.text((size[0] // 20, size[1] // 20), f"photo {seed}", fill=(255, 255, 255))
    out = BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _local_midnight(day: date) -> datetime:
    """The site's midnight as a UTC instant (the database's form)."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def incident_report(*, narrative: str | None = None, photos: int = 2, photo_size: tuple[int, int] = (1600, 1200)) -> (
        IncidentReportDoc):
    day = date(2025, 3, 4)
    zone_ring = box_ring(CENTRE, 60, 40, 25, 18)
    return IncidentReportDoc(
        issuer=ISSUER,
        client_name="Midtown Residential LLC",
        report_id="IR-2025-00412",
        version=2,
        incident_type="Trespass",
        severity="high",
        time_zone=ZONE,
        occurred_at=_utc(day, 3, 12),
        filed_at=_utc(day, 3, 41),
        filed_by="Dana Whitfield",
        approved_at=_utc(day, 13, 5),
        approved_by="Jordan Reyes (operations manager)",
        site_name="Midtown Lofts",
        unit="Building B, unit 214",
        address="1010 Peachtree St NE, Atlanta, GA 30309",
        location_detail="North stairwell, second-floor landing, by the roof access door",
        narrative=narrative if narrative is not None else (
            "At 22:12 I heard the roof access door alarm on the north stairwell of Building B. I went up and found "
            "two adults on the landing who said they were visiting unit 214; the resident was not at home.\n\n"
            "I asked them to leave the restricted roof access area and escorted them to the lobby. They left on "
            "foot at 22:31 towards 10th Street. The door closer was damaged; I reported it to maintenance."
        ),
        persons=(
            Person("Unknown male, ~30", "subject", "Grey hoodie, black backpack; cooperative"),
            Person("Unknown female, ~25", "subject", "Red jacket; said she knew the resident of 214"),
            Person("Dana Whitfield", "reporting officer", "Badge 4471"),
        ),
        emergency=EmergencySection(services=("Atlanta Police Department",), called_at=_utc(day, 3, 20),
                                   arrived_at=_utc(day, 3, 38), reference="APD 25-063-0412",
                                   details="Officer took names and a statement; no arrest."),
        photos=tuple(Photo(synth_jpeg(100 + i, photo_size), caption=f"Roof door, view {i + 1}",
                           taken_at=_utc(day, 3, 25 + i)) for i in range(photos)),
        flags=(ShownFlag("Late filing", "Filed 29 minutes after the incident; the target is 15 minutes."),),
        map=IncidentMap(
            fence=(Area("Midtown Lofts", fence_ring()),),
            restricted_zones=(Area("Roof access", zone_ring),),
            position=MapPoint(*offset(CENTRE, 52, 30), label="report", accuracy_m=12.0),
            unit=MapPoint(*offset(CENTRE, 62, 44), label="Building B, 214"),
        ),
    )


def _tour(rng: random.Random, checkpoints: list[Checkpoint], rounds: int) -> tuple[Ring, ...]:
    tracks = []
    for _ in range(rounds):
        points: list[LonLat] = []
        placed = [(c.lon, c.lat) for c in checkpoints if c.lon is not None and c.lat is not None]
        for (a_lon, a_lat), (b_lon, b_lat) in zip(placed, placed[1:] + placed[:1], strict=True):
            for step in range(8):
                t = step / 8
                points.append((a_lon + (b_lon - a_lon) * t + rng.uniform(-1, 1) * 3e-5,
                               a_lat + (b_lat - a_lat) * t + rng.uniform(-1, 1) * 3e-5))
        tracks.append(tuple(points))
    return tuple(tracks)


def daily_activity(*, site: int = 0, quiet: bool = False, checkpoints: int = 42, day: date = date(2025, 3, 4)) -> (
        DailyActivityDoc):
    """A site's day: three shifts; a busy day has a log, incidents and an exception, a quiet one nothing."""
    rng = random.Random(  # noqa: S311 (seeded on purpose: the same sample every run)
        site * 7919 + day.toordinal())
    centre = offset(CENTRE, 900 * (site % 25), 900 * (site // 25))
    points = [Checkpoint(f"CP-{i + 1:02d}", *offset(centre, 110 * math.cos(2 * math.pi * i / checkpoints),
                                                      95 * math.sin(2 * math.pi * i / checkpoints)))
              for i in range(checkpoints)]
    midnight = _local_midnight(day)
    shifts = [(6, 14), (14, 22), (22, 30)]  # local hours
    guards = tuple(
        GuardOnDuty(
            guard=GUARDS[(site + i) % len(GUARDS)],
            post="Front desk" if i != 2 else "Patrol",
            scheduled_start=midnight + timedelta(hours=start),
            scheduled_end=midnight + timedelta(hours=end),
            arrived_at=midnight + timedelta(hours=start, minutes=-6, seconds=rng.randrange(0, 300)),
            departed_at=midnight + timedelta(hours=end, minutes=2, seconds=rng.randrange(0, 200)),
        )
        for i, (start, end) in enumerate(shifts)
    )
    scans = tuple(
        CheckpointScan(midnight + timedelta(hours=7 + r * 6, minutes=i), c.name, guards[min(r, 2)].guard)
        for r in range(4) for i, c in enumerate(points)
        if quiet or i not in (7, 8)
    )
    activity: tuple[ActivityEntry, ...] = ()
    incidents: tuple[IncidentLine, ...] = ()
    exceptions: tuple[ExceptionLine, ...] = ()
    if not quiet:
        texts = ["Lobby and mail room checked, all secure.", "Delivery van at loading dock, driver signed in.",
                 "Resident of 3C locked out; identity checked, let in with the master key.",
                 "Garage gate slow to close; reported to maintenance.", "Fire lane clear; one car moved on.",
                 "Pool area closed and locked.", "Visitor for 12A signed in, left at 21:40.",
                 "Lights out on level 2 of the garage (bays 20-24)."]
        activity = tuple(
            ActivityEntry(midnight + timedelta(hours=6.3 + i * 0.95, minutes=rng.randrange(40)),
                          guards[min(i // 9, 2)].guard, texts[i % len(texts)])
            for i in range(24)
        )
        incidents = (IncidentLine(midnight + timedelta(hours=22, minutes=12), "IR-2025-00412", "Trespass",
                                  "high", "Two adults at the roof access door; escorted out, APD attended"),)
        exceptions = (ExceptionLine(midnight + timedelta(hours=25, minutes=15), "Missed checkpoints",
                                    "CP-08 and CP-09 not scanned all day (garage level 2 closed for repairs)"),)
    scanned = {s.checkpoint for s in scans}
    return DailyActivityDoc(
        issuer=ISSUER,
        client_name="Midtown Residential LLC",
        site_name=f"Midtown Lofts {site + 1}" if site else "Midtown Lofts",
        address="1010 Peachtree St NE, Atlanta, GA 30309",
        time_zone=ZONE,
        day=day,
        guards=guards,
        coverage=Coverage(3, 3, 0.992 if not quiet else 0.998),
        activity=activity,
        checkpoints=tuple(points),
        scans=scans,
        incidents=incidents,
        acknowledgements=(Acknowledgement(guards[2].scheduled_start - timedelta(minutes=4), guards[2].guard,
                                          "Night patrol post orders", 3),),
        exceptions=exceptions,
        fence=(Area("site", fence_ring(centre, 150)),),
        restricted_zones=(Area("Roof access", box_ring(centre, 60, 40, 25, 18)),),
        tour_track=_tour(rng, [p for p in points if p.name in scanned], 4),
    )


def monthly_summary(
    *,
    sites: int = 6,
    shifts: int = 900,
    incidents: int = 400,
    photos: int = 0,
    photo_size: tuple[int, int] = (4000, 3000),
    month: date = date(2025, 3, 1),
) -> MonthlySummaryDoc:
    """A client's month over `sites` sites; photos are synthesised camera-sized JPEGs."""
    rng = random.Random(  # noqa: S311 (seeded on purpose: the same sample every run)
        sites * 1000 + shifts + incidents)
    names = [f"Midtown Lofts {i + 1}" for i in range(sites)]
    days = [(month + timedelta(days=d)) for d in range(31) if (month + timedelta(days=d)).month == month.month]
    shift_lines = []
    for i in range(shifts):
        day = days[i % len(days)]
        start = _utc(day, 0) + timedelta(hours=5 + (i % 3) * 8)
        end = start + timedelta(hours=8)
        roll = rng.random()
        if roll < 0.02:
            clock_in = clock_out = None
            verified = 0
        else:
            late = rng.choice([0] * 8 + [7, 18]) if roll < 0.5 else 0
            clock_in = start + timedelta(minutes=late - 5, seconds=rng.randrange(240))
            clock_out = end + timedelta(minutes=rng.randrange(-10, 10))
            verified = int((clock_out - max(clock_in, start)).total_seconds() * rng.uniform(0.9, 1.0))
        shift_lines.append(ShiftLine(names[i % sites], "Patrol" if i % 3 == 2 else "Front desk",
                                     GUARDS[i % len(GUARDS)], start, end, clock_in, clock_out, max(verified, 0)))
    incident_lines = tuple(
        IncidentLine(_utc(days[i % len(days)], 0) + timedelta(hours=5 + rng.randrange(24), minutes=rng.randrange(60)),
                     f"IR-2025-{1000 + i:05d}", rng.choice(INCIDENT_TYPES[: 4 + i % 7]),
                     rng.choice(SEVERITIES[:3] if i % 11 else SEVERITIES), site=names[i % sites],
                     summary="Reported by the patrol and resolved on site", photo_count=1 if i < photos else 0)
        for i in range(incidents)
    )
    resolutions = ("confirmed", "dismissed", "corrected by guard", "")
    flag_lines = tuple(
        FlagLine(_utc(days[i % len(days)], 12), names[i % sites],
                 rng.choice(("Late clock-in", "Out of position", "Incomplete report", "Missed checkpoint")),
                 resolution := rng.choice(resolutions),
                 (_utc(days[i % len(days)], 15) if resolution else None))
        for i in range(60)
    )
    requests = tuple(
        ServiceRequestLine(names[i % sites], rng.choice(("Escort", "Lockout", "Alarm response")),
                           start := _utc(days[i % len(days)], 2 + i % 20),
                           start + timedelta(minutes=rng.randrange(3, 25)) if i % 17 else None)
        for i in range(45)
    )
    concerns = tuple(
        ConcernLine(_utc(days[(i * 5) % len(days)], 14), names[i % sites],
                    ("Was the night guard at the gate at 02:00 on the 3rd?", "Noise from the pool after hours",
                     "Report IR-2025-01012 names the wrong unit", "Garage lights still out on level 2")[i % 4],
                    "answered" if i % 3 else "open",
                    _utc(days[(i * 5) % len(days)], 18) if i % 3 else None)
        for i in range(8)
    )
    thumbs = tuple(PhotoThumb(incident_lines[i].report_id, Photo(synth_jpeg(i, photo_size), f"{names[i % sites]}"))
                   for i in range(min(photos, incidents)))
    return MonthlySummaryDoc(
        issuer=ISSUER,
        client_name="Midtown Residential LLC",
        time_zone=ZONE,
        period_start=days[0],
        period_end=days[-1],
        sites=tuple(names),
        shifts=tuple(shift_lines),
        incidents=incident_lines,
        flags=flag_lines,
        tours=tuple(TourTotal(name, 42 * 4 * len(days), 42 * 4 * len(days) - rng.randrange(0, 60)) for name in names),
        service_requests=requests,
        concerns=concerns,
        photos=thumbs,
    )

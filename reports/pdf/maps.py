"""Vector site maps drawn with ReportLab graphics: no tiles, nothing fetched, sharp at any zoom.

Coordinates are projected into metres around the centre of what is drawn (equirectangular:
x = Δlon·cos(lat0)·R, y = Δlat·R). Over a site a few hundred metres across its error is
far below GPS accuracy, and it keeps the accuracy circle a circle of the right radius.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from reports.documents import Area, Checkpoint, LonLat, MapPoint, Ring

M_PER_DEG = 111_320.0
FENCE_FILL = colors.Color(0.30, 0.62, 0.35, alpha=0.12)
FENCE_STROKE = colors.HexColor("#2f7d32")
ZONE_FILL = colors.Color(0.85, 0.15, 0.15, alpha=0.18)
ZONE_STROKE = colors.HexColor("#b71c1c")
POSITION = colors.HexColor("#0b5394")
ACCURACY_FILL = colors.Color(0.04, 0.33, 0.58, alpha=0.15)
TRACK = colors.HexColor("#1565c0")
SCANNED = colors.HexColor("#2f7d32")
MISSED = colors.HexColor("#c62828")
LABEL = colors.HexColor("#1f2933")
_PAD = 14.0
_MIN_EXTENT_M = 60.0


@dataclass(frozen=True)
class _Frame:
    lon0: float
    lat0: float
    kx: float  # metres per degree of longitude at lat0
    scale: float  # points per metre
    x0: float  # drawing offset of the centre
    y0: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.x0 + (lon - self.lon0) * self.kx * self.scale,
            self.y0 + (lat - self.lat0) * M_PER_DEG * self.scale,
        )


def _frame(points: Iterable[LonLat], radii: Iterable[tuple[LonLat, float]], width: float, height: float) -> _Frame:
    pts = list(points)
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    lon0 = (min(lons) + max(lons)) / 2
    lat0 = (min(lats) + max(lats)) / 2
    kx = M_PER_DEG * math.cos(math.radians(lat0))
    xs = [(lon - lon0) * kx for lon in lons]
    ys = [(lat - lat0) * M_PER_DEG for lat in lats]
    for (lon, lat), radius in radii:
        x, y = (lon - lon0) * kx, (lat - lat0) * M_PER_DEG
        xs += [x - radius, x + radius]
        ys += [y - radius, y + radius]
    extent_x = max(max(xs) - min(xs), _MIN_EXTENT_M)
    extent_y = max(max(ys) - min(ys), _MIN_EXTENT_M)
    scale = min((width - 2 * _PAD) / extent_x, (height - 2 * _PAD) / extent_y)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return _Frame(lon0, lat0, kx, scale, width / 2 - mid_x * scale, height / 2 - mid_y * scale)


def _flat(frame: _Frame, ring: Ring, min_step: float = 0.0) -> list[float]:
    """Ring or track as flat drawing coordinates, dropping points under `min_step` points apart."""
    out: list[float] = []
    last_x = last_y = math.inf
    for lon, lat in ring:
        x, y = frame.xy(lon, lat)
        if min_step and abs(x - last_x) < min_step and abs(y - last_y) < min_step:
            continue
        out += [x, y]
        last_x, last_y = x, y
    return out


def _scale_bar(drawing: Drawing, frame: _Frame, width: float) -> None:
    metres_wanted = (width * 0.22) / frame.scale
    magnitude = 10 ** math.floor(math.log10(metres_wanted))
    metres = max(step * magnitude for step in (1, 2, 5) if step * magnitude <= metres_wanted)
    length = metres * frame.scale
    x, y = 8.0, 8.0
    drawing.add(Rect(x - 3, y - 3, length + 6, 15, fillColor=colors.white, strokeColor=None, fillOpacity=0.8))
    drawing.add(Line(x, y, x + length, y, strokeColor=LABEL, strokeWidth=1.2))
    drawing.add(Line(x, y - 2, x, y + 2, strokeColor=LABEL))
    drawing.add(Line(x + length, y - 2, x + length, y + 2, strokeColor=LABEL))
    drawing.add(String(x + length / 2, y + 3, f"{metres:g} m", fontSize=6.5, fillColor=LABEL, textAnchor="middle"))
    north_x, top = width - 14, float(drawing.height)
    drawing.add(Polygon([north_x, top - 22, north_x - 4, top - 31, north_x + 4, top - 31],
                        fillColor=LABEL, strokeColor=None))
    drawing.add(String(north_x, top - 13, "N", fontSize=7, fillColor=LABEL, textAnchor="middle"))


def _areas(drawing: Drawing, frame: _Frame, areas: Sequence[Area], fill: colors.Color, stroke: colors.Color,
           labelled: bool) -> None:
    for area in areas:
        flat = _flat(frame, area.exterior, min_step=0.3)
        if len(flat) < 6:
            continue
        drawing.add(Polygon(flat, fillColor=fill, strokeColor=stroke, strokeWidth=0.9))
        if labelled:
            _label(drawing, frame, area, stroke)


def _label(drawing: Drawing, frame: _Frame, area: Area, colour: colors.Color) -> None:
    """The area's name above it, where it hides neither the position nor the unit inside it."""
    if not area.name:
        return
    flat = _flat(frame, area.exterior)
    xs, ys = flat[0::2], flat[1::2]
    drawing.add(Rect((min(xs) + max(xs)) / 2 - len(area.name[:40]) * 1.7 - 1, max(ys) + 1.5,
                     len(area.name[:40]) * 3.4 + 2, 8, fillColor=colors.white, strokeColor=None, fillOpacity=0.85))
    drawing.add(String((min(xs) + max(xs)) / 2, max(ys) + 3, area.name[:40], fontSize=6.5, fillColor=colour,
                       textAnchor="middle"))


def _border(drawing: Drawing, width: float, height: float) -> None:
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#fbfcfd"), strokeColor=colors.HexColor("#cbd2d9"),
                     strokeWidth=0.6))


def incident_map(
    fence: Sequence[Area],
    zones: Sequence[Area],
    position: MapPoint | None,
    unit: MapPoint | None,
    width: float,
    height: float,
) -> Drawing | None:
    """Fence, restricted zones, the report's position with its accuracy circle, and the unit."""
    points = [p for area in (*fence, *zones) for p in area.exterior]
    marks = [m for m in (position, unit) if m is not None]
    points += [(m.lon, m.lat) for m in marks]
    if not points:
        return None
    radii = [((m.lon, m.lat), m.accuracy_m) for m in marks if m.accuracy_m]
    frame = _frame(points, radii, width, height)
    drawing = Drawing(width, height)
    _border(drawing, width, height)
    _areas(drawing, frame, fence, FENCE_FILL, FENCE_STROKE, labelled=False)
    _areas(drawing, frame, zones, ZONE_FILL, ZONE_STROKE, labelled=True)
    if unit is not None:
        x, y = frame.xy(unit.lon, unit.lat)
        drawing.add(Rect(x - 3.5, y - 3.5, 7, 7, fillColor=LABEL, strokeColor=colors.white, strokeWidth=0.6))
        if unit.label:
            drawing.add(String(x + 6, y - 2.5, unit.label[:40], fontSize=7, fillColor=LABEL))
    if position is not None:
        x, y = frame.xy(position.lon, position.lat)
        if position.accuracy_m:
            drawing.add(Circle(x, y, position.accuracy_m * frame.scale, fillColor=ACCURACY_FILL,
                               strokeColor=POSITION, strokeWidth=0.5, strokeDashArray=[2, 2]))
        drawing.add(Circle(x, y, 3.2, fillColor=POSITION, strokeColor=colors.white, strokeWidth=0.8))
        if position.label:
            drawing.add(String(x + 6, y + 4, position.label[:40], fontSize=7, fillColor=POSITION))
    _scale_bar(drawing, frame, width)
    return drawing


def tour_map(
    fence: Sequence[Area],
    zones: Sequence[Area],
    track: Sequence[Ring],
    checkpoints: Sequence[Checkpoint],
    scanned: set[str],
    width: float,
    height: float,
) -> Drawing | None:
    """The day's tour: fence, zones, the walked track, checkpoints scanned (filled) and missed (ringed)."""
    placed = [(c.name, c.lon, c.lat) for c in checkpoints if c.lon is not None and c.lat is not None]
    points = [p for area in (*fence, *zones) for p in area.exterior]
    points += [p for line in track for p in line]
    points += [(lon, lat) for _, lon, lat in placed]
    if not points:
        return None
    frame = _frame(points, (), width, height)
    drawing = Drawing(width, height)
    _border(drawing, width, height)
    _areas(drawing, frame, fence, FENCE_FILL, FENCE_STROKE, labelled=False)
    _areas(drawing, frame, zones, ZONE_FILL, ZONE_STROKE, labelled=False)
    tracks = Group()
    for line in track:
        flat = _flat(frame, line, min_step=0.8)
        if len(flat) >= 4:
            tracks.add(PolyLine(flat, strokeColor=TRACK, strokeWidth=0.7, strokeOpacity=0.6))
    drawing.add(tracks)
    for name, lon, lat in placed:
        x, y = frame.xy(lon, lat)
        if name in scanned:
            drawing.add(Circle(x, y, 2.8, fillColor=SCANNED, strokeColor=colors.white, strokeWidth=0.6))
        else:
            drawing.add(Circle(x, y, 3.6, fillColor=colors.white, strokeColor=MISSED, strokeWidth=1.4))
    for zone in zones:  # on top of the track and the checkpoints
        _label(drawing, frame, zone, ZONE_STROKE)
    _scale_bar(drawing, frame, width)
    return drawing

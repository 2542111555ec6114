"""Demo-site shapes: real-looking property outlines drawn in metres around a centre.

Outlines are lists of (east_m, north_m) offsets, turned into lon/lat with a local
equirectangular approximation (error < 0.1 % over a few hundred metres).
"""

import math
from collections.abc import Sequence

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

METRES_PER_DEGREE_LAT = 111_320.0

Outline = Sequence[tuple[float, float]]


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    return (
        lon + east_m / (METRES_PER_DEGREE_LAT * math.cos(math.radians(lat))),
        lat + north_m / METRES_PER_DEGREE_LAT,
    )


def outline_polygon(lon: float, lat: float, outline: Outline) -> Polygon:
    ring = [offset(lon, lat, east, north) for east, north in outline]
    ring.append(ring[0])
    return Polygon(ring, srid=4326)


def fence(lon: float, lat: float, *outlines: Outline) -> MultiPolygon:
    return MultiPolygon(*(outline_polygon(lon, lat, outline) for outline in outlines), srid=4326)


def point(lon: float, lat: float, east_m: float, north_m: float) -> Point:
    return Point(*offset(lon, lat, east_m, north_m), srid=4326)


def irregular_ellipse(
    radius_east_m: float, radius_north_m: float, vertices: int, wobble: float
) -> list[tuple[float, float]]:
    """A campus-like blob: an ellipse with a deterministic wobble, `vertices` corners."""
    points = []
    for index in range(vertices):
        angle = 2 * math.pi * index / vertices
        scale = 1 + wobble * math.sin(3 * angle) + wobble / 2 * math.cos(5 * angle)
        points.append((radius_east_m * scale * math.cos(angle), radius_north_m * scale * math.sin(angle)))
    return points


# Apartment complex along a river bend: an L with a clipped corner.
RIVERSIDE_L = [(-160, -120), (140, -120), (140, -20), (40, 10), (40, 130), (-100, 130), (-160, 80)]
# Courtyard garden apartments: a trapezoid with a notch for the neighbouring church lot.
MAGNOLIA_NOTCHED = [(-90, -70), (95, -80), (110, 60), (20, 60), (20, 25), (-35, 25), (-35, 75), (-100, 70)]
# Office campus: organic boundary following streets, 36 vertices.
TECH_CAMPUS = irregular_ellipse(210, 150, 36, 0.08)
# Parking garage: a rotated rectangle (the street grid is not north-up).
GARAGE_ROTATED = [(-45, -70), (60, -50), (45, 70), (-60, 50)]
# Distribution centre: the warehouse yard plus a detached trailer lot across the road.
DC_YARD = [(-250, -140), (240, -160), (260, 120), (-230, 150), (-270, 20)]
DC_TRAILER_LOT = [(300, -60), (420, -70), (430, 60), (310, 70)]
# Container yard: a long pentagon along the rail spur.
YARD_B = [(-300, -50), (280, -90), (330, 10), (260, 80), (-310, 60)]
# Second company's site (Denver): a hospital campus, 24 vertices.
HOSPITAL_CAMPUS = irregular_ellipse(180, 140, 24, 0.06)

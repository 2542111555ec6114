"""Named test geometries for the geofence package: fixed, commented, never random.

All coordinates are WGS 84 lon/lat (SRID 4326) in Oakland, California. Shapes are laid
out in metres east/north of a reference point with `offset`, whose local scale is exact
along the reference latitude, so "50 m east of the east edge" is 50 m to a millimetre.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import MultiPolygon, Polygon

from geofence.frame import meridian_radius_m, prime_vertical_radius_m

LonLat = tuple[float, float]


def offset(origin: LonLat, east_m: float, north_m: float) -> LonLat:
    """The point east_m east and north_m north of origin (local scale at the origin's latitude)."""
    lon, lat = origin
    east_deg = math.degrees(east_m / (prime_vertical_radius_m(lat) * math.cos(math.radians(lat))))
    return lon + east_deg, lat + math.degrees(north_m / meridian_radius_m(lat))


def offset_many(origin: LonLat, east_m: np.ndarray, north_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`offset` for arrays of metre offsets: (lons, lats)."""
    lon, lat = origin
    east_deg = np.degrees(east_m / (prime_vertical_radius_m(lat) * math.cos(math.radians(lat))))
    return lon + east_deg, lat + np.degrees(north_m / meridian_radius_m(lat))


def _ring(origin: LonLat, points_m: list[tuple[float, float]]) -> list[LonLat]:
    """Metre offsets from origin turned into lon/lat vertices."""
    return [offset(origin, e, n) for e, n in points_m]


# --- SITE_SQUARE: a 200 m x 200 m lot, edges along meridians and parallels -------------
SQUARE_CENTRE: LonLat = (-122.2711, 37.8044)
SQUARE_HALF_M = 100.0
SITE_SQUARE = MultiPolygon(
    [Polygon(_ring(SQUARE_CENTRE, [(-100.0, -100.0), (100.0, -100.0), (100.0, 100.0), (-100.0, 100.0)]))]
)

INSIDE_CENTER: LonLat = SQUARE_CENTRE
# Exactly on the east edge (same longitude as its corners): covered, hence inside.
EXACTLY_ON_EDGE: LonLat = offset(SQUARE_CENTRE, 100.0, 0.0)
# A fix on the fence line as GPS reports one: half a metre outside the east edge.
ON_EDGE: LonLat = offset(SQUARE_CENTRE, 100.5, 0.0)
NEAR_20M: LonLat = offset(SQUARE_CENTRE, 120.0, 0.0)  # 20 m east of the east edge
OUTSIDE_50M: LonLat = offset(SQUARE_CENTRE, 150.0, 0.0)  # 50 m east of the east edge
OUTSIDE_80M_NORTH: LonLat = offset(SQUARE_CENTRE, 0.0, 180.0)  # 80 m north of the north edge
OUTSIDE_CORNER: LonLat = offset(SQUARE_CENTRE, 130.0, 140.0)  # 50 m from the NE corner (30, 40, 50)
OUTSIDE_300M: LonLat = offset(SQUARE_CENTRE, -400.0, 0.0)  # 300 m west of the west edge
OUTSIDE_45M: LonLat = offset(SQUARE_CENTRE, 145.0, 0.0)  # 45 m east of the east edge
OUTSIDE_1100M: LonLat = offset(SQUARE_CENTRE, 1200.0, 0.0)  # 1.1 km east of the east edge (the coffee shop)
FAR_3KM: LonLat = offset(SQUARE_CENTRE, 3100.0, 0.0)  # 3 km east of the east edge
FAR_300KM: LonLat = offset(SQUARE_CENTRE, 0.0, -300_100.0)  # about 300 km south (Monterey Bay area)

# --- SITE_CAMPUS: an irregular 120-vertex campus with a courtyard and a detached lot ---
CAMPUS_CENTRE: LonLat = (-122.2587, 37.8719)  # about Berkeley


def _campus_radius_m(theta: float) -> float:
    """Distance from the centre to the campus edge at angle theta (between 178 and 342 m)."""
    return 260.0 + 45.0 * math.sin(3 * theta) + 25.0 * math.cos(5 * theta + 0.7) + 12.0 * math.sin(11 * theta)


CAMPUS_VERTICES = 120
_CAMPUS_OUTLINE = [
    (_campus_radius_m(t) * math.cos(t), _campus_radius_m(t) * math.sin(t))
    for t in (2 * math.pi * k / CAMPUS_VERTICES for k in range(CAMPUS_VERTICES))
]
COURTYARD_CENTRE_M = (60.0, 30.0)  # the hole: a 24-gon of radius 40 m
COURTYARD_RADIUS_M = 40.0
_COURTYARD = [
    (
        COURTYARD_CENTRE_M[0] + COURTYARD_RADIUS_M * math.cos(2 * math.pi * k / 24),
        COURTYARD_CENTRE_M[1] + COURTYARD_RADIUS_M * math.sin(2 * math.pi * k / 24),
    )
    for k in range(24)
]
_LOT = [(400.0, -25.0), (480.0, -25.0), (480.0, 25.0), (400.0, 25.0)]  # parking lot east of the campus
SITE_CAMPUS = MultiPolygon(
    [
        Polygon(_ring(CAMPUS_CENTRE, _CAMPUS_OUTLINE), holes=[_ring(CAMPUS_CENTRE, _COURTYARD[::-1])]),
        Polygon(_ring(CAMPUS_CENTRE, _LOT)),
    ]
)
CAMPUS_EXTERIOR = shapely.get_exterior_ring(SITE_CAMPUS.geoms[0])

CAMPUS_INSIDE: LonLat = offset(CAMPUS_CENTRE, -100.0, -50.0)
# The courtyard's centre: a hole, so outside, 40 * cos(pi / 24) = 39.66 m from its edge.
CAMPUS_IN_COURTYARD: LonLat = offset(CAMPUS_CENTRE, *COURTYARD_CENTRE_M)
COURTYARD_INRADIUS_M = COURTYARD_RADIUS_M * math.cos(math.pi / 24)
CAMPUS_IN_LOT: LonLat = offset(CAMPUS_CENTRE, 440.0, 0.0)
CAMPUS_BEFORE_LOT: LonLat = offset(CAMPUS_CENTRE, 380.0, 0.0)  # 20 m west of the lot
CAMPUS_NORTH_500M: LonLat = offset(CAMPUS_CENTRE, 0.0, 800.0)

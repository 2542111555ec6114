"""Named test geometries: fixed, commented shapes in WGS 84 (lon, lat), never random.

The reference site is a 200 m x 200 m square in Midtown Atlanta. At latitude 33.78°
one metre is 1/111,320 degree of latitude and 1/(111,320 * cos 33.78°) ≈ 1/92,540
degree of longitude.
"""

import math

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

ORIGIN_LON, ORIGIN_LAT = -84.3880, 33.7800
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(ORIGIN_LAT))


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """(lon, lat) of a point east_m/north_m metres from the square's south-west corner."""
    return ORIGIN_LON + east_m / M_PER_DEG_LON, ORIGIN_LAT + north_m / M_PER_DEG_LAT


def point(east_m: float, north_m: float) -> Point:
    return Point(*at(east_m, north_m), srid=4326)


def square(west_m: float, south_m: float, east_m: float, north_m: float) -> Polygon:
    corners = [at(west_m, south_m), at(east_m, south_m), at(east_m, north_m), at(west_m, north_m), at(west_m, south_m)]
    return Polygon(corners, srid=4326)


# The site: 200 m square from the origin.
SITE_SQUARE = MultiPolygon(square(0, 0, 200, 200), srid=4326)
# A second, separate site 5 km east (another tenant's, in isolation tests).
OTHER_SITE_SQUARE = MultiPolygon(square(5000, 0, 5200, 200), srid=4326)
# A restricted zone in the site's north-east corner (server room).
RESTRICTED_NE = square(150, 150, 190, 190)

INSIDE_CENTER = point(100, 100)
# On the east edge, half-way up: covered by the fence (boundary counts as inside).
ON_EAST_EDGE = point(200, 100)
# 50 m east of the east edge.
OUTSIDE_50M = point(250, 100)
# 45 m east of the east edge: out even when the phone claims 50 m accuracy.
OUTSIDE_45M = point(245, 100)
# 3 km east of the east edge: "filed from home".
OUTSIDE_3KM = point(3200, 100)
# 49.7 km east of the east edge on the spheroid (the flat metres-per-degree above drift
# 0.3% at this range): another town, whatever accuracy the phone claims.
OUTSIDE_49_7KM = point(49_850, 100)
# Near the south-west and north-east corners, inside the site: about 255 m apart.
NEAR_SW_CORNER = point(10, 10)
NEAR_NE_CORNER = point(190, 190)
# 20 m east of the centre: a phone shuttling between here and INSIDE_CENTER is moving
# for a 15 m stillness radius and still for a 30 m one.
EAST_OF_CENTER_20M = point(120, 100)

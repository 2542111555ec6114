"""The PostGIS path: judge fixes against their sites' fences inside the database.

The one Django-bound module of the package (raw SQL on `django.db.connection`).
`sites_site.geofence` is geography(MultiPolygon, 4326), so ST_Covers and ST_Distance
work on the WGS 84 spheroid and ST_Distance answers in metres.

Fences have 50-200 vertices, so measuring a point against a whole fence is cheap, and
PostGIS caches a fence's edge tree while consecutive rows use the same fence; the items
are therefore sent sorted by site. ST_Subdivide pays off only for fences of thousands of
vertices and would need a table of pieces, so it is not used.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

from django.db import connection

from geofence.classify import PreparedFence, Verdict, decide

Key = TypeVar("Key", bound=Hashable)

# One row per item: unnest() turns the parallel arrays into rows, each joined to its
# site; ST_Distance runs only for points the fence does not cover (it would answer 0).
_CLASSIFY_SQL = """
SELECT u.ord, s.near_buffer_m, c.covered,
       CASE WHEN c.covered THEN 0.0 ELSE ST_Distance(s.geofence, p.pt) END AS distance_m
FROM unnest(%s::int[], %s::bigint[], %s::float8[], %s::float8[]) AS u(ord, site_id, lon, lat)
JOIN sites_site AS s ON s.id = u.site_id
CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)::geography AS pt) AS p
CROSS JOIN LATERAL (SELECT ST_Covers(s.geofence, p.pt) AS covered) AS c
"""

_DISTANCE_SQL = """
SELECT ST_Distance(geofence, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)
FROM sites_site WHERE id = %s
"""

_FENCES_SQL = "SELECT id, ST_AsBinary(geofence), near_buffer_m FROM sites_site WHERE id = ANY(%s::bigint[])"


def classify_points_sql(
    *, items: Sequence[tuple[Key, int, float, float, float]], max_accuracy_m: float = math.inf
) -> dict[Key, Verdict]:
    """Judge (key, site_id, lon, lat, accuracy_m) items in ONE query; items of unknown sites are left out.

    Keys should be unique (a repeated key keeps its last item's verdict). Items whose
    accuracy is worse than max_accuracy_m are "unknown" (see `decide`).
    """
    if not items:
        return {}
    for key, _, lon, lat, _ in items:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValueError(f"Item {key!r} has a non-finite position ({lon}, {lat}).")
    order = sorted(range(len(items)), key=lambda i: items[i][1])
    with connection.cursor() as cursor:
        cursor.execute(
            _CLASSIFY_SQL,
            [order, [items[i][1] for i in order], [items[i][2] for i in order], [items[i][3] for i in order]],
        )
        rows = cursor.fetchall()
    verdicts: dict[Key, Verdict] = {}
    for ordinal, near_buffer_m, covered, distance_m in sorted(rows, key=lambda row: int(row[0])):
        key, _, _, _, accuracy_m = items[ordinal]
        verdicts[key] = decide(
            inside=bool(covered),
            distance_m=float(distance_m),
            accuracy_m=accuracy_m,
            near_buffer_m=near_buffer_m,
            max_accuracy_m=max_accuracy_m,
        )
    return verdicts


def distance_to_site_m(site_id: int, lon: float, lat: float) -> float | None:
    """Metres from a point to a site's fence (0 inside) in one query; None if there is no such site."""
    with connection.cursor() as cursor:
        cursor.execute(_DISTANCE_SQL, [lon, lat, site_id])
        row = cursor.fetchone()
    return None if row is None else float(row[0])


def load_prepared_fences(site_ids: Iterable[int]) -> dict[int, PreparedFence]:
    """PreparedFences of the given sites, read in one query (unknown ids are left out)."""
    with connection.cursor() as cursor:
        cursor.execute(_FENCES_SQL, [list(site_ids)])
        rows = cursor.fetchall()
    return {
        int(site_id): PreparedFence.from_wkb(bytes(wkb), near_buffer_m=float(near_buffer_m))
        for site_id, wkb, near_buffer_m in rows
    }

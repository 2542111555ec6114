"""Where is a phone relative to a site's fence: inside, near or outside, and how many metres off.

Pure geometry (shapely 2 and numpy, no Django). Fences arrive as WGS 84 lon/lat
(Multi)Polygons, the way `sites_site.geofence` stores them; every distance is computed in
METRES in the site's `LocalFrame` (see frame.py for its error bounds), never in degrees.

- `PreparedFence`: one site's fence, projected and prepared once; `classify` for one fix,
  `classify_many` for many fixes of that site.
- `FenceSet`: many prepared fences flattened, so a batch of pings from many sites is
  judged in one vectorised pass (the ingestion path, and the fast one: per-call numpy
  overhead is paid once per batch instead of once per site).

How a position is judged: containment on the stored lon/lat fence, from the fence's
coarse raster (raster.py) where a cell lies wholly on one side, else from prepared GEOS
`intersects_xy` (so a fix on the boundary is covered); for the rest, projection into
the site's frame and the distance to the nearest ring (holes included): from the
fence's candidate-segment grid (grid.py) near the fence, from its convex hull
(hull.py) beyond the grid, and from GEOS where neither can tell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import shapely

from geofence.frame import LocalFrame, aeqd_project
from geofence.grid import SegmentGrid
from geofence.hull import HullTable
from geofence.raster import EDGE_CELL, INSIDE_CELL, CoverageRaster

FenceState = Literal["inside", "near", "outside", "unknown"]

# Codes returned by the vectorised API; FENCE_STATES[code] is the matching state name.
INSIDE: Final = 0
NEAR: Final = 1
OUTSIDE: Final = 2
# A fix coarser than the caller's accuracy limit decides nothing: with a 99 km circle
# every site on the continent is "near". Only returned when a limit is given.
UNKNOWN: Final = 3
FENCE_STATES: Final[tuple[FenceState, FenceState, FenceState, FenceState]] = ("inside", "near", "outside", "unknown")

FloatArray = npt.NDArray[np.float64]
CodeArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

DEFAULT_NEAR_BUFFER_M: Final = 25.0  # the default of Site.near_buffer_m
# GEOS skips a boundary piece whose envelope is farther than the best distance so far, so
# rings cut into pieces of this many segments measure ~1.3x faster than whole rings.
_BOUNDARY_PIECE_SEGMENTS: Final = 16
# Below this many fixes outside their fences, the grid's fixed cost (some 40 numpy calls)
# exceeds GEOS's ~2 us per fix, so GEOS measures them directly (measured break-even ~25).
_GRID_MIN_POINTS: Final = 32
_BLOCK: Final = 16_384  # positions measured at a time (see FenceSet._judge)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A position judged against a fence; distance_m is 0 inside, else metres to the fence."""

    fence: FenceState
    distance_m: float


def decide(
    *, inside: bool, distance_m: float, accuracy_m: float, near_buffer_m: float, max_accuracy_m: float = math.inf
) -> Verdict:
    """Apply the fence rule to one measured position (the PostGIS path uses it too).

    A fix whose accuracy is worse than max_accuracy_m is "unknown" whatever its centre
    says (the measured distance is kept as evidence).
    """
    if accuracy_m > max_accuracy_m:
        return Verdict("unknown", float(distance_m))
    if inside:
        return Verdict("inside", 0.0)
    # Unknown (NaN) or negative accuracy counts as 0: no benefit of the doubt without a figure.
    accuracy = accuracy_m if accuracy_m > 0 else 0.0
    # The accuracy circle overlapping the near band is enough: a fix on the edge with
    # 30 m accuracy is "near", never "outside".
    state: FenceState = "near" if distance_m - accuracy <= near_buffer_m else "outside"
    return Verdict(state, float(distance_m))


def verdicts(codes: CodeArray, distances: FloatArray) -> list[Verdict]:
    """Turn the vectorised (codes, distances) into Verdicts."""
    return [Verdict(FENCE_STATES[c], d) for c, d in zip(codes.tolist(), distances.tolist(), strict=True)]


class PreparedFence:
    """A site's fence projected once into its local metric frame and prepared for fast queries.

    Build one per site and keep it while the fence is unchanged (3-7 ms for 50-200
    vertices, mostly the distance grid, which holds ~60 KB); judging a fix then costs
    well under a microsecond in a `FenceSet` batch, 0.1-0.3 ms alone. The fence must be
    valid (Site.clean checks it); fences crossing the antimeridian are not supported.
    """

    __slots__ = (
        "_single",
        "area",
        "area_m",
        "boundary_m",
        "frame",
        "grid",
        "hull",
        "near_buffer_m",
        "raster",
        "vertex_count",
    )

    def __init__(self, fence: Any, *, near_buffer_m: float = DEFAULT_NEAR_BUFFER_M) -> None:
        kind = shapely.get_type_id(fence)
        if kind not in (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON):
            raise TypeError(f"A fence must be a Polygon or MultiPolygon, not geometry type {kind}.")
        if shapely.is_empty(fence):
            raise ValueError("A fence cannot be empty.")
        centre = shapely.centroid(fence)
        self.frame = LocalFrame(float(shapely.get_x(centre)), float(shapely.get_y(centre)))
        self.near_buffer_m = float(near_buffer_m)
        self.vertex_count = int(shapely.get_num_coordinates(fence))
        # Containment is tested on the fence as stored (lon/lat), so fixes inside need no
        # projection; for fences under a few km its straight edges are within millimetres
        # of the metric frame's and of PostGIS's great-circle edges. A private copy,
        # because prepare() attaches its index to the geometry object.
        self.area: Any = shapely.from_wkb(shapely.to_wkb(fence))
        shapely.prepare(self.area)
        self.raster = CoverageRaster.build(self.area)
        self.area_m: Any = shapely.transform(fence, self.frame.project_coords)
        self.boundary_m: Any = _boundary_pieces(self.area_m)
        self.grid = SegmentGrid.build(self.area_m)
        self.hull = HullTable.build(self.area_m)
        self._single: FenceSet | None = None

    @classmethod
    def from_wkb(cls, wkb: bytes, *, near_buffer_m: float = DEFAULT_NEAR_BUFFER_M) -> PreparedFence:
        """Build from WKB, e.g. PostGIS `ST_AsBinary(geofence)` or a GEOSGeometry's `.wkb`."""
        return cls(shapely.from_wkb(wkb), near_buffer_m=near_buffer_m)

    def classify(self, lon: float, lat: float, accuracy_m: float, *, max_accuracy_m: float | None = None) -> Verdict:
        """Judge one position (lon/lat degrees, accuracy radius in metres) against the fence."""
        codes, distances = self.classify_many(
            np.array([lon]), np.array([lat]), np.array([accuracy_m]), max_accuracy_m=max_accuracy_m
        )
        return Verdict(FENCE_STATES[int(codes[0])], float(distances[0]))

    def classify_many(
        self,
        lons: npt.ArrayLike,
        lats: npt.ArrayLike,
        accuracies: npt.ArrayLike,
        *,
        max_accuracy_m: float | None = None,
    ) -> tuple[CodeArray, FloatArray]:
        """Vectorised `classify`: (codes INSIDE/NEAR/OUTSIDE/UNKNOWN, distances in metres) per position."""
        return self._as_set().classify(None, lons, lats, accuracies, max_accuracy_m=max_accuracy_m)

    def distances_m(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> tuple[BoolArray, FloatArray]:
        """(covered, metres to the fence; 0 where covered) per position."""
        return self._as_set().distances_m(None, lons, lats)

    def _as_set(self) -> FenceSet:
        """This fence alone as a FenceSet, so both APIs share one code path."""
        if self._single is None:
            self._single = FenceSet((self,))
        return self._single


class FenceSet:
    """Many prepared fences flattened, so positions of many sites are judged in one pass.

    Position i is judged against fences[fence_index[i]]. Assembling a set costs a few
    milliseconds per thousand fences; keep it while its fences are unchanged.
    """

    __slots__ = ("_areas", "_boundaries", "_centres", "_grid", "_hull", "_near_buffer_m", "_raster", "fences")

    def __init__(self, fences: Sequence[PreparedFence]) -> None:
        if not fences:
            raise ValueError("A FenceSet needs at least one fence.")
        self.fences = tuple(fences)
        frames = [f.frame for f in self.fences]
        # Rows: lon0 (radians), sin/cos of lat0, meridian and prime-vertical radii.
        self._centres = np.array([(f.lon0_rad, f.sin_lat0, f.cos_lat0, f.m0, f.n0) for f in frames])
        self._near_buffer_m = np.array([f.near_buffer_m for f in self.fences])
        self._areas = _object_array([f.area for f in self.fences])
        self._boundaries = _object_array([f.boundary_m for f in self.fences])
        self._grid = SegmentGrid.concat([f.grid for f in self.fences])
        self._hull = HullTable.concat([f.hull for f in self.fences])
        self._raster = CoverageRaster.concat([f.raster for f in self.fences])

    def __len__(self) -> int:
        return len(self.fences)

    @property
    def grid_nbytes(self) -> int:
        """Memory held by the set's distance grids (the fences' GEOS geometries come on top)."""
        return self._grid.nbytes

    def classify(
        self,
        fence_index: npt.ArrayLike | None,
        lons: npt.ArrayLike,
        lats: npt.ArrayLike,
        accuracies: npt.ArrayLike,
        *,
        max_accuracy_m: float | None = None,
    ) -> tuple[CodeArray, FloatArray]:
        """(codes INSIDE/NEAR/OUTSIDE/UNKNOWN, distances in metres) per position.

        A non-finite position is OUTSIDE with a NaN distance; unknown (NaN) or negative
        accuracy counts as 0. A fix with an accuracy worse than max_accuracy_m is
        UNKNOWN (its distance is still measured). fence_index may be None when the set
        holds one fence.
        """
        lon, lat, fi = self._positions(fence_index, lons, lats)
        acc = np.asarray(accuracies, dtype=np.float64)
        if acc.shape != lon.shape:
            raise ValueError(f"accuracies has shape {acc.shape}, positions have {lon.shape}.")
        codes, distances = self._judge(fi, lon, lat, np.where(acc > 0, acc, 0.0))
        if max_accuracy_m is not None:
            codes[acc > max_accuracy_m] = UNKNOWN
        return codes, distances

    def distances_m(
        self, fence_index: npt.ArrayLike | None, lons: npt.ArrayLike, lats: npt.ArrayLike
    ) -> tuple[BoolArray, FloatArray]:
        """(covered, metres to the fence boundary; 0 where covered) per position."""
        lon, lat, fi = self._positions(fence_index, lons, lats)
        codes, distances = self._judge(fi, lon, lat, np.zeros(lon.shape))
        return codes == INSIDE, distances

    def _judge(self, fi: IntArray, lon: FloatArray, lat: FloatArray, acc: FloatArray) -> tuple[CodeArray, FloatArray]:
        """`classify` on validated arrays: grouped by fence, a block at a time.

        Pings arrive interleaved across sites; grouped by fence, each fence's polygon and
        grids stay in cache (about twice as fast, sorting included). The inputs travel as
        one row per ping, so regrouping costs one random access per ping rather than one
        per array. Blocks keep the temporaries small, so the allocator recycles them
        instead of mapping fresh pages on each call (some 10,000 page faults per 100,000
        pings otherwise, slow on a busy host).
        """
        rows: FloatArray = np.column_stack((lon, lat, acc, fi.astype(np.float64)))  # indices exact as float64
        order = None
        if len(fi) > 1 and np.any(fi[1:] < fi[:-1]):
            order = np.argsort(fi.astype(np.uint16) if len(self) <= 1 << 16 else fi, kind="stable")
            rows = rows[order]
        results = np.empty((len(fi), 2))  # distance, code
        for lo in range(0, len(fi), _BLOCK):
            block = rows[lo : lo + _BLOCK]
            block_fi = block[:, 3].astype(np.intp)
            inside, distances = self._measure(block_fi, block[:, 0].copy(), block[:, 1].copy())
            near_buffer = self._near_buffer_m[0] if len(self) == 1 else self._near_buffer_m[block_fi]
            codes = np.full(inside.shape, OUTSIDE, dtype=np.int8)
            codes[distances - block[:, 2] <= near_buffer] = NEAR
            codes[inside] = INSIDE
            results[lo : lo + _BLOCK, 0] = distances
            results[lo : lo + _BLOCK, 1] = codes
        if order is not None:
            grouped, results = results, np.empty_like(results)
            results[order] = grouped
        return results[:, 1].astype(np.int8), results[:, 0].copy()

    def _measure(self, fi: IntArray, lon: FloatArray, lat: FloatArray) -> tuple[BoolArray, FloatArray]:
        """(covered, metres to the boundary) for validated positions, best sorted by fence."""
        single = len(self) == 1
        cells = self._raster.lookup(fi, lon, lat)
        inside = cells == INSIDE_CELL
        edge = np.flatnonzero(cells == EDGE_CELL)
        if len(edge):
            # intersects_xy is "covers" for a point: a fix exactly on the boundary is inside.
            areas = self._areas[0] if single else self._areas[fi[edge]]
            inside[edge] = shapely.intersects_xy(areas, lon[edge], lat[edge])
        distances = np.zeros(lon.shape, dtype=np.float64)
        finite = np.isfinite(lon) & np.isfinite(lat)
        distances[~finite] = np.nan  # no position, no distance (and GEOS would warn)
        out = np.flatnonzero(~inside & finite)
        if len(out):
            fo = fi[out]
            centre = self._centres[0] if single else self._centres[fo].T
            x, y = aeqd_project(lon[out], lat[out], *centre)
            distances[out] = self._outside_distances(fo, x, y)
        return inside, distances

    def _outside_distances(self, fi: IntArray, x: FloatArray, y: FloatArray) -> FloatArray:
        """Metres to the boundary (rings, so a fix in a hole measures to the hole's edge)."""
        if len(fi) < _GRID_MIN_POINTS:
            return self._geos_distances(fi, x, y)
        found, distances = self._grid.distances(fi, x, y)
        far = np.flatnonzero(~found)
        if len(far):
            # Beyond the grid (hundreds of metres off): the hull answers most, GEOS the rest.
            resolved, hull_distances = self._hull.distances(fi[far], x[far], y[far])
            distances[far] = hull_distances
            rest = far[~resolved]
            if len(rest):
                distances[rest] = self._geos_distances(fi[rest], x[rest], y[rest])
        return distances

    def _geos_distances(self, fi: IntArray, x: FloatArray, y: FloatArray) -> FloatArray:
        """Metres to the boundary measured by GEOS against every segment."""
        boundaries = self._boundaries[0] if len(self) == 1 else self._boundaries[fi]
        distances: FloatArray = shapely.distance(boundaries, shapely.points(np.column_stack((x, y))))
        return distances

    def _positions(
        self, fence_index: npt.ArrayLike | None, lons: npt.ArrayLike, lats: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray, IntArray]:
        """Validated (lon, lat, fence index) arrays; the index is all zeros when omitted for one fence."""
        lon = np.asarray(lons, dtype=np.float64)
        lat = np.asarray(lats, dtype=np.float64)
        if lon.shape != lat.shape or lon.ndim != 1:
            raise ValueError(f"lons and lats must be 1-D of one length, not {lon.shape} and {lat.shape}.")
        if fence_index is None:
            if len(self) != 1:
                raise ValueError("fence_index is required when the set holds more than one fence.")
            return lon, lat, np.zeros(lon.shape, dtype=np.intp)
        fi = np.asarray(fence_index, dtype=np.intp)
        if fi.shape != lon.shape:
            raise ValueError(f"fence_index has shape {fi.shape}, positions have {lon.shape}.")
        if len(fi) and (fi.min() < 0 or fi.max() >= len(self)):
            raise IndexError(f"fence_index must be in [0, {len(self)}).")
        return lon, lat, fi


def _object_array(items: Sequence[Any]) -> npt.NDArray[np.object_]:
    """A 1-D object array of geometries (np.array would try to iterate multi-part ones)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _boundary_pieces(area: Any) -> Any:
    """The rings of a (Multi)Polygon as one MultiLineString of short pieces."""
    pieces: list[FloatArray] = []
    step = _BOUNDARY_PIECE_SEGMENTS
    for ring in shapely.get_rings(shapely.get_parts(area)):
        coords = shapely.get_coordinates(ring)
        pieces.extend(coords[s : s + step + 1] for s in range(0, len(coords) - 1, step))
    return shapely.MultiLineString(pieces)

"""Point-to-boundary distances through a grid of candidate segments per cell.

GEOS measures a point against every segment of a fence (about 2 us for 150 vertices),
which would make the few fixes outside a fence cost more than judging all the others.
So a fence's surroundings are cut once into a uniform grid; each cell lists the only
boundary segments that can be nearest to some point of the cell (about ten). A query
measures a point against its cell's candidates only, in numpy, for points of many
fences at once. Arithmetic is float32 in the fence's local metric frame (coordinates of
a few km), so distances are exact to about a millimetre. Points outside their fence's
grid come back with `found` False; the caller asks the hull (hull.py), then GEOS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

CELLS_ALONG: Final = 32  # cells along the longer side of a fence's grid
MIN_MARGIN_M: Final = 300.0  # the grid reaches at least this far beyond the fence's bounding box
MARGIN_FRACTION: Final = 0.5  # ...and at least this fraction of the fence's larger side
_BUILD_BLOCK: Final = 1 << 20  # cell x segment pairs per block while building (bounds memory)
_QUERY_CHUNK: Final = 1 << 15  # points per chunk while querying (keeps temporaries in cache)


@dataclass(frozen=True, slots=True, eq=False)
class SegmentGrid:
    """Candidate-segment grids of one or more fences, flattened into arrays.

    Fence f's grid starts at (x0[f], y0[f]) with square cells of cell_m[f] metres, nx[f]
    by ny[f] of them (cell id ix * ny + iy), numbered from cell_base[f]. Cell c's
    candidates are candidates[starts[c]:starts[c + 1]], rows of `segments`: five float32
    values ax, ay, dx, dy and 1/|d|^2 (0 for a zero-length segment), side by side so one
    gathered row is one cache line fetched. int32
    indices keep a thousand fences' grids near 40 MB; they cap one set at 2^31 candidates.
    """

    segments: Float32Array
    x0: FloatArray
    y0: FloatArray
    cell_m: FloatArray
    nx: IntArray
    ny: IntArray
    cell_base: IntArray
    starts: Int32Array
    candidates: Int32Array

    @classmethod
    def build(cls, area: Any) -> SegmentGrid:
        """Grid of one polygonal geometry in metric coordinates (every ring, holes included)."""
        segments = segment_table(area)
        x_min, y_min, x_max, y_max = (float(v) for v in shapely.bounds(area))
        side = max(x_max - x_min, y_max - y_min)
        margin = max(MIN_MARGIN_M, MARGIN_FRACTION * side)
        cell_m = (side + 2 * margin) / CELLS_ALONG
        x0, y0 = x_min - margin, y_min - margin
        nx = max(1, math.ceil((x_max + margin - x0) / cell_m))
        ny = max(1, math.ceil((y_max + margin - y0) / cell_m))
        starts, candidates = _cell_candidates(segments, x0, y0, cell_m, nx, ny)
        return cls(
            segments=segments,
            **one_fence_columns(x0=x0, y0=y0, cell_m=cell_m),
            **one_fence_cell_counts(nx, ny),
            cell_base=np.zeros(1, dtype=np.intp),
            starts=starts,
            candidates=candidates,
        )

    @classmethod
    def concat(cls, grids: Sequence[SegmentGrid]) -> SegmentGrid:
        """One grid holding the fences of several, in order (fence indices follow the sequence)."""
        if len(grids) == 1:
            return grids[0]  # nothing to join: share the arrays, do not copy them
        cell_base, starts, candidates = [], [], []
        cells = cands = segs = 0  # Python ints keep int32 arrays int32 when added
        for g in grids:
            cell_base.append(g.cell_base + cells)
            starts.append(g.starts[:-1] + cands)
            candidates.append(g.candidates + segs)
            cells, cands, segs = cells + len(g.starts) - 1, cands + len(g.candidates), segs + len(g.segments)
        starts.append(np.array([cands], dtype=np.int32))
        return cls(
            **joined_columns(grids, "segments", "x0", "y0", "cell_m", "nx", "ny"),
            cell_base=np.concatenate(cell_base),
            starts=np.concatenate(starts),
            candidates=np.concatenate(candidates),
        )

    @property
    def nbytes(self) -> int:
        """Memory held by the grid's arrays, in bytes."""
        arrays = (self.segments, self.x0, self.y0, self.cell_m, self.nx, self.ny, self.cell_base)
        return sum(a.nbytes for a in arrays) + self.starts.nbytes + self.candidates.nbytes

    def distances(self, fence_index: IntArray, x: FloatArray, y: FloatArray) -> tuple[BoolArray, FloatArray]:
        """(found, metres to the boundary) per point; found is False outside the fence's grid."""
        h = self.cell_m[fence_index]
        fx = np.floor((x - self.x0[fence_index]) / h)
        fy = np.floor((y - self.y0[fence_index]) / h)
        ny = self.ny[fence_index]
        # Float comparisons first: NaN and far-away points must not be cast to int.
        found = (fx >= 0) & (fx < self.nx[fence_index]) & (fy >= 0) & (fy < ny)
        idx = np.flatnonzero(found)
        cells = self.cell_base[fence_index[idx]] + fx[idx].astype(np.intp) * ny[idx] + fy[idx].astype(np.intp)
        distances = np.full(x.shape, np.nan)
        px, py = x.astype(np.float32), y.astype(np.float32)
        for lo in range(0, len(idx), _QUERY_CHUNK):
            part = idx[lo : lo + _QUERY_CHUNK]
            distances[part] = self._nearest(cells[lo : lo + _QUERY_CHUNK], px[part], py[part])
        return found, distances

    def _nearest(self, cells: IntArray, px: Float32Array, py: Float32Array) -> Float32Array:
        """Distance from each point to the nearest candidate segment of its cell."""
        first = self.starts[cells].astype(np.intp)
        counts = self.starts[cells + 1] - first
        offsets = np.cumsum(counts) - counts  # where each point's (point, segment) pairs begin
        pair_point = np.repeat(np.arange(len(cells)), counts)
        segment = np.take(self.candidates, np.arange(int(counts.sum())) + np.repeat(first - offsets, counts))
        ax, ay, dx, dy, inverse = np.take(self.segments, segment, axis=0).T
        d2 = segment_distance_sq(np.take(px, pair_point), np.take(py, pair_point), ax, ay, dx, dy, inverse)
        return np.sqrt(np.minimum.reduceat(d2, offsets))


def one_fence_columns(**values: float) -> dict[str, Any]:
    """One fence's scalars as the one-row float columns of a per-fence table (grid, raster)."""
    return {name: np.array([value]) for name, value in values.items()}


def one_fence_cell_counts(nx: int, ny: int) -> dict[str, Any]:
    """One fence's cell counts along x and y as the one-row `nx`, `ny` index columns."""
    return {"nx": np.array([nx], dtype=np.intp), "ny": np.array([ny], dtype=np.intp)}


def joined_columns(tables: Sequence[Any], *names: str) -> dict[str, Any]:
    """The named columns of several per-fence tables, each joined in the tables' order."""
    return {name: np.concatenate([getattr(table, name) for table in tables]) for name in names}


def segment_table(area: Any, origin: tuple[float, float] = (0.0, 0.0)) -> Float32Array:
    """Every ring segment of a polygonal geometry as a float32 row (ax, ay, dx, dy, 1/|d|^2).

    Coordinates are taken relative to origin first, so float32 keeps their precision.
    """
    parts = []
    for ring in shapely.get_rings(shapely.get_parts(area)):
        coords = shapely.get_coordinates(ring) - np.array(origin)
        parts.append(np.column_stack((coords[:-1], np.diff(coords, axis=0))))
    table = np.concatenate(parts)
    length_sq = table[:, 2] ** 2 + table[:, 3] ** 2
    # A repeated vertex gives a zero-length segment: 1/|d|^2 = 0 measures it as its start point.
    inverse = np.divide(1.0, length_sq, out=np.zeros_like(length_sq), where=length_sq > 0)
    return np.column_stack((table, inverse)).astype(np.float32)


def segment_distance_sq(
    px: Float32Array,
    py: Float32Array,
    ax: Float32Array,
    ay: Float32Array,
    dx: Float32Array,
    dy: Float32Array,
    inverse: Float32Array,
) -> Float32Array:
    """Squared distance from points to segments, broadcast; dx and dy are overwritten."""
    qx = px - ax
    qy = py - ay
    t = qx * dx
    t += qy * dy
    t *= inverse
    np.clip(t, 0.0, 1.0, out=t)
    dx *= t
    dy *= t
    qx -= dx
    qy -= dy
    qx *= qx
    qy *= qy
    qx += qy
    return qx


def _candidate_bands(segments: Float32Array, cx: Float32Array, cy: Float32Array, r: float) -> Float32Array:
    """How much farther than the centre's nearest segment a segment may be and still be nearest in the cell.

    With s* nearest to the centre c, g(p) = d(p, s) - d(p, s*) has gradient u_s - u_s*
    (unit vectors from the nearest points), so a point p of the cell (|p - c| <= r, the
    half-diagonal) can prefer s only if g(c) <= r * max|grad g|. Always |grad g| <= 2;
    when the whole cell lies beyond the circle (centre o, radius R) enclosing the fence,
    both unit vectors come from inside that circle and |grad g| <= 2R / (|c - o| - r).
    So far cells keep a narrow band and few candidates.
    """
    xs = np.concatenate((segments[:, 0], segments[:, 0] + segments[:, 2]))
    ys = np.concatenate((segments[:, 1], segments[:, 1] + segments[:, 3]))
    ox, oy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    radius = float(np.hypot(xs - ox, ys - oy).max())
    clearance = np.hypot(cx - ox, cy - oy) - r
    gradient = np.where(clearance > radius, 2 * radius / np.maximum(clearance, 1e-9), 2.0)
    return (r * gradient).astype(np.float32)


def _cell_candidates(
    segments: Float32Array, x0: float, y0: float, cell_m: float, nx: int, ny: int
) -> tuple[Int32Array, Int32Array]:
    """CSR (starts, candidates) of the segments that can be nearest to some point of each cell.

    A segment s is a candidate of the cell with centre c when d(c, s) <= dmin(c) + band(c)
    (see `_candidate_bands`). A slack far above float32 rounding is added to the band, so
    rounding can only add candidates, never drop the nearest one.
    """
    cx = (x0 + (np.arange(nx) + 0.5) * cell_m).astype(np.float32)
    cy = (y0 + (np.arange(ny) + 0.5) * cell_m).astype(np.float32)
    centres_x, centres_y = np.repeat(cx, ny), np.tile(cy, nx)  # cell id = ix * ny + iy
    slack = 1e-5 * (abs(x0) + abs(y0) + max(nx, ny) * cell_m) + 1e-3
    bands = _candidate_bands(segments, centres_x, centres_y, cell_m / math.sqrt(2.0)) + np.float32(slack)
    block = max(1, _BUILD_BLOCK // len(segments))
    columns = np.ascontiguousarray(segments.T)  # contiguous rows broadcast fastest
    cell_ids, seg_ids = [], []
    for lo in range(0, nx * ny, block):
        ax, ay, dx, dy, inverse = (
            np.broadcast_to(column, (len(centres_x[lo : lo + block]), len(column))) for column in columns
        )
        d2 = segment_distance_sq(
            centres_x[lo : lo + block, None], centres_y[lo : lo + block, None], ax, ay, dx.copy(), dy.copy(), inverse
        )
        d = np.sqrt(d2)
        cell, seg = np.nonzero(d <= d.min(axis=1, keepdims=True) + bands[lo : lo + block, None])
        cell_ids.append(cell + lo)
        seg_ids.append(seg)
    cells = np.concatenate(cell_ids)
    starts = np.concatenate(([0], np.cumsum(np.bincount(cells, minlength=nx * ny)))).astype(np.int32)
    return starts, np.concatenate(seg_ids).astype(np.int32)

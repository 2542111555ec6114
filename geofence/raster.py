"""Containment at a glance: a coarse raster of each fence, cells wholly inside or outside.

Most fixes are well inside their fence. The fence's bounding box (lon/lat, as stored) is
cut into cells; a cell farther from every ring than its half-diagonal lies wholly on one
side, the side of its centre, and answers for every fix in it. Only fixes in cells the
boundary crosses (and none outside the box) need GEOS. Distances to the rings are taken
in float32 relative to the box corner, with a slack far above that rounding, so a cell
near the boundary is always left to GEOS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely

from geofence.grid import (
    joined_columns,
    one_fence_cell_counts,
    one_fence_columns,
    segment_distance_sq,
    segment_table,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Int8Array = npt.NDArray[np.int8]

OUTSIDE_CELL: Final = 0
INSIDE_CELL: Final = 1
EDGE_CELL: Final = 2  # the boundary may cross it: ask GEOS
CELLS_ALONG: Final = 32
_SLACK_DEG: Final = 1e-7  # about a centimetre; float32 rounding here is ~1e-9 degrees


@dataclass(frozen=True, slots=True, eq=False)
class CoverageRaster:
    """Rasters of one or more fences: fence f's box [x0, x1] x [y0, y1], nx by ny cells from base[f]."""

    x0: FloatArray
    y0: FloatArray
    x1: FloatArray
    y1: FloatArray
    cell_w: FloatArray
    cell_h: FloatArray
    nx: IntArray
    ny: IntArray
    base: IntArray
    cells: Int8Array  # OUTSIDE_CELL, INSIDE_CELL or EDGE_CELL, cell id ix * ny + iy

    @classmethod
    def build(cls, area: Any) -> CoverageRaster:
        """Raster of one polygonal geometry in lon/lat degrees."""
        x0, y0, x1, y1 = (float(v) for v in shapely.bounds(area))
        nx = ny = CELLS_ALONG
        cell_w, cell_h = max(x1 - x0, 1e-12) / nx, max(y1 - y0, 1e-12) / ny
        cx = np.repeat(x0 + (np.arange(nx) + 0.5) * cell_w, ny)
        cy = np.tile(y0 + (np.arange(ny) + 0.5) * cell_h, nx)
        clearance = _ring_distance(area, (x0, y0), cx - x0, cy - y0)
        centre_inside = shapely.intersects_xy(area, cx, cy)
        one_side = clearance > math.hypot(cell_w, cell_h) / 2 + _SLACK_DEG
        cells = np.where(one_side, np.where(centre_inside, INSIDE_CELL, OUTSIDE_CELL), EDGE_CELL).astype(np.int8)
        return cls(
            **one_fence_columns(x0=x0, y0=y0, x1=x1, y1=y1, cell_w=cell_w, cell_h=cell_h),
            **one_fence_cell_counts(nx, ny),
            base=np.zeros(1, dtype=np.intp),
            cells=cells,
        )

    @classmethod
    def concat(cls, rasters: Sequence[CoverageRaster]) -> CoverageRaster:
        """One raster set holding the fences of several, in order."""
        if len(rasters) == 1:
            return rasters[0]  # nothing to join: share the arrays, do not copy them
        sizes = [len(r.cells) for r in rasters]
        offsets = np.cumsum([0, *sizes[:-1]])
        return cls(
            **joined_columns(rasters, "x0", "y0", "x1", "y1", "cell_w", "cell_h", "nx", "ny"),
            base=np.concatenate([r.base + off for r, off in zip(rasters, offsets.tolist(), strict=True)]),
            cells=np.concatenate([r.cells for r in rasters]),
        )

    def lookup(self, fence_index: IntArray, lon: FloatArray, lat: FloatArray) -> Int8Array:
        """Cell state per position; positions outside their fence's box (or NaN) are OUTSIDE_CELL."""
        x0, y0 = self.x0[fence_index], self.y0[fence_index]
        # The closed box: a fix on the fence's extreme edge is in it, and may be covered.
        in_box = (lon >= x0) & (lon <= self.x1[fence_index]) & (lat >= y0) & (lat <= self.y1[fence_index])
        idx = np.flatnonzero(in_box)
        fi = fence_index[idx]
        ix = np.minimum(((lon[idx] - x0[idx]) / self.cell_w[fi]).astype(np.intp), self.nx[fi] - 1)
        iy = np.minimum(((lat[idx] - y0[idx]) / self.cell_h[fi]).astype(np.intp), self.ny[fi] - 1)
        states = np.full(lon.shape, OUTSIDE_CELL, dtype=np.int8)
        states[idx] = self.cells[self.base[fi] + ix * self.ny[fi] + iy]
        return states


def _ring_distance(area: Any, origin: tuple[float, float], x: FloatArray, y: FloatArray) -> FloatArray:
    """Distance (degrees, in the lon/lat plane) from points relative to origin to the nearest ring segment."""
    segments = segment_table(area, origin)
    px, py = x.astype(np.float32)[:, None], y.astype(np.float32)[:, None]
    ax, ay, dx, dy, inverse = (
        np.broadcast_to(column, (len(x), len(column))) for column in np.ascontiguousarray(segments.T)
    )
    d2 = segment_distance_sq(px, py, ax, ay, dx.copy(), dy.copy(), inverse)
    distances: FloatArray = np.sqrt(d2.min(axis=1), dtype=np.float64)
    return distances

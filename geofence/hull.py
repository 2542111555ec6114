"""Exact distances for fixes far from a fence, through the fence's convex hull.

For a point p outside the convex hull H of a fence F (F inside H), d(p, F) >= d(p, H).
If the point q of H nearest to p is a hull vertex, or lies on a hull edge that is also
a fence segment, then q is on the fence and d(p, F) = |p - q| exactly. Otherwise q is on
a "bridge" across a concavity and the answer is unknown here (the caller asks GEOS).
Far from the fence most directions end at a vertex, and a hull has a few dozen edges
where the fence may have hundreds, in a contiguous table measured with numpy.

Only for points outside the fence's bounding box, which are outside its hull: the grid
(grid.py) hands over exactly those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, eq=False)
class HullTable:
    """Convex-hull edges of one or more fences: fence f owns columns starts[f]:starts[f + 1]."""

    edges: FloatArray  # rows ax, ay, dx, dy, 1/|d|^2
    genuine: BoolArray  # the hull edge is also a segment of the fence
    starts: IntArray

    @classmethod
    def build(cls, area: Any) -> HullTable:
        """Hull table of one polygonal geometry in metric coordinates."""
        hull = shapely.convex_hull(area)
        if shapely.get_type_id(hull) != shapely.GeometryType.POLYGON:  # degenerate fence: no table
            return cls(np.zeros((5, 0)), np.zeros(0, dtype=bool), np.zeros(2, dtype=np.intp))
        coords = shapely.get_coordinates(shapely.get_exterior_ring(hull))
        start, delta = coords[:-1], np.diff(coords, axis=0)
        length_sq = (delta**2).sum(axis=1)
        inverse = np.divide(1.0, length_sq, out=np.zeros_like(length_sq), where=length_sq > 0)
        segments = _fence_segments(area)
        genuine = np.array(
            [(*a, *b) in segments for a, b in zip(coords[:-1].tolist(), coords[1:].tolist(), strict=True)]
        )
        edges = np.vstack((start.T, delta.T, inverse))
        return cls(edges, genuine, np.array([0, edges.shape[1]], dtype=np.intp))

    @classmethod
    def concat(cls, tables: Sequence[HullTable]) -> HullTable:
        """One table holding the fences of several, in order."""
        if len(tables) == 1:
            return tables[0]  # nothing to join: share the arrays, do not copy them
        counts = [t.edges.shape[1] for t in tables]
        return cls(
            edges=np.concatenate([t.edges for t in tables], axis=1),
            genuine=np.concatenate([t.genuine for t in tables]),
            starts=np.concatenate(([0], np.cumsum(counts))).astype(np.intp),
        )

    def distances(self, fence_index: IntArray, x: FloatArray, y: FloatArray) -> tuple[BoolArray, FloatArray]:
        """(resolved, metres to the fence) for points outside their fences' bounding boxes."""
        first = self.starts[fence_index]
        counts = self.starts[fence_index + 1] - first
        distances = np.full(x.shape, np.nan)
        has_hull = np.flatnonzero(counts > 0)
        resolved = np.zeros(x.shape, dtype=bool)
        if not len(has_hull):
            return resolved, distances
        first, counts = first[has_hull], counts[has_hull]
        offsets = np.cumsum(counts) - counts
        point = np.repeat(has_hull, counts)
        edge = np.arange(int(counts.sum())) + np.repeat(first - offsets, counts)
        ax, ay, dx, dy, inverse = (np.take(row, edge) for row in self.edges)
        qx, qy = np.take(x, point) - ax, np.take(y, point) - ay
        t = np.clip((qx * dx + qy * dy) * inverse, 0.0, 1.0)
        d2 = (qx - t * dx) ** 2 + (qy - t * dy) ** 2
        # Exact where the nearest hull point is a vertex or on a genuine edge (module docstring).
        on_fence = (t <= 0.0) | (t >= 1.0) | np.take(self.genuine, edge)
        nearest = np.minimum.reduceat(d2, offsets)
        nearest_on_fence = np.minimum.reduceat(np.where(on_fence, d2, np.inf), offsets)
        resolved[has_hull] = nearest_on_fence <= nearest
        distances[has_hull] = np.sqrt(nearest)
        return resolved, distances


def _fence_segments(area: Any) -> set[tuple[float, float, float, float]]:
    """Every ring segment of the fence, in both directions, as (x1, y1, x2, y2)."""
    segments: set[tuple[float, float, float, float]] = set()
    for ring in shapely.get_rings(shapely.get_parts(area)):
        coords = shapely.get_coordinates(ring).tolist()
        for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
            segments.update(((x1, y1, x2, y2), (x2, y2, x1, y1)))
    return segments

"""Local metric frames: WGS 84 lon/lat degrees to metres around a site's centre.

Accuracy, measured against PostGIS geography `ST_Distance` on the WGS 84 spheroid for a
~900 m fence at latitudes -45 to 65 degrees, every 30 degrees of bearing:
- fixes under 50 km from a site under 5 km across: relative error under 5e-5
  (about 1 cm at 3 km, 2 m at 50 km), far below GPS error;
- fixes 300 km away: relative error under 3e-4 (about 70 m), plenty for "this phone is
  nowhere near the site";
- the frame is undefined at the antipode of the site (nobody's phone is there).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
FloatLike = float | FloatArray

# WGS 84, the datum phones report and sites_site.geofence is stored in (SRID 4326).
WGS84_A: Final = 6_378_137.0
WGS84_F: Final = 1 / 298.257223563
WGS84_E2: Final = WGS84_F * (2 - WGS84_F)


def meridian_radius_m(lat_deg: float) -> float:
    """Radius of curvature of the WGS 84 meridian (north-south) at a latitude, in metres."""
    s = math.sin(math.radians(lat_deg))
    return WGS84_A * (1 - WGS84_E2) / math.pow(1 - WGS84_E2 * s * s, 1.5)


def prime_vertical_radius_m(lat_deg: float) -> float:
    """Radius of curvature of the WGS 84 prime vertical (east-west) at a latitude, in metres."""
    s = math.sin(math.radians(lat_deg))
    return WGS84_A / math.sqrt(1 - WGS84_E2 * s * s)


class LocalFrame:
    """Azimuthal-equidistant metric frame around a site's centre: x east, y north, in metres.

    The spherical azimuthal-equidistant projection is taken on the unit sphere and its
    east and north components are scaled by the ellipsoid's prime-vertical and meridian
    radii at the centre. Near the centre that is the exact ellipsoidal metric; what is
    left is the sphere's (d/R)^2/6 distortion and the change of the ellipsoid's radii
    with latitude (about e^2 * d/R), hence the bounds in the module docstring.
    """

    __slots__ = ("cos_lat0", "lat0", "lon0", "lon0_rad", "m0", "n0", "sin_lat0")

    def __init__(self, lon0: float, lat0: float) -> None:
        if not (math.isfinite(lon0) and -90.0 < lat0 < 90.0):
            raise ValueError(f"A local frame needs a finite centre off the poles, not ({lon0}, {lat0}).")
        self.lon0 = lon0
        self.lat0 = lat0
        self.lon0_rad = math.radians(lon0)
        self.sin_lat0 = math.sin(math.radians(lat0))
        self.cos_lat0 = math.cos(math.radians(lat0))
        self.m0 = meridian_radius_m(lat0)
        self.n0 = prime_vertical_radius_m(lat0)

    def project(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Project lon/lat degrees to (x, y) metres in this frame."""
        return aeqd_project(lons, lats, self.lon0_rad, self.sin_lat0, self.cos_lat0, self.m0, self.n0)

    def project_coords(self, coords: FloatArray) -> FloatArray:
        """Project an (N, 2) array of lon/lat pairs (the form `shapely.transform` passes)."""
        x, y = self.project(coords[:, 0], coords[:, 1])
        return np.column_stack((x, y))


def aeqd_project(
    lons: npt.ArrayLike,
    lats: npt.ArrayLike,
    lon0_rad: FloatLike,
    sin_lat0: FloatLike,
    cos_lat0: FloatLike,
    m0: FloatLike,
    n0: FloatLike,
) -> tuple[FloatArray, FloatArray]:
    """The `LocalFrame` projection; centre parameters may be scalars or one per position."""
    lam = np.radians(np.asarray(lons, dtype=np.float64)) - lon0_rad
    phi = np.radians(np.asarray(lats, dtype=np.float64))
    sin_phi, cos_phi, cos_lam = np.sin(phi), np.cos(phi), np.cos(lam)
    east = cos_phi * np.sin(lam)
    north = cos_lat0 * sin_phi - sin_lat0 * cos_phi * cos_lam
    cos_c = sin_lat0 * sin_phi + cos_lat0 * cos_phi * cos_lam
    sin_c = np.hypot(east, north)
    # k = c / sin(c) turns the orthographic offsets into arc length; k -> 1 at the centre.
    k = np.divide(np.arctan2(sin_c, cos_c), sin_c, out=np.ones_like(sin_c), where=sin_c > 1e-15)
    return n0 * k * east, m0 * k * north

"""GPS fixes as phones send them, and the clean-up every analysis starts with."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Mean Earth radius (IUGG): haversine on it is within 0.5% of the WGS 84 geodesic,
# plenty for speeds and stillness radii.
EARTH_RADIUS_M: Final = 6_371_008.8


@dataclass(frozen=True, slots=True)
class Fix:
    """One position report: when (aware datetime), where (WGS 84 degrees), how sure (metres)."""

    recorded_at: datetime
    lon: float
    lat: float
    accuracy_m: float
    is_mock: bool = False


@dataclass(frozen=True, slots=True)
class SortedFixes:
    """A shift's fixes split by what they may prove, each part in time order, one per instant."""

    usable: tuple[Fix, ...]  # real fixes accurate enough to decide anything
    mock: tuple[Fix, ...]  # reported by a mock-location provider: never credited, always reported
    inaccurate: tuple[Fix, ...]  # real but worse than the limit, of unknown accuracy, or without a position


def sort_fixes(fixes: Iterable[Fix], *, max_accuracy_m: float) -> SortedFixes:
    """Split fixes into usable, mock and inaccurate ones; sort each and keep one per recorded_at.

    Phones resend fixes after a network gap, so duplicates are normal. Of fixes sharing
    an instant, the most accurate is kept. A mock and a real fix at one instant are
    both kept, in their own parts.
    """
    usable: list[Fix] = []
    mock: list[Fix] = []
    inaccurate: list[Fix] = []
    for fix in fixes:
        _require_aware(fix.recorded_at)
        if fix.is_mock:
            mock.append(fix)
        elif _is_accurate(fix, max_accuracy_m):
            usable.append(fix)
        else:
            inaccurate.append(fix)
    return SortedFixes(usable=_dedupe(usable), mock=_dedupe(mock), inaccurate=_dedupe(inaccurate))


def _is_accurate(fix: Fix, max_accuracy_m: float) -> bool:
    """A finite position whose reported accuracy (a 68% radius) is known and within the limit.

    Android reports 0 and iOS a negative value when the accuracy is unknown.
    """
    finite = math.isfinite(fix.lon) and math.isfinite(fix.lat) and math.isfinite(fix.accuracy_m)
    return finite and 0 < fix.accuracy_m <= max_accuracy_m


def _dedupe(fixes: list[Fix]) -> tuple[Fix, ...]:
    """Time order, one fix per recorded_at (the most accurate of a tie)."""
    ordered = sorted(fixes, key=lambda f: (f.recorded_at, _accuracy_key(f)))
    kept: list[Fix] = []
    for fix in ordered:
        if not kept or fix.recorded_at != kept[-1].recorded_at:
            kept.append(fix)
    return tuple(kept)


def _accuracy_key(fix: Fix) -> float:
    """Sort key putting the most accurate first (unknown accuracy last)."""
    return fix.accuracy_m if math.isfinite(fix.accuracy_m) and fix.accuracy_m > 0 else math.inf


def _require_aware(moment: datetime) -> None:
    """Refuse naive datetimes: every time in GuardOps is an aware UTC instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Fix times must be aware datetimes, got naive {moment.isoformat()}.")


def haversine_m(lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike) -> FloatArray:
    """Great-circle distance in metres between lon/lat degree pairs (broadcast)."""
    phi1, phi2 = np.radians(np.asarray(lat1, dtype=np.float64)), np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = phi2 - phi1
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    distance: FloatArray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance

"""Time on post as clients are shown it, one rule for the portal's pages and the PDFs.

GPS-verified time on post is the part of the scheduled window between the guard's verified
clock-in and clock-out, less the spells the monitoring pass found them outside the fence
(its OUT_OF_POSITION findings, not those dismissed as false positives). The portal
(backend.clientview) and the DAR and monthly summary (backend.documents) both count it here,
so the same day never shows two figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from backend.flags.models import Flag, FlagStatus
from backend.rules.findings import FlagCode

Interval = tuple[datetime, datetime]


def on_post_seconds(*, window: Interval, clocked: Interval | None, away: Iterable[Interval] = ()) -> float:
    """Seconds of `window` inside `clocked` and outside every `away` interval (which may overlap)."""
    if clocked is None:
        return 0.0
    start, end = max(window[0], clocked[0]), min(window[1], clocked[1])
    if end <= start:
        return 0.0
    seconds = (end - start).total_seconds()
    covered_to = start
    for away_start, away_end in sorted(away):
        cut_from, cut_to = max(away_start, covered_to), min(away_end, end)
        if cut_to > cut_from:
            seconds -= (cut_to - cut_from).total_seconds()
        covered_to = max(covered_to, min(away_end, end))
    return max(seconds, 0.0)


def _moment(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def away_intervals(*, shift_ids: Sequence[int], now: datetime) -> dict[int, list[Interval]]:
    """Each shift's spells outside the fence, from the monitoring pass's OUT_OF_POSITION findings (one query).

    A finding dismissed as a false positive (GPS drift) does not count; one still open runs to now.
    """
    away: dict[int, list[Interval]] = defaultdict(list)
    if not shift_ids:
        return away
    rows = (
        Flag.objects.filter(shift_id__in=list(shift_ids), code=FlagCode.OUT_OF_POSITION)
        .exclude(status=FlagStatus.DISMISSED)
        .values_list("shift_id", "evidence", "resolved_at")
    )
    for shift_id, evidence, resolved_at in rows:
        left_at = _moment((evidence or {}).get("left_at"))
        back_at = _moment((evidence or {}).get("back_at")) or resolved_at or now
        if left_at is not None and shift_id is not None and back_at > left_at:
            away[shift_id].append((left_at, back_at))
    return away

"""The arithmetic of a client's week: time on post, tour rounds and the words a figure earns.

Plain functions over datetimes and ids, no queries: `selectors.py` reads the rows and
hands them here, so each rule is stated (and tested) once.

- **Time on post** (GPS-verified): the part of the scheduled window between the guard's
  verified clock-in and clock-out (or now), less the time the monitoring pass found them
  outside the fence (its OUT_OF_POSITION findings, not those dismissed as false positives).
- **Tour rounds** follow the monitoring pass: from the clock-in, one round per the post's
  tour interval; a round counts once it ended (plus the missed-checkpoint grace); each
  active checkpoint scanned in it (or within the grace after) is done.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Time on post is counted in backend.attendance.on_post, the rule the PDFs count by too.
from backend.attendance.on_post import Interval


@dataclass(frozen=True)
class TourTally:
    """Checkpoint scans a tour schedule asked for by now, those made, and when the last counted round was due."""

    done: int = 0
    expected: int = 0
    due_by: datetime | None = None

    def __add__(self, other: TourTally) -> TourTally:
        latest = max((moment for moment in (self.due_by, other.due_by) if moment is not None), default=None)
        return TourTally(done=self.done + other.done, expected=self.expected + other.expected, due_by=latest)

    @property
    def ratio(self) -> float | None:
        return None if not self.expected else self.done / self.expected


def tour_tally(
    *,
    clocked: Interval,
    interval: timedelta,
    grace: timedelta,
    now: datetime,
    checkpoints: Collection[int],
    scans: Sequence[tuple[int, datetime]],
    counted: Interval | None = None,
) -> TourTally:
    """The rounds of one shift's tour from its clock-in to its clock-out (or end), as far as `now` has judged them.

    With `counted`, only the rounds due in that span count (a night shift's rounds split between two days).
    """
    if not checkpoints or interval <= timedelta(0):
        return TourTally()
    done = expected = 0
    due_by = None
    wanted = set(checkpoints)
    round_start, tour_end = clocked
    while round_start + interval <= tour_end and round_start + interval + grace <= now:
        round_end = round_start + interval
        if counted is None or counted[0] <= round_end < counted[1]:
            scanned = {checkpoint for checkpoint, at in scans if round_start <= at < round_end + grace}
            expected += len(wanted)
            done += len(scanned & wanted)
            due_by = round_end
        round_start = round_end
    return TourTally(done=done, expected=expected, due_by=due_by)


@dataclass(frozen=True)
class Judgement:
    """A figure's standing for the client: a status class for the colour and the word that says it."""

    status: str
    word: str


ON_TARGET = Judgement("ok", "On target")
ATTENTION = Judgement("attention", "Attention")
BELOW_TARGET = Judgement("critical", "Below target")
NOT_YET = Judgement("muted", "Nothing to judge yet")
_ORDER = (BELOW_TARGET, ATTENTION, ON_TARGET, NOT_YET)


def judge(ratio: float | None, *, on_target_pct: float, attention_pct: float) -> Judgement:
    """On target at or above `on_target_pct`, attention at or above `attention_pct`, else below target."""
    if ratio is None:
        return NOT_YET
    percent = ratio * 100
    if percent >= on_target_pct:
        return ON_TARGET
    return ATTENTION if percent >= attention_pct else BELOW_TARGET


def worst(*judgements: Judgement) -> Judgement:
    """The weakest of several standings; figures with nothing to judge yet do not count."""
    return min(judgements, key=_ORDER.index, default=NOT_YET)


def percent(ratio: float | None) -> str:
    """'99.2 %' (one decimal, and never '100.0 %' for a ratio short of one); '—' for none."""
    if ratio is None:
        return "—"
    shown = round(ratio * 100, 1)
    if shown == 100 and ratio < 1:
        shown = 99.9
    return f"{shown:.1f} %"

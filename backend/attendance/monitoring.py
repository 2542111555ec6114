"""The monitoring pass: every shift in progress (or just ended) checked against the rules.

Run by Celery beat every minute. A pass reads everything it needs in a constant number
of queries (shifts, breadcrumbs, fences, zones, post orders, checkpoints and scans),
evaluates the pure shift rules per shift, and writes all flags with one bulk sync, so
5,000 shifts with hours of breadcrumbs fit well inside the minute.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import psycopg
import shapely
from django.contrib.gis.db.models.functions import AsWKB
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.flags.models import Flag, FlagStatus
from backend.flags.services import Subject, flags_sync_many
from backend.incidents.models import IncidentReport
from backend.rules.selectors import thresholds_for_companies
from backend.rules.shift_rules import (
    KEY_PREFIX,
    SHIFT_RULES,
    ActivityEmergency,
    MissedCheckpoint,
    ShiftFacts,
    Stillness,
    ZoneVisit,
)
from backend.rules.thresholds import Thresholds
from backend.rules.timing import DeviceTimes
from backend.sites.models import Checkpoint, RestrictedZone
from backend.staffing.models import PostOrder, PostOrderAcknowledgement, Shift, ShiftStatus
from backend.staffing.services import shift_mark_missed
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, ClockKind
from backend.tracking.selectors import site_fences_prepared
from geofence.classify import PreparedFence
from geofence.presence import PresencePolicy
from geofence.track import (
    Track,
    impossible_travel_in_track,
    inside_runs,
    presence_from_track,
    split_track,
    to_datetime,
    tracks_from_arrays,
    trailing_still_span,
)

logger = logging.getLogger(__name__)

_EMPTY_TRACK = tracks_from_arrays([(0, [], [], [], [], [], [])])[0]
# Shifts that ended this long ago are final: their flags no longer change.
SETTLE_AFTER_END = timedelta(hours=2)

# One row per shift, its fixes as parallel arrays; times as epoch seconds. The aggregates
# of one group see its rows in the same order, so the arrays line up; sorting them is
# left to numpy (one sort instead of one per array). Read through a binary cursor.
_TRACKS_SQL = """
SELECT p.shift_id,
       array_agg(extract(epoch FROM p.recorded_at)::float8),
       array_agg(ST_X(p.location::geometry)),
       array_agg(ST_Y(p.location::geometry)),
       array_agg(p.accuracy_m),
       array_agg(p.is_mock),
       array_agg(coalesce(p.distance_m, 'NaN'::float8))
FROM tracking_ping AS p
JOIN unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS w(shift_id, lo, hi)
  ON p.shift_id = w.shift_id AND p.recorded_at BETWEEN w.lo AND w.hi
WHERE p.location IS NOT NULL AND p.accuracy_m IS NOT NULL
GROUP BY p.shift_id
"""


@dataclass(frozen=True)
class PassResult:
    shifts: int
    flags: int
    marked_missed: int


def _monitored(shifts: QuerySet[Shift]) -> list[Shift]:
    """The shifts with exactly the related rows the rules read."""
    return list(
        shifts.select_related("guard", "post__site__client").only(
            "id", "status", "scheduled_start", "scheduled_end", "clock_in_at", "clock_out_at", "guard_id",
            "clock_in_verified_at", "clock_out_verified_at",
            "guard__first_name", "guard__last_name", "guard__username",
            "post__id", "post__name", "post__must_be_staffed", "post__tour_interval_minutes",
            "post__site__id", "post__site__name", "post__site__timezone", "post__site__updated_at",
            "post__site__client__company_id",
        )
    )  # fmt: skip


def shifts_to_monitor(*, now: datetime, company_id: int | None = None) -> list[Shift]:
    """Shifts started and not yet settled, plus any a guard is still clocked into."""
    shifts = Shift.objects.all() if company_id is None else Shift.objects.for_company(company_id)
    return _monitored(
        shifts.filter(
            Q(status=ShiftStatus.IN_PROGRESS)
            | Q(scheduled_end__gte=now - SETTLE_AFTER_END, status__in=[ShiftStatus.SCHEDULED, ShiftStatus.COMPLETED])
        ).filter(scheduled_start__lte=now)
    )


def _clock_in_pending(shift: Shift) -> bool:
    """A clock-in sent after the fact whose time nothing has confirmed yet (it counts from receipt)."""
    return (
        shift.clock_in_at is not None
        and shift.clock_in_verified_at is not None
        and shift.clock_in_verified_at > shift.clock_in_at
    )


def _clock_out_pending(shift: Shift) -> bool:
    """A clock-out sent after the fact whose time nothing has confirmed yet."""
    return (
        shift.clock_out_at is not None
        and shift.clock_out_verified_at is not None
        and shift.clock_out_verified_at < shift.clock_out_at
    )


@dataclass(frozen=True)
class PhoneClock:
    """How far the server's clock was ahead of the phone's when it sent each unconfirmed clock event.

    Breadcrumbs and scans keep the phone's recorded_at, so evidence for a clock time is
    looked for on the phone's clock: a phone 20 minutes slow is not penalised for it.
    """

    clock_in_skew: timedelta = timedelta(0)
    clock_out_skew: timedelta = timedelta(0)


_SAME_CLOCK = PhoneClock()


def _phone_clocks(shifts: Sequence[Shift]) -> dict[int, PhoneClock]:
    """The skews of the unconfirmed clock events of the batch (no query when there are none)."""
    pending = [shift.pk for shift in shifts if _clock_in_pending(shift) or _clock_out_pending(shift)]
    if not pending:
        return {}
    skews: dict[int, dict[str, timedelta]] = defaultdict(dict)
    for shift_id, kind, recorded_at, sent_at, received_at in ClockEvent.objects.filter(
        shift_id__in=pending
    ).values_list("shift_id", "kind", "recorded_at", "sent_at", "received_at"):
        skews[shift_id][kind] = DeviceTimes(recorded_at=recorded_at, sent_at=sent_at, received_at=received_at).skew
    return {
        shift_id: PhoneClock(by_kind.get(ClockKind.IN, timedelta(0)), by_kind.get(ClockKind.OUT, timedelta(0)))
        for shift_id, by_kind in skews.items()
    }


def _track_window(
    shift: Shift, now: datetime, lead: timedelta, evidence: timedelta, phone: PhoneClock
) -> tuple[datetime, datetime]:
    """The span of breadcrumbs the rules read: the shift (plus lead), and around unconfirmed clock times."""
    lo, hi = shift.scheduled_start - lead, min(shift.scheduled_end, now)
    if _clock_in_pending(shift) and shift.clock_in_at is not None:
        lo = min(lo, shift.clock_in_at - phone.clock_in_skew - evidence)
    if _clock_out_pending(shift) and shift.clock_out_at is not None:
        hi = max(hi, shift.clock_out_at - phone.clock_out_skew + evidence)
    return lo, hi


def _load_tracks(
    shifts: Sequence[Shift], now: datetime, lead: timedelta, evidence: timedelta, phones: dict[int, PhoneClock]
) -> dict[int, Track]:
    """Every shift's breadcrumbs in its window, as arrays, in one query."""
    windows = [_track_window(shift, now, lead, evidence, phones.get(shift.pk, _SAME_CLOCK)) for shift in shifts]
    params = [
        [shift.pk for shift in shifts],
        [lo for lo, _ in windows],
        [hi for _, hi in windows],
    ]
    connection.ensure_connection()
    # Django's cursors bind on the client and return text; a plain psycopg cursor on the
    # same connection (same transaction) can ask for binary results, read without parsing.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_TRACKS_SQL, params, binary=True)
        return tracks_from_arrays(cursor.fetchall())


def _fill_distances(tracks: dict[int, Track], site_of: dict[int, int], fences: dict[int, PreparedFence]) -> None:
    """Distances for fixes stored without one (ingested before verdicts were kept)."""
    for shift_id, track in tracks.items():
        missing = np.isnan(track.distance_m)
        fence = fences.get(site_of[shift_id])
        if missing.any() and fence is not None:
            _, distances = fence.distances_m(track.lon[missing], track.lat[missing])
            track.distance_m[missing] = distances


def _stillness(usable: Track, span: tuple[int, int] | None) -> Stillness | None:
    if span is None:
        return None
    first, last = span
    return Stillness(
        start=to_datetime(float(usable.t[first])),
        end=to_datetime(float(usable.t[last])),
        lon=float(usable.lon[last]),
        lat=float(usable.lat[last]),
        fix_count=last - first + 1,
    )


def _zone_visits(usable: Track, zones: Iterable[tuple[int, str, Any]]) -> tuple[ZoneVisit, ...]:
    """Continuous runs of fixes inside each restricted zone (planar test: zones are tens of metres)."""
    if not len(usable):
        return ()
    visits: list[ZoneVisit] = []
    for zone_id, name, polygon in zones:
        inside = shapely.contains_xy(polygon, usable.lon, usable.lat)
        for first, last in inside_runs(inside):
            visits.append(
                ZoneVisit(
                    zone_id=zone_id,
                    zone_name=name,
                    first_at=to_datetime(float(usable.t[first])),
                    last_at=to_datetime(float(usable.t[last])),
                    fix_count=last - first + 1,
                    still_inside=last == len(usable) - 1,
                )
            )
    return tuple(visits)


def _missed_checkpoints(
    shift: Shift,
    checkpoints: Sequence[tuple[int, str]],
    scans: Sequence[tuple[int, datetime]],
    now: datetime,
    grace: timedelta,
) -> tuple[MissedCheckpoint, ...]:
    """Rounds of the post's tour that ended (plus grace) without a scan of each checkpoint."""
    interval_minutes = shift.post.tour_interval_minutes
    if not interval_minutes or not checkpoints or shift.clock_in_at is None:
        return ()
    interval = timedelta(minutes=interval_minutes)
    tour_end = min(shift.clock_out_at or shift.scheduled_end, shift.scheduled_end)
    missed: list[MissedCheckpoint] = []
    round_start = shift.clock_in_at
    while round_start + interval <= tour_end and round_start + interval + grace <= now:
        round_end = round_start + interval
        scanned = {cp for cp, at in scans if round_start <= at < round_end + grace}
        missed.extend(
            MissedCheckpoint(checkpoint_id=cp, name=name, round_start=round_start, due_by=round_end)
            for cp, name in checkpoints
            if cp not in scanned
        )
        round_start = round_end
    return tuple(missed)


@dataclass(frozen=True)
class VerifiedClock:
    """What the evidence supports of a shift's clock times (see Shift.clock_in_verified_at)."""

    clock_in_at: datetime | None
    clock_out_at: datetime | None


def _verified_clock(
    shift: Shift, usable: Track, scans: Sequence[datetime], limits: Thresholds, phone: PhoneClock
) -> VerifiedClock:
    """Confirm backdated clock times from on-site breadcrumbs and checkpoint scans recorded at the time.

    Only shifts with an unconfirmed clock event get here (a handful per pass). A fix is on
    site when its accuracy circle (the accuracy capped as in the presence timeline)
    reaches within the exit buffer of the fence; a scan is on site by nature (the tag is on the wall). Evidence is
    on the phone's clock, clock times on the server's: `phone` converts between them.
    """
    verified_in, verified_out = shift.clock_in_verified_at, shift.clock_out_verified_at
    if not (_clock_in_pending(shift) or _clock_out_pending(shift)):
        return VerifiedClock(verified_in, verified_out)
    tolerance = np.minimum(usable.accuracy_m, limits.accuracy_tolerance_cap_m)
    on_site = usable.t[(usable.distance_m - tolerance) <= limits.exit_buffer_m]
    evidence = np.sort(np.concatenate((on_site, np.array([at.timestamp() for at in scans], dtype=np.float64))))
    window = limits.clock_evidence_window_min * 60.0

    def confirmed(phone_moment: datetime) -> bool:
        first = int(np.searchsorted(evidence, phone_moment.timestamp() - window))
        return first < len(evidence) and bool(evidence[first] <= phone_moment.timestamp() + window)

    if (
        _clock_in_pending(shift)
        and shift.clock_in_at is not None
        and confirmed(shift.clock_in_at - phone.clock_in_skew)
    ):
        verified_in = shift.clock_in_at
    if _clock_out_pending(shift) and shift.clock_out_at is not None:
        skew = phone.clock_out_skew
        # Never after the claimed clock-out (a clock-in received after it supports nothing later).
        judged_in = min(verified_in or shift.clock_in_at or shift.clock_out_at, shift.clock_out_at)
        if confirmed(shift.clock_out_at - skew):
            verified_out = shift.clock_out_at
        else:
            # Unconfirmed: the guard was seen on site until the last evidence before the claimed time.
            seen = evidence[
                (evidence >= (judged_in - skew).timestamp()) & (evidence <= (shift.clock_out_at - skew).timestamp())
            ]
            verified_out = min(to_datetime(float(seen[-1])) + skew, shift.clock_out_at) if len(seen) else judged_in
    return VerifiedClock(verified_in, verified_out)


def _policy(thresholds: Thresholds) -> PresencePolicy:
    return thresholds.presence_policy()


def shift_facts_many(
    *, shifts: Sequence[Shift], now: datetime, company_thresholds: Mapping[int, Thresholds] | None = None
) -> dict[int, tuple[ShiftFacts, Thresholds]]:
    """Facts (and the owning company's thresholds) for every shift, in a constant number of queries.

    `company_thresholds` are thresholds the caller already read, by company id; the
    others are read here in one query.
    """
    if not shifts:
        return {}
    thresholds = dict(company_thresholds or {})
    unread = {shift.post.site.client.company_id for shift in shifts} - thresholds.keys()
    if unread:
        thresholds |= thresholds_for_companies(company_ids=unread)
    lead = max(timedelta(minutes=t.signal_gap_min) for t in thresholds.values())
    evidence_window = max(timedelta(minutes=t.clock_evidence_window_min) for t in thresholds.values())
    phones = _phone_clocks(shifts)
    tracks = _load_tracks(shifts, now, lead, evidence_window, phones)
    sites = {shift.post.site.pk: shift.post.site.updated_at for shift in shifts}
    fences = site_fences_prepared(sites=sites)
    _fill_distances(tracks, {shift.pk: shift.post.site.pk for shift in shifts}, fences)

    zones_by_site: dict[int, list[tuple[int, str, Any]]] = defaultdict(list)
    for zone_id, site_id, name, wkb in (
        RestrictedZone.objects.filter(site_id__in=sites)
        .annotate(wkb=AsWKB("area"))
        .values_list("pk", "site_id", "name", "wkb")
    ):
        polygon = shapely.from_wkb(bytes(wkb))
        shapely.prepare(polygon)
        zones_by_site[site_id].append((zone_id, name, polygon))

    post_ids = {shift.post.pk for shift in shifts}
    current_orders: dict[int, tuple[int, int]] = {}
    for order_id, post_id, version in (
        PostOrder.objects.filter(post_id__in=post_ids, published_at__lte=now)
        .order_by("post_id", "-version")
        .distinct("post_id")
        .values_list("pk", "post_id", "version")
    ):
        current_orders[post_id] = (order_id, version)
    acknowledged = set(
        PostOrderAcknowledgement.objects.filter(
            post_order_id__in=[order_id for order_id, _ in current_orders.values()],
            guard_id__in={shift.guard_id for shift in shifts},
        ).values_list("post_order_id", "guard_id")
    )

    tour_sites = {shift.post.site.pk for shift in shifts if shift.post.tour_interval_minutes}
    checkpoints_by_site: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for cp_id, site_id, name in Checkpoint.objects.filter(site_id__in=tour_sites, is_active=True).values_list(
        "pk", "site_id", "name"
    ):
        checkpoints_by_site[site_id].append((cp_id, name))
    scans_by_shift: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    # Scans are read for tours, and as evidence for clock times sent after the fact.
    tour_shifts = [
        shift.pk
        for shift in shifts
        if shift.post.site.pk in tour_sites or _clock_in_pending(shift) or _clock_out_pending(shift)
    ]
    for shift_id, cp_id, at in CheckpointScan.objects.filter(shift_id__in=tour_shifts).values_list(
        "shift_id", "checkpoint_id", "recorded_at"
    ):
        scans_by_shift[shift_id].append((cp_id, at))

    emergencies_by_shift: dict[int, list[ActivityEmergency]] = defaultdict(list)
    for entry_id, shift_id, recorded_at, mentions in (
        ActivityEntry.objects.filter(shift_id__in=[shift.pk for shift in shifts])
        .exclude(emergency_mentions=[])
        .values_list("pk", "shift_id", "recorded_at", "emergency_mentions")
    ):
        emergencies_by_shift[shift_id].append(
            ActivityEmergency(
                entry_id=str(entry_id),
                recorded_at=recorded_at,
                services=tuple(sorted({m["service"] for m in mentions})),
                sentence=mentions[0]["sentence"],
            )
        )
    reported_by_shift: dict[int, set[str]] = defaultdict(set)
    for shift_id, emergency in IncidentReport.objects.filter(
        shift_id__in=list(emergencies_by_shift), emergency__isnull=False
    ).values_list("shift_id", "emergency"):
        reported_by_shift[shift_id].update(emergency.get("services") or [])

    facts: dict[int, tuple[ShiftFacts, Thresholds]] = {}
    for shift in shifts:
        limits = thresholds[shift.post.site.client.company_id]
        policy = _policy(limits)
        split = split_track(tracks.get(shift.pk, _EMPTY_TRACK), max_accuracy_m=limits.ping_max_accuracy_m)
        window_end = min(shift.scheduled_end, now)
        timeline = None
        if shift.post.site.pk in fences and shift.clock_in_at is not None and window_end > shift.scheduled_start:
            timeline = presence_from_track(
                scheduled_start=shift.scheduled_start, scheduled_end=window_end, split=split, policy=policy
            )
        still = (
            trailing_still_span(split.usable, radius_m=limits.inactivity_radius_m, max_gap=policy.signal_gap)
            if shift.clock_out_at is None
            else None
        )
        order = current_orders.get(shift.post.pk)
        verified = _verified_clock(
            shift,
            split.usable,
            [at for _, at in scans_by_shift.get(shift.pk, ())],
            limits,
            phones.get(shift.pk, _SAME_CLOCK),
        )
        facts[shift.pk] = (
            ShiftFacts(
                now=now,
                guard_name=shift.guard.get_full_name() or shift.guard.username,
                post_name=shift.post.name,
                site_name=shift.post.site.name,
                must_be_staffed=shift.post.must_be_staffed,
                scheduled_start=shift.scheduled_start,
                scheduled_end=shift.scheduled_end,
                status=shift.status,
                clock_in_at=shift.clock_in_at,
                clock_out_at=shift.clock_out_at,
                post_orders_version=order[1] if order else None,
                post_orders_acknowledged=order is not None and (order[0], shift.guard_id) in acknowledged,
                timeline=timeline,
                stillness=_stillness(split.usable, still),
                impossible_travel=tuple(
                    impossible_travel_in_track(split.usable, max_speed_mps=limits.impossible_speed_mps)
                ),
                mock_fixes=tuple(split.mock.fix(i) for i in range(len(split.mock))),
                zone_visits=_zone_visits(split.usable, zones_by_site.get(shift.post.site.pk, ())),
                missed_checkpoints=_missed_checkpoints(
                    shift,
                    checkpoints_by_site.get(shift.post.site.pk, []),
                    scans_by_shift.get(shift.pk, []),
                    now,
                    timedelta(minutes=limits.missed_checkpoint_grace_min),
                ),
                activity_emergencies=tuple(emergencies_by_shift.get(shift.pk, ())),
                reported_emergency_services=frozenset(reported_by_shift.get(shift.pk, ())),
                zone_name=shift.post.site.timezone,
                clock_in_verified_at=verified.clock_in_at,
                clock_out_verified_at=verified.clock_out_at,
            ),
            limits,
        )
    return facts


def _evaluate(
    batch: Sequence[Shift], now: datetime, company_thresholds: Mapping[int, Thresholds] | None = None
) -> dict[Subject, list[Flag]]:
    """Run the shift rules over the batch and sync all their flags at once."""
    facts = shift_facts_many(shifts=batch, now=now, company_thresholds=company_thresholds)
    findings_by_subject = {}
    codes: set[str] = set()
    confirmed: list[Shift] = []
    for shift in batch:
        shift_facts, limits = facts[shift.pk]
        verified = (shift_facts.clock_in_verified_at, shift_facts.clock_out_verified_at)
        if verified != (shift.clock_in_verified_at, shift.clock_out_verified_at):
            shift.clock_in_verified_at, shift.clock_out_verified_at = verified
            confirmed.append(shift)
        run = SHIFT_RULES.run(shift_facts, limits)
        codes |= run.evaluated_codes
        findings_by_subject[Subject(company_id=shift.post.site.client.company_id, shift_id=shift.pk)] = run.findings
    if confirmed:
        # Evidence recorded at a backdated clock time arrived: what billing and attendance read moves with it.
        Shift.objects.bulk_update(confirmed, ["clock_in_verified_at", "clock_out_verified_at"])
    return flags_sync_many(findings_by_subject=findings_by_subject, evaluated_codes=codes, key_prefix=KEY_PREFIX)


def shifts_monitor(*, now: datetime | None = None, shifts: Sequence[Shift] | None = None) -> PassResult:
    """One monitoring pass: evaluate every shift's rules and sync all their flags at once."""
    moment = now or timezone.now()
    batch = list(shifts) if shifts is not None else shifts_to_monitor(now=moment)
    with transaction.atomic():
        flags = _evaluate(batch, moment)
        # A shift that ended without anyone clocking in is a no-show for good.
        marked_missed = shift_mark_missed(shifts=batch, at=moment)
    return PassResult(shifts=len(batch), flags=sum(len(f) for f in flags.values()), marked_missed=marked_missed)


def shift_monitor_now(*, shift_id: int, now: datetime, thresholds: Thresholds | None = None) -> list[Flag]:
    """Run the shift rules for one shift at once (at clock-in/out); its open rule flags.

    `thresholds`: the shift's company's, when the caller has read them already.
    """
    batch = _monitored(Shift.objects.filter(pk=shift_id))
    known = {shift.post.site.client.company_id: thresholds for shift in batch} if thresholds is not None else None
    flags = next(iter(_evaluate(batch, now, known).values()), [])
    return [flag for flag in flags if flag.status == FlagStatus.OPEN]

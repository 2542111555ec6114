"""Each shift's newest fix, kept by the database (tracking.ShiftLastFix, triggers on the pings).

Whatever writes the pings (the phone's batches, bulk_create, a deletion), the table says what
the newest breadcrumb of each shift is: the latest recorded_at, a tie going to the greater id.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from backend.attendance.selectors import board_shifts, last_fixes
from backend.sites.scopes import scope_for
from backend.staffing.models import Shift, ShiftStatus
from backend.tracking.models import Ping, ShiftLastFix
from backend.tracking.selectors import site_fences_forget
from backend.tracking.services import pings_ingest
from tests import factories, geo
from tests.concurrency import race_outcomes

pytestmark = pytest.mark.django_db

BEFORE_LAST_FIX = ("tracking", "0005_transitions_panic_resolution")
WITH_LAST_FIX = ("tracking", "0006_shift_last_fix")


@pytest.fixture(autouse=True)
def _fresh_fence_cache():
    """Prepared fences are cached per process by site id; test databases reuse ids."""
    site_fences_forget()
    yield
    site_fences_forget()


@dataclass
class PhonePing:
    """A breadcrumb as the API hands it to pings_ingest."""

    id: uuid.UUID
    shift_id: int
    recorded_at: datetime
    lat: float = geo.INSIDE_CENTER.y
    lon: float = geo.INSIDE_CENTER.x
    accuracy_m: float = 6.0
    is_mock: bool = False
    speed_mps: float | None = None
    heading: float | None = None

    @classmethod
    def at(cls, shift: Shift, minutes_ago: float, where: Point = geo.INSIDE_CENTER, **fields) -> PhonePing:
        moment = timezone.now() - timedelta(minutes=minutes_ago)
        return cls(shift_id=shift.pk, recorded_at=moment, lat=where.y, lon=where.x, id=uuid.uuid4(), **fields)


def _stored(ping: PhonePing) -> Ping:
    return Ping.objects.get(pk=ping.id)


def _kept(shift: Shift) -> ShiftLastFix:
    return ShiftLastFix.objects.get(shift=shift)


def _newest_by_reading_the_pings(shift_id: int) -> Ping | None:
    """What the board read before the cache: the shift's newest breadcrumb, straight from the pings."""
    return Ping.objects.filter(shift_id=shift_id).order_by("-recorded_at", "-id").first()


def _row_version(shift: Shift) -> str:
    # The row's physical address: an UPDATE writes a new version elsewhere, even when every
    # value stays the same (tests run in one transaction, so now() cannot tell).
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text FROM tracking_shiftlastfix WHERE shift_id = %s", [shift.pk])
        return str(cursor.fetchone()[0])


def _bulk_ping(shift: Shift, recorded_at: datetime, *, fence: str = "inside", ping_id: uuid.UUID | None = None) -> Ping:
    return Ping(
        id=ping_id or uuid.uuid4(), shift=shift, location=geo.INSIDE_CENTER, accuracy_m=8.0, fence=fence,
        distance_m=0.0, recorded_at=recorded_at, received_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def shift(tenant) -> Shift:
    return factories.ShiftFactory.create(guard=tenant.guard, post=tenant.post)


def test_a_batch_of_one_shift_keeps_its_newest_fix_with_the_verdict_the_ping_got(tenant, shift):
    # given a batch whose newest fix (3 km away) is in the middle of the batch
    batch = [
        PhonePing.at(shift, 9),
        PhonePing.at(shift, 1, geo.OUTSIDE_3KM, accuracy_m=12.0),
        PhonePing.at(shift, 5, geo.OUTSIDE_50M),
    ]

    # when the phone sends it
    pings_ingest(guard=tenant.guard, pings=batch)

    # then the shift's last fix is that ping, as stored with its fence verdict
    kept, newest = _kept(shift), _stored(batch[1])
    assert kept.ping_id == newest.pk
    assert (kept.recorded_at, kept.fence, kept.distance_m, kept.accuracy_m) == (
        newest.recorded_at, "outside", newest.distance_m, 12.0,
    )  # fmt: skip
    assert kept.distance_m == pytest.approx(3000, abs=10)
    assert (kept.location.x, kept.location.y) == pytest.approx((geo.OUTSIDE_3KM.x, geo.OUTSIDE_3KM.y))


def test_an_older_fix_arriving_after_a_newer_one_does_not_replace_it(tenant, shift):
    # given the shift's fix of a minute ago is stored
    newer = PhonePing.at(shift, 1)
    pings_ingest(guard=tenant.guard, pings=[newer])
    version = _row_version(shift)

    # when the phone's offline queue syncs fixes of half an hour ago, outside the fence
    pings_ingest(guard=tenant.guard, pings=[PhonePing.at(shift, 31, geo.OUTSIDE_3KM), PhonePing.at(shift, 30)])

    # then the last fix is still the newer one, untouched
    assert _kept(shift).ping_id == newer.id
    assert _kept(shift).fence == "inside"
    assert _row_version(shift) == version

    # and a fix newer than it does replace it
    newest = PhonePing.at(shift, 0.1, geo.OUTSIDE_50M)
    pings_ingest(guard=tenant.guard, pings=[newest])
    assert (_kept(shift).ping_id, _kept(shift).fence) == (newest.id, "outside")
    assert _kept(shift).distance_m == pytest.approx(50, abs=1)


def test_a_batch_for_several_shifts_keeps_each_shifts_newest(tenant, shift):
    # given the guard's shift before this one, over two hours ago (its pings are still taken)
    second = factories.ShiftFactory(
        guard=tenant.guard,
        post=tenant.post,
        scheduled_start=shift.scheduled_start - timedelta(hours=9),
        scheduled_end=shift.scheduled_start - timedelta(hours=1),
    )
    batch = [
        PhonePing.at(second, 2),
        PhonePing.at(shift, 4),
        PhonePing.at(second, 3, geo.OUTSIDE_3KM),
        PhonePing.at(shift, 6, geo.OUTSIDE_50M),
        PhonePing.at(second, 1, geo.OUTSIDE_50M),
    ]

    pings_ingest(guard=tenant.guard, pings=batch)

    assert _kept(shift).ping_id == batch[1].id
    assert _kept(second).ping_id == batch[4].id
    assert ShiftLastFix.objects.count() == 2


def test_a_replayed_batch_changes_nothing(tenant, shift):
    # given a batch stored once
    batch = [PhonePing.at(shift, 3), PhonePing.at(shift, 2)]
    pings_ingest(guard=tenant.guard, pings=batch)
    version = _row_version(shift)

    # when the phone sends it again (its response was lost)
    result = pings_ingest(guard=tenant.guard, pings=batch)

    # then every ping is a duplicate and the last fix row was not written at all
    assert (result.accepted, result.duplicates) == (0, 2)
    assert _kept(shift).ping_id == batch[1].id
    assert _row_version(shift) == version


def test_bulk_created_pings_keep_the_cache_too(tenant, shift):
    # given the demo's and tests' path: bulk_create, for two shifts at once, out of time order
    now = timezone.now()
    other = factories.ShiftFactory(post=tenant.post)
    pings = [
        _bulk_ping(shift, now - timedelta(minutes=2)),
        _bulk_ping(other, now - timedelta(minutes=1), fence="outside"),
        _bulk_ping(shift, now - timedelta(minutes=20), fence="outside"),
        _bulk_ping(other, now - timedelta(minutes=9)),
    ]

    Ping.objects.bulk_create(pings, ignore_conflicts=True)

    assert _kept(shift).ping_id == pings[0].pk
    assert (_kept(other).ping_id, _kept(other).fence) == (pings[1].pk, "outside")


def test_fixes_recorded_at_the_same_instant_go_to_the_greater_id_whatever_their_order(tenant):
    # given two shifts, each getting two fixes of the same instant, in opposite orders
    moment = timezone.now() - timedelta(minutes=1)
    low, high = uuid.UUID(int=1), uuid.UUID(int=2)
    low_first, high_first = factories.ShiftFactory(post=tenant.post), factories.ShiftFactory(post=tenant.post)

    Ping.objects.bulk_create([_bulk_ping(low_first, moment, ping_id=low)])
    Ping.objects.bulk_create([_bulk_ping(low_first, moment, ping_id=high)])
    Ping.objects.bulk_create([_bulk_ping(high_first, moment, ping_id=uuid.UUID(int=4))])
    Ping.objects.bulk_create([_bulk_ping(high_first, moment, ping_id=uuid.UUID(int=3))])

    # then the greater id is kept either way, as reading the pings in that order says
    assert _kept(low_first).ping_id == high == _newest_by_reading_the_pings(low_first.pk).pk
    assert _kept(high_first).ping_id == uuid.UUID(int=4) == _newest_by_reading_the_pings(high_first.pk).pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("committed_first", ["newer", "older"])
def test_two_batches_at_once_keep_the_newer_fix_whichever_commits_first(tenant, committed_first):
    # given two batches of one shift in flight at once (a phone retrying while the first is slow)
    shift = factories.ShiftFactory.create(post=tenant.post)
    now = timezone.now()
    newer, older = _bulk_ping(shift, now), _bulk_ping(shift, now - timedelta(minutes=5))
    first, second = (newer, older) if committed_first == "newer" else (older, newer)
    inserted, commit = threading.Event(), threading.Event()

    def first_batch() -> None:
        with transaction.atomic():
            Ping.objects.bulk_create([first])
            inserted.set()
            commit.wait(timeout=10)

    def second_batch() -> None:
        inserted.wait(timeout=10)
        # waits on the first batch's uncommitted last-fix row, then judges against it
        Ping.objects.bulk_create([second])

    def release_the_first() -> None:
        inserted.wait(timeout=10)
        time.sleep(0.3)
        commit.set()

    outcomes = race_outcomes(first_batch, second_batch, release_the_first)

    # then both are stored and the last fix is the newer one, either way round
    assert outcomes == [None, None, None]
    assert Ping.objects.filter(shift=shift).count() == 2
    assert _kept(shift).ping_id == newer.pk


def test_deleting_pings_recomputes_the_shifts_whose_newest_fix_went(tenant, shift):
    now = timezone.now()
    old, middle, newest = (_bulk_ping(shift, now - timedelta(minutes=m)) for m in (30, 20, 10))
    Ping.objects.bulk_create([old, middle, newest])

    # deleting an older breadcrumb leaves the last fix as it was
    Ping.objects.filter(pk=old.pk).delete()
    assert _kept(shift).ping_id == newest.pk

    # deleting the newest falls back to the one before it
    Ping.objects.filter(pk=newest.pk).delete()
    assert (_kept(shift).ping_id, _kept(shift).recorded_at) == (middle.pk, middle.recorded_at)

    # and with no breadcrumb left the shift has no last fix
    Ping.objects.filter(shift=shift).delete()
    assert not ShiftLastFix.objects.filter(shift=shift).exists()


def test_a_shift_with_pings_can_still_be_deleted(tenant, shift):
    # (the benches' purge and a cascade from the shift: the deferred foreign keys hold at commit)
    Ping.objects.bulk_create([_bulk_ping(shift, timezone.now())])

    shift.delete()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not ShiftLastFix.objects.exists()
    assert not Ping.objects.exists()


def test_a_corrected_ping_moves_the_last_fix_with_it(tenant, shift):
    # Pings are evidence and nothing updates them; if a correction ever did, the cache follows.
    now = timezone.now()
    earlier, later = _bulk_ping(shift, now - timedelta(minutes=5)), _bulk_ping(shift, now - timedelta(minutes=1))
    Ping.objects.bulk_create([earlier, later])

    Ping.objects.filter(pk=later.pk).update(recorded_at=now - timedelta(minutes=9))

    assert _kept(shift).ping_id == earlier.pk


def test_application_code_cannot_write_the_cache(shift):
    with pytest.raises(TypeError, match="kept by triggers"):
        ShiftLastFix(shift=shift, ping_id=uuid.uuid4(), recorded_at=timezone.now()).save()


def test_the_board_and_last_fixes_read_what_the_pings_say(tenant):
    # given shifts in progress with breadcrumbs arriving in several batches, out of order,
    # one with two fixes of the same instant, and one shift without any
    now = timezone.now()
    shifts = [
        factories.ShiftFactory(post=tenant.post, status=ShiftStatus.IN_PROGRESS, clock_in_at=now) for _ in range(6)
    ]
    fences = ("inside", "near", "outside", "unknown")
    for batch in range(3):
        Ping.objects.bulk_create(
            _bulk_ping(shift, now - timedelta(minutes=(7 * n + 5 * batch) % 13), fence=fences[(n + batch) % 4])
            for n, shift in enumerate(shifts[:5])
        )
    tie = now - timedelta(seconds=10)
    Ping.objects.bulk_create([_bulk_ping(shifts[4], tie, fence="outside"), _bulk_ping(shifts[4], tie, fence="near")])

    # when the board and the alerts read the last fixes
    board, board_fixes = board_shifts(scope=scope_for(tenant.manager), now=now)
    fixes = last_fixes(shift_ids=[shift.pk for shift in shifts])

    # then each is the newest breadcrumb of the shift, value for value, and the silent shift has none
    assert {row.pk for row in board} == {shift.pk for shift in shifts}
    assert board_fixes == fixes
    assert set(fixes) == {shift.pk for shift in shifts[:5]}
    for shift_id, fix in fixes.items():
        ping = _newest_by_reading_the_pings(shift_id)
        assert ping is not None
        assert (fix.recorded_at, fix.fence, fix.accuracy_m, fix.distance_m) == (
            ping.recorded_at, ping.fence, ping.accuracy_m, ping.distance_m,
        )  # fmt: skip
        assert (fix.lon, fix.lat) == pytest.approx((ping.location.x, ping.location.y))


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_the_migration_backfills_existing_pings_and_goes_back_cleanly(tenant):
    # given pings stored before the cache existed: out of order, a tie, and a shift with none
    now = timezone.now()
    first, tied, silent = (factories.ShiftFactory(post=tenant.post) for _ in range(3))
    try:
        _migrate(BEFORE_LAST_FIX)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('tracking_shiftlastfix')")
            assert cursor.fetchone()[0] is None
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'shift_last_fix_%%'")
            assert cursor.fetchone()[0] == 0
        Ping.objects.bulk_create(
            [
                _bulk_ping(first, now - timedelta(minutes=1), fence="outside"),
                _bulk_ping(first, now - timedelta(minutes=30)),
                _bulk_ping(tied, now, ping_id=uuid.UUID(int=7)),
                _bulk_ping(tied, now, ping_id=uuid.UUID(int=9), fence="near"),
            ]
        )
    finally:
        # when the migration runs (again)
        _migrate(WITH_LAST_FIX)

    # then each shift's newest fix is there, as reading the pings says
    assert {(fix.shift_id, fix.ping_id) for fix in ShiftLastFix.objects.all()} == {
        (first.pk, _newest_by_reading_the_pings(first.pk).pk),
        (tied.pk, uuid.UUID(int=9)),
    }
    assert _kept(first).fence == "outside"
    assert not ShiftLastFix.objects.filter(shift=silent).exists()
    # and the triggers are back: a new ping moves the last fix
    Ping.objects.bulk_create([_bulk_ping(silent, now)])
    assert ShiftLastFix.objects.filter(shift=silent).exists()

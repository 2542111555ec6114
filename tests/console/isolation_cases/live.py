"""Cases for the live board, its map data and its alerts (console/views/live.py)."""

from backend.rules.findings import Severity
from tests.console.isolation import Target, World, case
from tests.console.live_helpers import panic, ping, shift_on_now
from tests.factories import GuardFactory


def _guarded_shift(world: World, name: str):
    guard = GuardFactory(company=world.tenant.company, first_name=name, last_name="Onsite")
    shift = shift_on_now(post=world.tenant.post, guard=guard)
    ping(shift)
    return shift


@case("console:live")
def _board(world: World) -> Target:
    _guarded_shift(world, "Boardmarker")
    return Target(marker="Boardmarker")


@case("console:live_positions")
def _positions(world: World) -> Target:
    _guarded_shift(world, "Mapmarker")
    return Target(marker="Mapmarker")


@case("console:live_track")
def _track(world: World) -> Target:
    shift = _guarded_shift(world, "Trackmarker")
    return Target(kwargs={"shift_id": shift.pk}, marker='"kind": "fix"')


@case("console:live_alerts")
def _alerts(world: World) -> Target:
    shift = _guarded_shift(world, "Alertmarker")
    panic(shift)
    return Target(marker="Panic: Alertmarker")


def _panic_target(world: World, data=None, acknowledged=False) -> Target:
    shift = _guarded_shift(world, "Panicmarker")
    alert = panic(shift)
    if acknowledged:
        from backend.tracking.panic import panic_alert_acknowledge

        panic_alert_acknowledge(alert=alert, by=world.tenant.manager)
    return Target(kwargs={"alert_id": alert.pk}, data=data or {})


@case("console:live_panic_acknowledge", method="post")
def _panic_ack(world: World) -> Target:
    return _panic_target(world)


@case("console:live_panic_note", method="post")
def _panic_note(world: World) -> Target:
    return _panic_target(world, {"text": "Called the guard."})


@case("console:live_panic_resolve", method="post")
def _panic_resolve(world: World) -> Target:
    return _panic_target(world, {"outcome": "false_alarm", "note": ""}, acknowledged=True)


def _flag_target(world: World, data=None) -> Target:
    from django.utils import timezone

    from backend.flags.models import Flag

    shift = _guarded_shift(world, "Flagmarker")
    flag = Flag.objects.create(
        company=world.tenant.company, shift=shift, code="OUT_OF_POSITION", severity=Severity.CRITICAL,
        message="Flagmarker left the site.", raised_at=timezone.now(),
    )  # fmt: skip
    return Target(kwargs={"flag_id": flag.pk}, data=data or {})


@case("console:live_flag_acknowledge", method="post")
def _flag_ack(world: World) -> Target:
    return _flag_target(world)


@case("console:live_flag_note", method="post")
def _flag_note(world: World) -> Target:
    return _flag_target(world, {"text": "Supervisor on the way."})


@case("console:live_flag_resolve", method="post")
def _flag_resolve(world: World) -> Target:
    return _flag_target(world, {"note": "Back at post."})

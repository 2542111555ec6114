"""Cases for the live board, its map data and its alerts (console/views/live.py)."""

from functools import partial

from backend.rules.findings import Severity
from tests.console.isolation import Target, World, case
from tests.console.live_helpers import panic, ping, shift_on_now
from tests.factories import GuardFactory, open_flag


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


def _flag_target(world: World, data=None) -> Target:
    shift = _guarded_shift(world, "Flagmarker")
    flag = open_flag(
        shift=shift, code="OUT_OF_POSITION", severity=Severity.CRITICAL, message="Flagmarker left the site."
    )
    return Target(kwargs={"flag_id": flag.pk}, data=data or {})


# Each alert action posts to its own URL and gets a fresh alert of its kind to act on.
for _url_name, _build in (
    ("console:live_panic_acknowledge", partial(_panic_target)),
    ("console:live_panic_note", partial(_panic_target, data={"text": "Called the guard."})),
    (
        "console:live_panic_resolve",
        partial(_panic_target, data={"outcome": "false_alarm", "note": ""}, acknowledged=True),
    ),
    ("console:live_flag_acknowledge", partial(_flag_target)),
    ("console:live_flag_note", partial(_flag_target, data={"text": "Supervisor on the way."})),
    ("console:live_flag_resolve", partial(_flag_target, data={"note": "Back at post."})),
):
    case(_url_name, method="post")(_build)

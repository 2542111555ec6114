"""Cases for the review queue, the report page and its actions."""

from backend.rules.findings import FlagCode
from tests import factories
from tests.console.isolation import Target, World, case


def _report(world: World):
    shift = factories.ShiftFactory(post=world.tenant.post, guard=world.tenant.guard)
    return factories.incident_report(shift=shift, narrative="Isolation marker: window smashed at the loading dock.")


MARKER = "Isolation marker: window smashed"


@case("console:reports")
def _queue(world: World) -> Target:
    _report(world)
    return Target(marker=MARKER)


@case("console:rule_health")
def _rule_health(world: World) -> Target:
    return Target()


@case("console:reports_bulk_approve", method="post")
def _bulk(world: World) -> Target:
    report = _report(world)
    return Target(data={"report": [str(report.pk)]})


@case("console:report")
def _detail(world: World) -> Target:
    return Target(kwargs={"report_id": _report(world).pk}, marker=MARKER)


@case("console:report_approve", method="post")
def _approve(world: World) -> Target:
    return Target(kwargs={"report_id": _report(world).pk}, data={"note": ""})


@case("console:report_return", method="post")
def _return(world: World) -> Target:
    return Target(kwargs={"report_id": _report(world).pk}, data={"comment": "Name the unit."})


@case("console:report_edit", method="post")
def _edit(world: World) -> Target:
    return Target(kwargs={"report_id": _report(world).pk}, data={"location_detail": "Dock 2", "note": "Typo"})


@case("console:report_flag_dismiss", method="post")
def _dismiss(world: World) -> Target:
    report = _report(world)
    flag = factories.open_flag(incident=report, code=FlagCode.LOW_ACCURACY, message="GPS accuracy was 180 m.")
    data = {f"flag{flag.pk}-reason": "gps_drift", f"flag{flag.pk}-note": ""}
    return Target(kwargs={"report_id": report.pk, "flag_id": flag.pk}, data=data)


@case("console:report_client_flags", method="post")
def _client_flags(world: World) -> Target:
    report = _report(world)
    flag = factories.open_flag(incident=report, code=FlagCode.LOW_ACCURACY, message="GPS accuracy was 180 m.")
    return Target(kwargs={"report_id": report.pk}, data={"client-shown": [str(flag.pk)]})

"""Every threshold is the company's: an override in its Rule settings changes what happens.

One case per threshold of `Thresholds`. Each case plays a scenario end to end (through
the mobile API with a guard's phone, or through the monitoring pass for the rules only
the pass runs) once with the documented defaults and once with the company's override,
and the outcome a manager would notice differs. A threshold added without a case here
fails `test_every_threshold_has_an_override_case`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, cast

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.attendance.escalation import alerts_escalate
from backend.attendance.monitoring import shifts_monitor
from backend.core.localtime import zone
from backend.flags.models import AlertEscalation, Flag, FlagStatus
from backend.incidents.models import IncidentReport
from backend.incidents.services import incident_return_for_correction
from backend.rules.models import RuleSettings
from backend.rules.thresholds import DEFAULTS, Thresholds
from backend.staffing.models import Shift, ShiftStatus
from backend.tracking.models import Ping
from tests import factories, geo
from tests.conftest import ApiClient, Tenant
from tests.mobile_api.test_incidents import incident_body

pytestmark = pytest.mark.django_db


# --- Scenario helpers -------------------------------------------------------------------


def _now() -> datetime:
    return timezone.now().replace(microsecond=0)


def _shift(tenant: Tenant, *, started_ago: timedelta, length: timedelta = timedelta(hours=8)) -> Shift:
    starts = _now() - started_ago
    shift = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=starts, scheduled_end=starts + length
    )
    return cast(Shift, shift)


def _clocked_in(tenant: Tenant, *, started_ago: timedelta, length: timedelta = timedelta(hours=8)) -> Shift:
    """A shift the guard clocked into on time at its start (as stored by an earlier clock-in)."""
    shift = _shift(tenant, started_ago=started_ago, length=length)
    shift.status = ShiftStatus.IN_PROGRESS
    shift.clock_in_at = shift.clock_in_verified_at = shift.scheduled_start
    shift.clock_in_location = geo.INSIDE_CENTER
    shift.save()
    return shift


def _position(
    where: Point = geo.INSIDE_CENTER, *, accuracy_m: float = 8.0, at: datetime | None = None
) -> dict[str, Any]:
    return {"lat": where.y, "lon": where.x, "accuracy_m": accuracy_m, "recorded_at": (at or timezone.now()).isoformat()}


def _ping(shift: Shift, at: datetime, where: Point = geo.INSIDE_CENTER, accuracy_m: float = 8.0) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "shift_id": shift.pk, **_position(where, accuracy_m=accuracy_m, at=at)}


def _send_pings(api: ApiClient, pings: list[dict[str, Any]]) -> None:
    response = api.post_json("/pings", {"pings": pings})
    assert response.status_code == 200, response.content


def _trace(
    shift: Shift, points: list[Point], *, every: timedelta = timedelta(seconds=30), accuracy_m: float = 8.0
) -> None:
    """Breadcrumbs from the shift's start on, one every 30 s, as a synced phone left them."""
    Ping.objects.bulk_create(
        Ping(
            id=uuid.uuid4(),
            shift=shift,
            location=where,
            accuracy_m=accuracy_m,
            recorded_at=shift.scheduled_start + index * every,
            received_at=_now(),
        )
        for index, where in enumerate(points)
    )


def _codes(response: Any) -> set[str]:
    assert response.status_code in (200, 201), response.content
    return {flag["code"] for flag in response.json()["flags"]}


def _clock_in(api: ApiClient, shift: Shift, **body: Any) -> set[str]:
    return _codes(api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": _position(), **body}))


def _report(api: ApiClient, shift: Shift, **body: Any) -> set[str]:
    return _codes(api.post_json("/incidents", incident_body(shift, **{"position": _position(), **body})))


def _monitored_open_codes(shift: Shift) -> set[str]:
    shifts_monitor(now=_now())
    return set(Flag.objects.filter(shift=shift, status=FlagStatus.OPEN).values_list("code", flat=True))


# --- One scenario per threshold: True when the rule's outcome happened ----------------


def low_accuracy(tenant: Tenant, api: ApiClient) -> bool:
    # a clock-in in the middle of the site with a 150 m fix (default limit 100 m)
    shift = _shift(tenant, started_ago=timedelta(minutes=2))
    return "LOW_ACCURACY" in _clock_in(api, shift, position=_position(accuracy_m=150.0))


def ping_max_accuracy(tenant: Tenant, api: ApiClient) -> bool:
    # a breadcrumb on site with a 70 m fix (default presence limit 50 m): it decides nothing
    shift = _shift(tenant, started_ago=timedelta(minutes=2))
    _send_pings(api, [_ping(shift, timezone.now() - timedelta(seconds=30), accuracy_m=70.0)])
    return Ping.objects.get(shift=shift).fence == "unknown"


def _jumped_3_km_before_a_report(tenant: Tenant, api: ApiClient, *, breadcrumb_before: timedelta) -> bool:
    """A breadcrumb 3 km away `breadcrumb_before` a report from the site: is the jump IMPOSSIBLE_TRAVEL?"""
    shift = _shift(tenant, started_ago=timedelta(hours=1))
    filed_at = timezone.now() - timedelta(seconds=5)
    _send_pings(api, [_ping(shift, filed_at - breadcrumb_before, geo.OUTSIDE_3KM)])
    return "IMPOSSIBLE_TRAVEL" in _report(api, shift, position=_position(at=filed_at))


def impossible_speed(tenant: Tenant, api: ApiClient) -> bool:
    # a breadcrumb 3 km away two minutes before a report from the site: ~26 m/s (default limit 55)
    return _jumped_3_km_before_a_report(tenant, api, breadcrumb_before=timedelta(minutes=2))


def unit_mismatch(tenant: Tenant, api: ApiClient) -> bool:
    # the report names a unit in the far corner, ~255 m from the guard (default allowance 150 m)
    shift = _shift(tenant, started_ago=timedelta(hours=1))
    unit = factories.UnitFactory(site=tenant.site, location=geo.NEAR_SW_CORNER)
    return "UNIT_LOCATION_MISMATCH" in _report(api, shift, unit_id=unit.pk, position=_position(geo.NEAR_NE_CORNER))


def min_narrative_words(tenant: Tenant, api: ApiClient) -> bool:
    # a plain two-sentence narrative of about twenty words (default minimum 10)
    shift = _shift(tenant, started_ago=timedelta(hours=1))
    return "INCOMPLETE_REPORT" in _report(api, shift)


def outside_shift_grace(tenant: Tenant, api: ApiClient) -> bool:
    # the incident is dated 20 minutes before the shift started (default grace 30 minutes)
    shift = _shift(tenant, started_ago=timedelta(hours=1))
    occurred_at = shift.scheduled_start - timedelta(minutes=20)
    return "OUTSIDE_SHIFT" in _report(api, shift, occurred_at=occurred_at.isoformat())


def clock_skew(tenant: Tenant, api: ApiClient) -> bool:
    # the phone's clock is 8 minutes behind the server's (default limit 5 minutes)
    shift = _shift(tenant, started_ago=timedelta(minutes=2))
    phone_now = timezone.now() - timedelta(minutes=8)
    return "CLOCK_SKEW" in _clock_in(
        api, shift, position=_position(at=phone_now - timedelta(seconds=5)), sent_at=phone_now.isoformat()
    )


def late_clock_in_grace(tenant: Tenant, api: ApiClient) -> bool:
    # clocking in 8 minutes after the start (default grace 5 minutes)
    shift = _shift(tenant, started_ago=timedelta(minutes=8))
    return "LATE_CLOCK_IN" in _clock_in(api, shift)


def early_clock_out_grace(tenant: Tenant, api: ApiClient) -> bool:
    # a ten-minute shift, clocked out 8 minutes before its end (default grace 5 minutes)
    shift = _shift(tenant, started_ago=timedelta(minutes=2), length=timedelta(minutes=10))
    _clock_in(api, shift)
    return "EARLY_CLOCK_OUT" in _codes(api.post_json(f"/shifts/{shift.pk}/clock-out", {"position": _position()}))


def no_show_after(tenant: Tenant, api: ApiClient) -> bool:
    # nobody clocked in on a shift that started 20 minutes ago (default: no-show after 15)
    shift = _shift(tenant, started_ago=timedelta(minutes=20))
    return "NO_SHOW" in _monitored_open_codes(shift)


def missed_clock_out_after(tenant: Tenant, api: ApiClient) -> bool:
    # still clocked in 20 minutes after the scheduled end (default: missed after 30)
    shift = _clocked_in(tenant, started_ago=timedelta(hours=8, minutes=20))
    return "MISSED_CLOCK_OUT" in _monitored_open_codes(shift)


def backdated_clock_event(tenant: Tenant, api: ApiClient) -> bool:
    # an offline phone syncs a clock-in 20 minutes after it happened (default: backdated after 10)
    shift = _shift(tenant, started_ago=timedelta(minutes=22))
    claimed = timezone.now() - timedelta(minutes=20)
    return "CLOCK_EVENT_BACKDATED" in _clock_in(
        api, shift, position=_position(at=claimed), sent_at=timezone.now().isoformat()
    )


def clock_evidence_window(tenant: Tenant, api: ApiClient) -> bool:
    # a clock-in sent 42 minutes late; the only breadcrumb on site is 15 minutes before the
    # claimed time (default window 10 minutes): unconfirmed, the no-show stands
    shift = _shift(tenant, started_ago=timedelta(minutes=40))
    claimed = shift.scheduled_start - timedelta(minutes=2)
    _send_pings(api, [_ping(shift, claimed - timedelta(minutes=15))])
    return "NO_SHOW" in _clock_in(api, shift, position=_position(at=claimed), sent_at=timezone.now().isoformat())


def _twenty_minutes_50_m_outside(tenant: Tenant) -> Shift:
    """Clocked in 40 minutes ago: 20 minutes in the middle, then 20 minutes 50 m east of the fence."""
    shift = _clocked_in(tenant, started_ago=timedelta(minutes=40))
    _trace(shift, [geo.INSIDE_CENTER] * 40 + [geo.OUTSIDE_50M] * 40)
    return shift


def exit_buffer(tenant: Tenant, api: ApiClient) -> bool:
    # 50 m out with 8 m fixes is 42 m beyond the fence (default buffer 15 m)
    return "OUT_OF_POSITION" in _monitored_open_codes(_twenty_minutes_50_m_outside(tenant))


def accuracy_tolerance_cap(tenant: Tenant, api: ApiClient) -> bool:
    # 20 minutes 45 m out with fixes claiming 50 m accuracy: only 20 m of it is excused by
    # default, leaving 25 m beyond the 15 m buffer
    shift = _clocked_in(tenant, started_ago=timedelta(minutes=40))
    _trace(shift, [geo.INSIDE_CENTER] * 40 + [geo.OUTSIDE_45M] * 40, accuracy_m=50.0)
    return "OUT_OF_POSITION" in _monitored_open_codes(shift)


def return_dwell(tenant: Tenant, api: ApiClient) -> bool:
    # out 9 minutes, back on site for 3 minutes, out again for 10: two short absences by
    # default (back for at least 2 minutes is a return), one of 22 minutes when a return
    # must last 5
    shift = _clocked_in(tenant, started_ago=timedelta(minutes=32))
    _trace(shift, [geo.INSIDE_CENTER] * 20 + [geo.OUTSIDE_50M] * 18 + [geo.INSIDE_CENTER] * 6 + [geo.OUTSIDE_50M] * 20)
    return "OUT_OF_POSITION" in _monitored_open_codes(shift)


def exit_dwell(tenant: Tenant, api: ApiClient) -> bool:
    # the guard has stayed out 20 minutes (default: left after 3 minutes beyond the buffer)
    return "OUT_OF_POSITION" in _monitored_open_codes(_twenty_minutes_50_m_outside(tenant))


def out_of_position_allowed(tenant: Tenant, api: ApiClient) -> bool:
    # outside for 20 minutes (default allowance 15 minutes)
    return "OUT_OF_POSITION" in _monitored_open_codes(_twenty_minutes_50_m_outside(tenant))


def signal_gap(tenant: Tenant, api: ApiClient) -> bool:
    # a breadcrumb 3 km away 15 minutes before a report from the site; a 1 m/s speed limit in
    # both runs makes the jump impossible when the breadcrumb counts (default gap 10 minutes)
    return _jumped_3_km_before_a_report(tenant, api, breadcrumb_before=timedelta(minutes=15))


def inactivity_radius(tenant: Tenant, api: ApiClient) -> bool:
    # 70 minutes shuttling 20 m back and forth (default radius 15 m: that is moving)
    shift = _clocked_in(tenant, started_ago=timedelta(minutes=70))
    _trace(shift, [geo.INSIDE_CENTER, geo.EAST_OF_CENTER_20M] * 70)
    return "INACTIVITY" in _monitored_open_codes(shift)


def inactivity_allowed(tenant: Tenant, api: ApiClient) -> bool:
    # 70 minutes without moving (default allowance 60 minutes)
    shift = _clocked_in(tenant, started_ago=timedelta(minutes=70))
    _trace(shift, [geo.INSIDE_CENTER] * 140)
    return "INACTIVITY" in _monitored_open_codes(shift)


def missed_checkpoint_grace(tenant: Tenant, api: ApiClient) -> bool:
    # a 30-minute tour, 50 minutes in, the first round's checkpoint never scanned (default grace 15)
    tenant.post.tour_interval_minutes = 30
    tenant.post.save()
    factories.CheckpointFactory(site=tenant.site)
    shift = _clocked_in(tenant, started_ago=timedelta(minutes=50))
    return "MISSED_CHECKPOINT" in _monitored_open_codes(shift)


def alert_escalation(tenant: Tenant, api: ApiClient) -> bool:
    # a critical flag nobody acknowledged for 15 minutes (default delay 10): is the next manager e-mailed?
    factories.ManagerFactory(company=tenant.company, email="next-in-line@acme.test")
    shift = _clocked_in(tenant, started_ago=timedelta(hours=1))
    Flag.objects.create(
        company=tenant.company,
        shift=shift,
        code="OUT_OF_POSITION",
        severity="critical",
        message="Left the site.",
        raised_at=_now() - timedelta(minutes=15),
    )
    return alerts_escalate(now=_now()) == 1 and AlertEscalation.objects.filter(company=tenant.company).exists()


def _portal_coverage_word(tenant: Tenant, *, late_minutes: int) -> str:
    """The word the client's portal gives a week's coverage after its one 8-hour shift was clocked in that late.

    The shift is last week's Tuesday 09:00-17:00 on the site's clock: wholly inside one week, whenever the test runs.
    """
    site_zone = zone(tenant.site.timezone)
    today = _now().astimezone(site_zone).date()
    tuesday = today - timedelta(days=today.weekday() + 6)
    starts = datetime(tuesday.year, tuesday.month, tuesday.day, 9, tzinfo=site_zone)
    shift = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=starts, scheduled_end=starts + timedelta(hours=8)
    )
    shift.clock_in_at = shift.clock_in_verified_at = starts + timedelta(minutes=late_minutes)
    shift.clock_out_at = shift.clock_out_verified_at = shift.scheduled_end
    shift.status = ShiftStatus.COMPLETED
    shift.save()
    client = Client()
    client.force_login(tenant.client_contact)
    page = client.get("/portal/", {"day": tuesday.isoformat()})
    coverage = page.content.decode().split('data-testid="coverage">', 1)[1].split("</dd>", 1)[0]
    return coverage


def client_on_target(tenant: Tenant, api: ApiClient) -> bool:
    # 6 minutes of an 8-hour shift lost (98.75 % on post): on target at the default 98 %
    return "On target" in _portal_coverage_word(tenant, late_minutes=6)


def client_attention(tenant: Tenant, api: ApiClient) -> bool:
    # 24 minutes lost (95 %): attention at the default 90 %, below target past 96 %
    return "Attention" in _portal_coverage_word(tenant, late_minutes=24)


@dataclass(frozen=True)
class Case:
    scenario: Callable[[Tenant, ApiClient], bool]
    override: float
    """The company's value: it flips the scenario's outcome."""
    happens_by_default: bool
    also: dict[str, float] = field(default_factory=dict)
    """Other overrides set in both runs (the scenario needs them; they are not under test)."""


CASES: dict[str, Case] = {
    "low_accuracy_m": Case(low_accuracy, override=200.0, happens_by_default=True),
    "ping_max_accuracy_m": Case(ping_max_accuracy, override=80.0, happens_by_default=True),
    "impossible_speed_mps": Case(impossible_speed, override=10.0, happens_by_default=False),
    "unit_mismatch_m": Case(unit_mismatch, override=300.0, happens_by_default=True),
    "min_narrative_words": Case(min_narrative_words, override=60, happens_by_default=False),
    "outside_shift_grace_min": Case(outside_shift_grace, override=10, happens_by_default=False),
    "clock_skew_min": Case(clock_skew, override=10, happens_by_default=True),
    "late_clock_in_grace_min": Case(late_clock_in_grace, override=15, happens_by_default=True),
    "early_clock_out_grace_min": Case(early_clock_out_grace, override=15, happens_by_default=True),
    "no_show_after_min": Case(no_show_after, override=30, happens_by_default=True),
    "missed_clock_out_after_min": Case(missed_clock_out_after, override=10, happens_by_default=False),
    "backdated_clock_event_min": Case(backdated_clock_event, override=30, happens_by_default=True),
    "clock_evidence_window_min": Case(clock_evidence_window, override=20, happens_by_default=True),
    "exit_buffer_m": Case(exit_buffer, override=60.0, happens_by_default=True),
    "accuracy_tolerance_cap_m": Case(accuracy_tolerance_cap, override=40.0, happens_by_default=True),
    "exit_dwell_min": Case(exit_dwell, override=25.0, happens_by_default=True),
    "return_dwell_min": Case(return_dwell, override=5.0, happens_by_default=False),
    "signal_gap_min": Case(signal_gap, override=20.0, happens_by_default=False, also={"impossible_speed_mps": 1.0}),
    "out_of_position_allowed_min": Case(out_of_position_allowed, override=30, happens_by_default=True),
    "inactivity_radius_m": Case(inactivity_radius, override=30.0, happens_by_default=False),
    "inactivity_allowed_min": Case(inactivity_allowed, override=90, happens_by_default=True),
    "missed_checkpoint_grace_min": Case(missed_checkpoint_grace, override=30, happens_by_default=True),
    "alert_escalation_min": Case(alert_escalation, override=20, happens_by_default=True),
    "client_on_target_pct": Case(client_on_target, override=99.5, happens_by_default=True),
    "client_attention_pct": Case(client_attention, override=96.0, happens_by_default=True),
}


def test_every_threshold_has_an_override_case() -> None:
    # a new threshold needs a case here proving the company's value is the one used
    # (agency_terms rides along with the thresholds but is not one: it has no "why")
    assert sorted(CASES) == sorted(f.name for f in fields(Thresholds) if "why" in f.metadata)
    assert sorted(CASES) == sorted(name for name, _, _ in Thresholds.documented())
    for name, case in CASES.items():
        assert case.override != getattr(DEFAULTS, name), name
        assert name not in case.also, name


@pytest.mark.parametrize("overridden", [False, True], ids=["defaults", "company-override"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_companys_threshold_decides_the_outcome(
    name: str, overridden: bool, tenant: Tenant, guard_api: ApiClient
) -> None:
    # given the company's Rule settings (with or without an override of this threshold)
    case = CASES[name]
    overrides = {**case.also, **({name: case.override} if overridden else {})}
    if overrides:
        RuleSettings.objects.create(company=tenant.company, overrides=overrides)
    # and another company that overrides it the other way (it must not matter here)
    rival = factories.CompanyFactory(slug="rival-thresholds")
    rival_value = getattr(DEFAULTS, name) if overridden else case.override
    RuleSettings.objects.create(company=rival, overrides={name: rival_value})

    # when the scenario plays out, then the outcome follows this company's value
    assert case.scenario(tenant, guard_api) is (case.happens_by_default != overridden)


# --- One lookup of the thresholds per request and per pass ----------------------------


def _threshold_reads(captured: CaptureQueriesContext) -> int:
    return sum(RuleSettings._meta.db_table in query["sql"] for query in captured.captured_queries)


Send = Callable[[], Any]


def _report_body(shift: Shift) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "shift_id": shift.pk,
        "type": "trespass",
        "occurred_at": timezone.now().isoformat(),
        "position": _position(),
        "location_detail": "North stairwell",
        "narrative": "At 02:10 I found a man sleeping in the north stairwell. I asked him to leave; he left.",
    }


def _clock_in_write(api: ApiClient, shift: Shift) -> Send:
    return lambda: api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": _position()})


def _clock_out_write(api: ApiClient, shift: Shift) -> Send:
    _clock_in(api, shift)
    return lambda: api.post_json(f"/shifts/{shift.pk}/clock-out", {"position": _position()})


def _incident_write(api: ApiClient, shift: Shift) -> Send:
    return lambda: api.post_json("/incidents", _report_body(shift))


def _amendment_write(api: ApiClient, shift: Shift) -> Send:
    filed = _report_body(shift)
    assert api.post_json("/incidents", filed).status_code == 201
    manager = factories.ManagerFactory(company=shift.post.site.client.company)
    report = IncidentReport.objects.select_related("shift__post__site").get(pk=filed["id"])
    incident_return_for_correction(report=report, reviewer=manager, comment="Which gate?")
    amended = {key: value for key, value in filed.items() if key not in ("id", "shift_id")}
    amended["narrative"] += " It was gate B."
    return lambda: api.put_json(f"/incidents/{filed['id']}", amended)


def _pings_write(api: ApiClient, shift: Shift) -> Send:
    return lambda: api.post_json("/pings", {"pings": [_ping(shift, timezone.now())]})


def _activity_write(api: ApiClient, shift: Shift) -> Send:
    entry = {"id": str(uuid.uuid4()), "shift_id": shift.pk, "recorded_at": timezone.now().isoformat()}
    return lambda: api.post_json("/activity", {**entry, "position": _position(), "text": "All doors locked."})


def _scan_write(api: ApiClient, shift: Shift) -> Send:
    checkpoint = factories.CheckpointFactory(site=shift.post.site)
    scan = {"id": str(uuid.uuid4()), "code": checkpoint.code, "recorded_at": timezone.now().isoformat()}
    return lambda: api.post_json("/checkpoints/scan", {**scan, "position": _position()})


def _panic_write(api: ApiClient, shift: Shift) -> Send:
    return lambda: api.post_json("/alerts/panic", {"id": str(uuid.uuid4()), "position": _position()})


WRITES: dict[str, Callable[[ApiClient, Shift], Send]] = {
    "clock-in": _clock_in_write,
    "clock-out": _clock_out_write,
    "incident": _incident_write,
    "amendment": _amendment_write,
    "pings": _pings_write,
    "activity": _activity_write,
    "checkpoint-scan": _scan_write,
    "panic": _panic_write,
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_phones_write_reads_the_companys_thresholds_once(write: str, tenant: Tenant, guard_api: ApiClient) -> None:
    # given the company's overrides and the guard's shift in progress
    RuleSettings.objects.create(company=tenant.company, overrides={"low_accuracy_m": 120.0})
    shift = _shift(tenant, started_ago=timedelta(minutes=2), length=timedelta(minutes=10))
    send = WRITES[write](guard_api, shift)

    # when the phone writes, then the thresholds are read in one query, not once per step
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code in (200, 201), response.content
    assert _threshold_reads(captured) == 1


def test_one_monitoring_pass_judges_each_company_by_its_own_thresholds_read_in_one_query(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    # given three companies' shifts that started 20 minutes ago with nobody clocked in: one company
    # allows 30 minutes before a no-show, one keeps the default 15, one allows only 10
    third = factories.PostFactory(site=factories.SiteFactory(client=factories.ClientFactory()))
    shifts = {}
    for name, post, guard, overrides in (
        ("relaxed", tenant.post, tenant.guard, {"no_show_after_min": 30}),
        ("default", other_tenant.post, other_tenant.guard, None),
        ("strict", third, factories.GuardFactory(company=third.site.client.company), {"no_show_after_min": 10}),
    ):
        if overrides is not None:
            RuleSettings.objects.create(company=post.site.client.company, overrides=overrides)
        starts = _now() - timedelta(minutes=20)
        shifts[name] = factories.ShiftFactory(
            post=post, guard=guard, scheduled_start=starts, scheduled_end=starts + timedelta(hours=8)
        )

    # when one pass runs over all of them
    with CaptureQueriesContext(connection) as captured:
        result = shifts_monitor(now=_now())

    # then each shift is judged by its own company's value, all read in one query
    no_shows = {
        name: Flag.objects.filter(shift=shift, code="NO_SHOW", status=FlagStatus.OPEN).exists()
        for name, shift in shifts.items()
    }
    assert no_shows == {"relaxed": False, "default": True, "strict": True}
    assert result.shifts == 3
    assert _threshold_reads(captured) == 1

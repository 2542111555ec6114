"""Gather an incident report's facts for the rules in a few queries."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.gis.db.models.functions import Distance

from backend.accounts.models import Role, User
from backend.incidents.models import IncidentReport
from backend.rules.report_rules import ReportFacts, UnitFact
from backend.rules.selectors import agency_terms_for
from backend.rules.thresholds import Thresholds
from backend.rules.timing import DeviceTimes
from backend.sites.models import Unit
from backend.sites.selectors import site_verdict
from backend.tracking.models import Ping
from geofence.classify import Verdict
from geofence.fixes import Fix


def _fixes_around(*, report: IncidentReport, thresholds: Thresholds) -> tuple[Fix, ...]:
    """The shift's usable breadcrumbs nearest before and after the report's fix, within a signal gap.

    Both sides are on the phone's clock (breadcrumbs keep the device's recorded_at), so
    the phone's skew cancels out. A breadcrumb farther away in time bounds nothing.
    """
    if report.location is None:
        return ()
    window = timedelta(minutes=thresholds.signal_gap_min)
    rows = (
        Ping.objects.filter(
            shift_id=report.shift_id,
            recorded_at__range=(report.recorded_at - window, report.recorded_at + window),
            is_mock=False,
            location__isnull=False,
            accuracy_m__gt=0,
            accuracy_m__lte=thresholds.ping_max_accuracy_m,
        )
        .order_by("recorded_at")
        .values_list("recorded_at", "location", "accuracy_m")
    )
    fixes = [Fix(at, point.x, point.y, accuracy) for at, point, accuracy in rows]
    before = [fix for fix in fixes if fix.recorded_at < report.recorded_at]
    after = [fix for fix in fixes if fix.recorded_at > report.recorded_at]
    return (*before[-1:], *after[:1])


def report_facts(*, report: IncidentReport, thresholds: Thresholds) -> ReportFacts:
    """Facts of the report as stored now (caller has loaded shift, post, site and type)."""
    site = report.shift.post.site
    position = (
        Fix(
            recorded_at=report.recorded_at,
            lon=report.location.x,
            lat=report.location.y,
            accuracy_m=report.accuracy_m or 0.0,
            is_mock=report.is_mock,
        )
        if report.location is not None
        else None
    )
    verdict = None
    if position is not None:
        verdict = (
            Verdict(report.fence, report.distance_m or 0.0)  # type: ignore[arg-type]
            if report.fence
            else site_verdict(
                site=site,
                lon=position.lon,
                lat=position.lat,
                accuracy_m=position.accuracy_m,
                max_accuracy_m=thresholds.low_accuracy_m,
            )
        )
    units = Unit.objects.filter(site=site).only("id", "label", "building", "unit_number")
    if report.location is not None:
        units = units.annotate(distance=Distance("location", report.location))
    site_units = tuple(
        UnitFact(
            id=unit.pk,
            label=unit.label,
            building=unit.building,
            unit_number=unit.unit_number,
            distance_m=unit.distance.m if report.location is not None else None,
        )
        for unit in units
    )
    chosen = next((unit for unit in site_units if unit.id == report.unit_id), None)
    return ReportFacts(
        type_code=report.type.code,
        type_name=report.type.name,
        required_fields=tuple(report.type.required_fields),
        occurred_at=report.occurred_at,
        shift_start=report.shift.scheduled_start,
        shift_end=report.shift.scheduled_end,
        site_name=site.name,
        position=position,
        verdict=verdict,
        unit=chosen,
        site_units=site_units,
        location_detail=report.location_detail,
        address=report.address,
        narrative=report.narrative,
        persons=tuple(report.persons or ()),
        emergency=report.emergency,
        photo_count=report.photos.count(),
        device_times=DeviceTimes(
            recorded_at=report.recorded_at, sent_at=report.sent_at, received_at=report.received_at
        ),
        fixes_around=_fixes_around(report=report, thresholds=thresholds),
        zone_name=site.timezone,
        agency_terms=agency_terms_for(thresholds=thresholds, site_terms=site.agency_terms),
        guard_names=_guard_surnames(company_id=report.guard.company_id),
    )


def _guard_surnames(*, company_id: int | None) -> tuple[str, ...]:
    """The company's guards' surnames: "Officer Ruiz took over post 3" is one of ours, not the police."""
    if company_id is None:
        return ()
    names = User.objects.filter(company_id=company_id, role=Role.GUARD).exclude(last_name="")
    return tuple(sorted(set(names.values_list("last_name", flat=True))))

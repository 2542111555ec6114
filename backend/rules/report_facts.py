"""Gather an incident report's facts for the rules in a few queries."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import Distance

from backend.flags.position_rules import ReportedPosition
from backend.incidents.models import IncidentReport
from backend.rules.report_rules import ReportFacts, UnitFact
from backend.sites.models import Unit
from backend.sites.selectors import site_verdict
from backend.tracking.timing import DeviceTimes
from geofence.classify import Verdict


def report_facts(*, report: IncidentReport) -> ReportFacts:
    """Facts of the report as stored now (caller has loaded shift, post, site and type)."""
    site = report.shift.post.site
    position = (
        ReportedPosition(
            lat=report.location.y, lon=report.location.x, accuracy_m=report.accuracy_m or 0.0, is_mock=report.is_mock
        )
        if report.location is not None
        else None
    )
    verdict = None
    if position is not None:
        verdict = (
            Verdict(report.fence, report.distance_m or 0.0)  # type: ignore[arg-type]
            if report.fence
            else site_verdict(site=site, lon=position.lon, lat=position.lat, accuracy_m=position.accuracy_m)
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
    )

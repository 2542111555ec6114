"""Rules over an incident report: each complaint reason in the product brief is a rule.

Facts are gathered once per report (`backend.incidents.facts`); the rules below are
pure and run in the order registered. The emergency and completeness rules read the
narrative with the `narrative` package.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.core.localtime import DATE_TIME_SECONDS, local_time
from backend.rules.findings import Finding, FlagCode, Severity
from backend.rules.position import describe_distance, position_findings
from backend.rules.registry import RuleSet
from backend.rules.thresholds import Thresholds
from backend.rules.timing import DeviceTimes, clock_skew_findings
from geofence.classify import Verdict
from geofence.fixes import Fix
from geofence.integrity import impossible_travel
from narrative.completeness import is_too_thin, meaningful_word_count, report_completeness
from narrative.emergency import EmergencyMention, attended_services, find_emergency_mentions


@dataclass(frozen=True)
class UnitFact:
    id: int
    label: str
    building: str
    unit_number: str
    distance_m: float | None
    """Metres from where the guard stood (None without a position)."""


@dataclass(frozen=True)
class ReportFacts:
    """Everything the report rules look at, gathered in a few queries."""

    type_code: str
    type_name: str
    required_fields: tuple[str, ...]
    occurred_at: datetime
    shift_start: datetime
    shift_end: datetime
    site_name: str
    position: Fix | None
    verdict: Verdict | None
    unit: UnitFact | None
    site_units: tuple[UnitFact, ...]
    location_detail: str
    address: str
    narrative: str
    persons: tuple[Any, ...]
    emergency: dict[str, Any] | None
    photo_count: int
    device_times: DeviceTimes | None
    fixes_around: tuple[Fix, ...] = ()
    """The shift's usable breadcrumbs nearest before and after the report's fix (phone clock)."""
    zone_name: str = "UTC"
    """The site's IANA time zone: messages show its clock."""
    agency_terms: tuple[dict[str, Any], ...] = ()
    """The company's and the site's own words for fire, police and EMS, added to the defaults."""
    guard_names: tuple[str, ...] = ()
    """The company's guards' surnames: "Officer <surname>" among them is our guard, not the police."""


REPORT_RULES: RuleSet[ReportFacts] = RuleSet("incident report")

_WHAT = "The report"
_ELEMENT_WORDS = {
    "what": "what happened",
    "where": "where on site it happened",
    "action": "what the officer did about it",
}
_NARRATIVE_ELEMENTS = tuple(_ELEMENT_WORDS)


@REPORT_RULES.register(
    FlagCode.LOCATION_MISSING, FlagCode.LOW_ACCURACY, FlagCode.OUTSIDE_GEOFENCE, FlagCode.MOCK_LOCATION
)
def position_rules(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Was the report filed with a genuine, precise position on the site?"""
    return position_findings(
        position=facts.position,
        verdict=facts.verdict,
        site_name=facts.site_name,
        what=_WHAT,
        low_accuracy_m=thresholds.low_accuracy_m,
    )


@REPORT_RULES.register(FlagCode.IMPOSSIBLE_TRAVEL)
def impossible_travel_to_report(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Was the report filed from where the guard's own breadcrumbs around it say they could not be?

    The report's fix against the nearest breadcrumb before and after it, with the shift
    rule's speed limit and accuracy allowance (geofence.integrity): a report "from the
    site" sent from home is caught even when home is inside nobody's fence.
    """
    if facts.position is None or facts.device_times is None or not facts.fixes_around:
        return []
    report_fix = Fix(facts.device_times.recorded_at, facts.position.lon, facts.position.lat, facts.position.accuracy_m)
    # The breadcrumbs were already found usable; the report's own fix may be coarse, and
    # its accuracy is granted in full by the speed check.
    jumps = impossible_travel(
        (report_fix, *facts.fixes_around), max_speed_mps=thresholds.impossible_speed_mps, max_accuracy_m=math.inf
    )
    findings = []
    for jump in jumps:
        if report_fix not in (jump.from_fix, jump.to_fix):
            continue  # two breadcrumbs in a row: the shift rule's finding, not the report's
        before = jump.to_fix == report_fix
        crumb = jump.from_fix if before else jump.to_fix
        when = "earlier" if before else "later"
        findings.append(
            Finding(
                FlagCode.IMPOSSIBLE_TRAVEL,
                Severity.WARNING,
                f"The report was filed {describe_distance(jump.distance_m)} from where the guard's phone was "
                f"{jump.seconds:.0f} seconds {when} (breadcrumb at "
                f"{local_time(crumb.recorded_at, facts.zone_name, DATE_TIME_SECONDS)}): "
                f"{jump.speed_mps * 3.6:.0f} km/h, faster than anyone travels on duty.",
                {
                    "report": {
                        "at": report_fix.recorded_at.isoformat(),
                        "lat": report_fix.lat,
                        "lon": report_fix.lon,
                        "accuracy_m": report_fix.accuracy_m,
                    },
                    "breadcrumb": {
                        "at": crumb.recorded_at.isoformat(),
                        "lat": crumb.lat,
                        "lon": crumb.lon,
                        "accuracy_m": crumb.accuracy_m,
                    },
                    "distance_m": round(jump.distance_m, 1),
                    "seconds": jump.seconds,
                    "speed_mps": round(jump.speed_mps, 1),
                    "max_speed_mps": thresholds.impossible_speed_mps,
                },
                key="travel:before" if before else "travel:after",
            )
        )
    return findings


@REPORT_RULES.register(FlagCode.CLOCK_SKEW)
def clock_skew(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Was the phone's clock so wrong that its times needed correcting?"""
    if facts.device_times is None:
        return []
    return clock_skew_findings(
        facts.device_times, what="report", threshold=timedelta(minutes=thresholds.clock_skew_min)
    )


@REPORT_RULES.register(FlagCode.OUTSIDE_SHIFT)
def outside_shift(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Did the incident happen outside the guard's shift (plus a grace period)?"""
    grace = timedelta(minutes=thresholds.outside_shift_grace_min)
    if facts.shift_start - grace <= facts.occurred_at <= facts.shift_end + grace:
        return []
    if facts.occurred_at < facts.shift_start:
        gap, side = facts.shift_start - facts.occurred_at, "before the shift started"
    else:
        gap, side = facts.occurred_at - facts.shift_end, "after the shift ended"
    return [
        Finding(
            FlagCode.OUTSIDE_SHIFT,
            Severity.WARNING,
            f"The incident is dated {_describe_duration(gap)} {side}; the guard was not on duty then.",
            {
                "occurred_at": facts.occurred_at.isoformat(),
                "shift_start": facts.shift_start.isoformat(),
                "shift_end": facts.shift_end.isoformat(),
                "minutes_outside": round(gap.total_seconds() / 60),
            },
        )
    ]


_UNIT_REFERENCE = re.compile(
    r"\b(?:(?:unit|apt|apartment|suite|ste)\.?\s*#?\s*|#\s*)(?P<unit>[a-z]?\d{1,5}[a-z]?)\b"
    r"|\b(?:building|bldg)\.?\s+(?P<building>[a-z0-9]{1,12})\b",
    re.IGNORECASE,
)


def _unit_references(*texts: str) -> tuple[set[str], set[str]]:
    """Unit numbers and building names a guard typed ("Bldg D, apt 12", "#204")."""
    units: set[str] = set()
    buildings: set[str] = set()
    for text in texts:
        for match in _UNIT_REFERENCE.finditer(text):
            if match.group("unit"):
                units.add(match.group("unit").lower())
            if match.group("building"):
                buildings.add(match.group("building").lower())
    return units, buildings


def _nearest_unit(facts: ReportFacts) -> UnitFact | None:
    placed = [unit for unit in facts.site_units if unit.distance_m is not None]
    return min(placed, key=lambda unit: unit.distance_m or 0.0) if placed else None


@REPORT_RULES.register(FlagCode.UNIT_UNKNOWN)
def unit_unknown(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Does the typed address name a building or unit the site does not have?

    A violation notice delivered to the wrong resident starts here: the guard typed
    "Bldg D #12" on a site without a building D.
    """
    if facts.unit is not None:
        return []
    units, buildings = _unit_references(facts.address, facts.location_detail)
    if not units and not buildings:
        return []
    known_units = {u.unit_number.lower() for u in facts.site_units if u.unit_number}
    known_buildings = {u.building.lower() for u in facts.site_units if u.building}
    unknown_units = sorted(units - known_units)
    unknown_buildings = sorted(buildings - known_buildings)
    if not unknown_units and not unknown_buildings:
        return []
    typed = ", ".join(
        [*(f"building {b.upper()}" for b in unknown_buildings), *(f"unit {u.upper()}" for u in unknown_units)]
    )
    labels = [unit.label for unit in facts.site_units]
    similar = difflib.get_close_matches(f"{facts.address} {facts.location_detail}".strip(), labels, n=3, cutoff=0.3)
    nearest = _nearest_unit(facts)
    suggestion = f" The nearest registered place to the guard was {nearest.label}." if nearest else ""
    return [
        Finding(
            FlagCode.UNIT_UNKNOWN,
            Severity.WARNING,
            f"The report names {typed}, which is not in {facts.site_name}'s address registry.{suggestion}",
            {
                "typed_address": facts.address,
                "typed_location": facts.location_detail,
                "unknown_units": unknown_units,
                "unknown_buildings": unknown_buildings,
                "similar_units": similar,
                "nearest_unit": {"id": nearest.id, "label": nearest.label, "distance_m": nearest.distance_m}
                if nearest
                else None,
            },
        )
    ]


@REPORT_RULES.register(FlagCode.UNIT_LOCATION_MISMATCH)
def unit_location_mismatch(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Is the chosen unit far from where the guard stood? Suggest the nearest one."""
    if facts.unit is None or facts.unit.distance_m is None or facts.position is None or facts.position.is_mock:
        return []
    allowed = thresholds.unit_mismatch_m + facts.position.accuracy_m
    if facts.unit.distance_m <= allowed:
        return []
    nearest = _nearest_unit(facts)
    suggestion = (
        f" The nearest unit to the guard was {nearest.label} ({describe_distance(nearest.distance_m or 0)} away)."
        if nearest and nearest.id != facts.unit.id
        else ""
    )
    return [
        Finding(
            FlagCode.UNIT_LOCATION_MISMATCH,
            Severity.WARNING,
            f"The report names {facts.unit.label}, but the guard was {describe_distance(facts.unit.distance_m)} "
            f"from it when filing.{suggestion}",
            {
                "unit": {"id": facts.unit.id, "label": facts.unit.label},
                "distance_m": round(facts.unit.distance_m, 1),
                "allowed_m": round(allowed, 1),
                "nearest_unit": {
                    "id": nearest.id,
                    "label": nearest.label,
                    "distance_m": round(nearest.distance_m or 0, 1),
                }
                if nearest
                else None,
            },
        )
    ]


def _present(facts: ReportFacts, field: str) -> bool:
    values: dict[str, bool] = {
        "position": facts.position is not None,
        "unit_id": facts.unit is not None,
        "location_detail": bool(facts.location_detail.strip()),
        "address": bool(facts.address.strip()) or facts.unit is not None,
        "persons": bool(facts.persons),
        "emergency": facts.emergency is not None,
        "photos": facts.photo_count > 0,
    }
    return values.get(field, True)


_FIELD_NAMES = {
    "position": "a GPS position",
    "unit_id": "the unit",
    "location_detail": "where on site",
    "address": "the address",
    "persons": "the persons involved",
    "emergency": "the emergency section",
    "photos": "a photo",
}


@REPORT_RULES.register(FlagCode.INCOMPLETE_REPORT)
def incomplete_report(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Does the report hold what its type requires, and say what happened, where, and what the officer did?"""
    # A missing position is LOCATION_MISSING's finding; it is not reported twice.
    missing_fields = [f for f in facts.required_fields if f != "position" and not _present(facts, f)]
    if not facts.location_detail.strip() and "location_detail" not in missing_fields and facts.unit is None:
        missing_fields.append("location_detail")
    # "Who" is the persons field where the type requires it (a gate left open involves
    # nobody); "when" is the required occurred_at. The narrative must say what happened,
    # where, and what the officer did.
    missing_elements = [
        element
        for element in report_completeness(
            facts.narrative,
            location_detail=facts.location_detail or (facts.unit.label if facts.unit else ""),
            persons=list(facts.persons),
            occurred_at_given=True,
        )
        if element in _NARRATIVE_ELEMENTS
    ]
    word_count = meaningful_word_count(facts.narrative)
    too_thin = is_too_thin(facts.narrative, min_words=thresholds.min_narrative_words)
    if not missing_fields and not missing_elements and not too_thin:
        return []
    parts = []
    if missing_fields:
        parts.append(
            f"a {facts.type_name.lower()} report needs {_join([_FIELD_NAMES.get(f, f) for f in missing_fields])}"
        )
    if too_thin:
        parts.append(f"the narrative has {word_count} meaningful words, too few to tell what happened")
    if missing_elements:
        parts.append(f"the narrative does not say {_join([_ELEMENT_WORDS[e] for e in missing_elements])}")
    message = "The report is incomplete: " + "; ".join(parts) + "."
    return [
        Finding(
            FlagCode.INCOMPLETE_REPORT,
            Severity.WARNING,
            message,
            {
                "missing_fields": missing_fields,
                "missing_elements": missing_elements,
                "meaningful_words": word_count,
                "min_words": thresholds.min_narrative_words,
            },
        )
    ]


@REPORT_RULES.register(FlagCode.EMERGENCY_NOT_REPORTED)
def emergency_not_reported(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """Does the narrative say fire, police or EMS came, with no emergency section? Critical when it says
    so, a warning when it only mentions a service and does not say whether one came."""
    if facts.emergency is not None:
        return []
    mentions = find_emergency_mentions(facts.narrative, agency_terms=facts.agency_terms, guard_names=facts.guard_names)
    if not mentions:
        return []
    attended = attended_services(mentions)
    evidence: dict[str, Any] = {
        "services": attended or sorted({m.service for m in mentions}),
        "attended": attended,
        "phrases": [m.phrase for m in mentions],
        "sentences": [m.sentence for m in mentions],
        "reasons": [m.reason for m in mentions],
    }
    if attended:
        first = next(m for m in mentions if m.status == "attended")
        return [
            Finding(
                FlagCode.EMERGENCY_NOT_REPORTED,
                Severity.CRITICAL,
                f"The narrative says {_join([SERVICE_WORDING[s][0] for s in attended])} responded "
                f"(\u201c{first.sentence.strip()}\u201d) but the report has no emergency section: "
                "the client must hear about it from us.",
                evidence,
            )
        ]
    first = mentions[0]
    return [
        Finding(
            FlagCode.EMERGENCY_NOT_REPORTED,
            Severity.WARNING,
            f"The narrative mentions {_mentioned(first)} (\u201c{first.sentence.strip()}\u201d) \u2014 "
            f"{SERVICE_WORDING[first.service][2]} If so, add an emergency section.",
            evidence,
        )
    ]


# Per service: who responded, what a mere mention is, and the question it leaves.
SERVICE_WORDING: dict[str, tuple[str, str, str]] = {
    "fire": ("the fire department", "the fire department", "did the fire department come?"),
    "police": ("the police", "the police", "were the police called?"),
    "ems": ("EMS", "an ambulance", "was one called?"),
}


def _mentioned(mention: EmergencyMention) -> str:
    """The service named ("mentions an ambulance"), or the event itself ("mentions \u201csmoke\u201d")."""
    return f"\u201c{mention.phrase.strip()}\u201d" if mention.event else SERVICE_WORDING[mention.service][1]


@REPORT_RULES.register(FlagCode.EMERGENCY_DETAILS_MISSING)
def emergency_details_missing(facts: ReportFacts, thresholds: Thresholds) -> list[Finding]:
    """An emergency section without services, call time or reference number."""
    if facts.emergency is None:
        return []
    missing = [
        name
        for name, present in (
            ("which services came", bool(facts.emergency.get("services"))),
            ("when they were called", bool(facts.emergency.get("called_at"))),
            ("the incident or report number", bool(facts.emergency.get("reference"))),
        )
        if not present
    ]
    if not missing:
        return []
    return [
        Finding(
            FlagCode.EMERGENCY_DETAILS_MISSING,
            Severity.WARNING,
            f"The emergency section does not say {_join(missing)}.",
            {"emergency": facts.emergency, "missing": missing},
        )
    ]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _describe_duration(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = minutes / 60
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"

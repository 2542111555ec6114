"""Report rules, table-driven from realistic reports: each complaint reason becomes a flag."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from backend.rules.report_rules import REPORT_RULES, ReportFacts, UnitFact
from backend.rules.thresholds import DEFAULTS
from backend.rules.timing import DeviceTimes
from geofence.classify import Verdict
from geofence.fixes import Fix

SHIFT_START = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
SHIFT_END = SHIFT_START + timedelta(hours=8)
DURING = SHIFT_START + timedelta(hours=3)

GOOD_NARRATIVE = (
    "At 01:10 I found an unknown male sleeping in the Building A laundry room. I identified myself, "
    "asked him to leave, and escorted him to the main gate. He left on foot; I locked the laundry room."
)
BUILDING_A_101 = UnitFact(id=1, label="Building A, Unit 101", building="A", unit_number="101", distance_m=12.0)
BUILDING_A = UnitFact(id=2, label="Building A", building="A", unit_number="", distance_m=8.0)
# The unit on the far side of the site from where the guard stood.
BUILDING_C_305 = UnitFact(id=3, label="Building C, Unit 305", building="C", unit_number="305", distance_m=420.0)
SITE_UNITS = (BUILDING_A, BUILDING_A_101, BUILDING_C_305)

ON_SITE = Fix(DURING, -84.38, 33.78, 8.0)
# The guard's breadcrumbs 10 s before the report: 3 km north of it, and a few metres off.
CRUMB_3KM_NORTH_10S_BEFORE = Fix(DURING - timedelta(seconds=10), -84.38, 33.807, 8.0)
CRUMB_BESIDE_30S_AFTER = Fix(DURING + timedelta(seconds=30), -84.3801, 33.7801, 8.0)

BASE = ReportFacts(
    type_code="trespass",
    type_name="Trespass",
    required_fields=("location_detail",),
    occurred_at=DURING,
    shift_start=SHIFT_START,
    shift_end=SHIFT_END,
    site_name="Riverside Commons",
    position=ON_SITE,
    verdict=Verdict("inside", 0.0),
    unit=None,
    site_units=SITE_UNITS,
    location_detail="Building A laundry room",
    address="",
    narrative=GOOD_NARRATIVE,
    persons=({"role": "subject", "description": "male, 30s, grey hoodie"},),
    emergency=None,
    photo_count=0,
    device_times=DeviceTimes(recorded_at=DURING, sent_at=DURING, received_at=DURING + timedelta(seconds=2)),
)


def flags_of(facts: ReportFacts) -> dict[str, str]:
    run = REPORT_RULES.run(facts, DEFAULTS)
    return {finding.code: finding.message for finding in run.findings}


def test_a_complete_report_on_site_raises_nothing():
    assert flags_of(BASE) == {}


CASES = [
    pytest.param(
        {"position": replace(ON_SITE, lat=33.807), "verdict": Verdict("outside", 3000.0)},
        "OUTSIDE_GEOFENCE",
        "3.0 km from Riverside Commons",
        id="filed-3km-away",
    ),
    pytest.param({"position": None, "verdict": None}, "LOCATION_MISSING", "without a GPS position", id="no-position"),
    pytest.param(
        {"fixes_around": (CRUMB_3KM_NORTH_10S_BEFORE, CRUMB_BESIDE_30S_AFTER)},
        "IMPOSSIBLE_TRAVEL",
        "3.0 km from where the guard's phone was 10 seconds earlier",
        id="filed-3km-from-a-breadcrumb-10s-before",
    ),
    pytest.param(
        {"position": replace(ON_SITE, accuracy_m=850.0)}, "LOW_ACCURACY", "accuracy of 850 m", id="coarse-fix"
    ),
    pytest.param({"position": replace(ON_SITE, is_mock=True)}, "MOCK_LOCATION", "mock", id="mock-location"),
    pytest.param(
        {
            "narrative": "Tenant saw smoke coming from the dumpster; fire department responded, false alarm. "
            "I met the engine at the gate and escorted them to the dumpster enclosure behind Building A."
        },
        "EMERGENCY_NOT_REPORTED",
        "fire",
        id="fire-department-not-reported",
    ),
    pytest.param(
        {"emergency": {"services": ["fire"], "called_at": None, "reference": ""}},
        "EMERGENCY_DETAILS_MISSING",
        "when they were called and the incident or report number",
        id="emergency-without-details",
    ),
    pytest.param(
        {"unit": BUILDING_C_305},
        "UNIT_LOCATION_MISMATCH",
        "420 m from it",
        id="unit-on-far-side",
    ),
    pytest.param(
        {"address": "Bldg D apt 12", "location_detail": "front door"},
        "UNIT_UNKNOWN",
        "building D",
        id="typed-unit-not-in-registry",
    ),
    pytest.param({"narrative": "Trespasser. Left."}, "INCOMPLETE_REPORT", "too few", id="one-liner"),
    pytest.param(
        {"required_fields": ("location_detail", "unit_id"), "type_name": "Parking violation"},
        "INCOMPLETE_REPORT",
        "needs the unit",
        id="type-requires-unit",
    ),
    pytest.param({"location_detail": ""}, "INCOMPLETE_REPORT", "where on site", id="no-where-on-site"),
    pytest.param(
        {"occurred_at": SHIFT_END + timedelta(hours=5)}, "OUTSIDE_SHIFT", "after the shift ended", id="after-shift"
    ),
    pytest.param(
        {"device_times": DeviceTimes(recorded_at=DURING, sent_at=DURING, received_at=DURING + timedelta(minutes=42))},
        "CLOCK_SKEW",
        "42 minutes behind",
        id="phone-clock-behind",
    ),
]


@pytest.mark.parametrize(("changes", "code", "in_message"), CASES)
def test_rule_flags_the_problem_with_a_readable_message(changes, code, in_message):
    flags = flags_of(replace(BASE, **changes))
    assert code in flags, flags
    assert in_message in flags[code]


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {
                "narrative": "Checked the boiler room, no sign of fire. All doors of Building A locked at 02:00; "
                "I logged the check on the activity sheet and walked on to the garage."
            },
            id="no-sign-of-fire",
        ),
        pytest.param({"position": replace(ON_SITE, accuracy_m=30.0), "verdict": Verdict("near", 4.0)}, id="edge-30m"),
        pytest.param({"unit": BUILDING_A_101}, id="unit-where-the-guard-stood"),
        pytest.param({"fixes_around": (CRUMB_BESIDE_30S_AFTER,)}, id="breadcrumb-beside-the-report"),
        pytest.param({"address": "Building A, unit 101"}, id="typed-unit-in-registry"),
        pytest.param({"occurred_at": SHIFT_END + timedelta(minutes=20)}, id="written-up-just-after-shift"),
        pytest.param(
            {"emergency": {"services": ["fire"], "called_at": "2026-11-21T01:05:00Z", "reference": "AFR-22-1187"}},
            id="complete-emergency-section",
        ),
    ],
)
def test_what_a_careful_guard_files_is_not_flagged(changes):
    assert flags_of(replace(BASE, **changes)) == {}


def test_fence_edge_with_30m_accuracy_is_not_outside():
    # 4 m outside the line with a 30 m accuracy circle: the engine says "near".
    assert "OUTSIDE_GEOFENCE" not in flags_of(replace(BASE, verdict=Verdict("near", 4.0)))


def test_unit_mismatch_suggests_the_nearest_unit():
    finding = next(f for f in REPORT_RULES.run(replace(BASE, unit=BUILDING_C_305), DEFAULTS).findings)
    assert finding.evidence["nearest_unit"]["label"] == "Building A"
    assert "nearest unit to the guard was Building A" in finding.message


def test_company_thresholds_change_the_verdict():
    far_unit = replace(BASE, unit=replace(BUILDING_C_305, distance_m=300.0))
    assert "UNIT_LOCATION_MISMATCH" in flags_of(far_unit)
    relaxed = DEFAULTS.with_overrides({"unit_mismatch_m": 500})
    assert REPORT_RULES.run(far_unit, relaxed).findings == []


def test_every_rule_is_documented_and_owns_distinct_codes():
    owned = [code for rule in REPORT_RULES.rules for code in rule.codes]
    assert len(owned) == len(set(owned))
    assert all(rule.doc for rule in REPORT_RULES.rules)


# --- issue 10: the emergency flag says what was found ----------------------------------------


def emergency_finding(narrative: str, **changes: object):
    run = REPORT_RULES.run(replace(BASE, narrative=narrative, **changes), DEFAULTS)
    return next((f for f in run.findings if f.code == "EMERGENCY_NOT_REPORTED"), None)


def test_a_service_that_came_is_critical_and_says_who_responded():
    finding = emergency_finding("Engine 7 and the battalion chief arrived at 0310 for the dumpster fire.")
    assert finding is not None
    assert finding.severity == "critical"
    assert "says the fire department responded" in finding.message
    assert finding.evidence["reasons"][0].endswith("fire service attended")


def test_a_service_only_mentioned_is_a_warning_that_asks():
    finding = emergency_finding("Resident in 4B asked me about the ambulance her mother needs for dialysis.")
    assert finding is not None
    assert finding.severity == "warning"
    assert "mentions an ambulance" in finding.message
    assert "was one called?" in finding.message
    assert finding.evidence["attended"] == []


@pytest.mark.parametrize(
    "narrative",
    [
        pytest.param("A police car drove past the front gate without stopping.", id="patrol-car-passing"),
        pytest.param("Attended the first aid and CPR refresher course at the office.", id="cpr-course"),
        pytest.param("Noise complaint from apartment 911, asked them to turn it down.", id="apartment-911"),
        pytest.param("Told the resident to dial 911 if it happens again.", id="instruction"),
    ],
)
def test_a_mention_that_is_not_attendance_raises_no_critical_flag(narrative):
    finding = emergency_finding(narrative)
    assert finding is None or finding.severity != "critical"


def test_the_company_and_site_agency_words_reach_the_rule():
    narrative = "GSP arrived at 0200 and took the report from the tenant."
    assert emergency_finding(narrative) is None
    finding = emergency_finding(narrative, agency_terms=({"police": ["GSP"]},))
    assert finding is not None
    assert finding.severity == "critical"
    assert "says the police responded" in finding.message


def test_our_own_guards_named_officer_are_not_the_police_coming():
    # given the company's guards Ruiz and Okafor, and a narrative about their relief at the post
    narrative = "Officers Ruiz and Okafor arrived at 2200 and took the keys from day shift."
    # when the rules read it with the guard roster
    finding = emergency_finding(narrative, guard_names=("Ruiz", "Okafor"))
    # then nothing critical: they are ours; the same words without the roster still read as police
    assert finding is None or finding.severity != "critical"
    unknown = emergency_finding(narrative)
    assert unknown is not None
    assert unknown.severity == "critical"

"""Filing incident reports from a phone: the catalogue, checks, idempotent replays, amendments."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from backend.accounts.models import Company
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentReport, IncidentRevision, IncidentStatus, IncidentType, ReviewComment
from backend.incidents.services import (
    DEFAULT_INCIDENT_TYPES,
    IncidentContent,
    NewIncident,
    incident_return_for_correction,
    incident_submit,
    incident_types_seed_defaults,
)
from backend.rules.models import RuleSettings
from backend.tracking.models import Ping
from geofence.fixes import Fix
from tests import factories, geo
from tests.concurrency import race
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def position(where=geo.INSIDE_CENTER, *, accuracy_m=8.0, is_mock=False, **extra):
    return {
        "lat": where.y,
        "lon": where.x,
        "accuracy_m": accuracy_m,
        "recorded_at": timezone.now().isoformat(),
        "is_mock": is_mock,
        **extra,
    }


def incident_body(shift, **overrides):
    """A complete, plausible report on `shift`, filed from the middle of the site."""
    body = {
        "id": str(uuid.uuid4()),
        "shift_id": shift.pk,
        "type": "trespass",
        "occurred_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "position": position(),
        "location_detail": "North stairwell, level 2",
        "narrative": "At 02:10 I found a man sleeping in the north stairwell. I asked him to leave; he left by gate B.",
        "persons": [{"name": "Unknown male, 40s", "role": "suspect"}],
    }
    body.update(overrides)
    return body


@pytest.fixture
def shift(tenant):
    """The tenant guard's shift in progress now."""
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


@pytest.fixture
def colleague_shift(tenant):
    """Another guard of the same company, on shift at the same post."""
    return factories.ShiftFactory(post=tenant.post, guard=factories.GuardFactory(company=tenant.company))


@pytest.fixture
def rival_shift(other_tenant):
    return factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard)


def codes(response):
    return sorted(flag["code"] for flag in response.json()["flags"])


def file_directly(shift, **content):
    """A report filed through the service (for tests about what happens after filing)."""
    defaults = {
        "type_code": "trespass",
        "occurred_at": timezone.now() - timedelta(minutes=5),
        "narrative": (
            "At 01:40 I found gate B standing open with the chain cut. I closed it, locked "
            "it with a spare padlock and walked the whole lot; nobody was there."
        ),
        "location_detail": "Gate B",
    }
    return incident_submit(
        guard=shift.guard,
        data=NewIncident(id=uuid.uuid4(), shift_id=shift.pk, content=IncidentContent(**{**defaults, **content})),
    ).report


# --- Catalogue --------------------------------------------------------------------------


def test_a_new_company_gets_the_default_catalogue_and_seeding_again_changes_nothing():
    # given a company created now (the post_save signal seeds it)
    company = Company.objects.create(name="Fresh Security", slug="fresh")
    custom = IncidentType.objects.get(company=company, code="noise")
    custom.name = "Noise (after 22:00)"
    custom.save()

    # when the defaults are seeded again (as seed_demo does)
    incident_types_seed_defaults(company=company)

    # then every default exists once and the company's edit is kept
    assert IncidentType.objects.filter(company=company).count() == len(DEFAULT_INCIDENT_TYPES)
    assert IncidentType.objects.get(company=company, code="noise").name == "Noise (after 22:00)"
    parking = IncidentType.objects.get(company=company, code="parking_violation")
    assert "unit_id" in parking.required_fields
    assert "emergency" in IncidentType.objects.get(company=company, code="fire_alarm").required_fields
    assert "persons" in IncidentType.objects.get(company=company, code="theft").required_fields


def test_incident_types_lists_the_active_types_of_the_guards_company_only(
    tenant, other_tenant, guard_api, django_assert_max_num_queries
):
    IncidentType.objects.filter(company=tenant.company, code="noise").update(is_active=False)
    IncidentType.objects.create(company=other_tenant.company, code="rival_only", name="Rival only")

    with django_assert_max_num_queries(4):
        response = guard_api.get_json("/incident-types")

    assert response.status_code == 200
    listed = {item["code"]: item for item in response.json()}
    assert "noise" not in listed
    assert "rival_only" not in listed
    assert listed["parking_violation"]["required_fields"] == ["unit_id", "photos"]
    assert listed["medical"]["severity"] == "critical"
    assert set(listed["trespass"]) == {"code", "name", "severity", "required_fields"}


def test_every_endpoint_needs_a_token(anonymous_api):
    report_id = uuid.uuid4()
    assert anonymous_api.get_json("/incident-types").status_code == 401
    assert anonymous_api.get_json("/incidents").status_code == 401
    assert anonymous_api.get_json(f"/incidents/{report_id}").status_code == 401
    assert anonymous_api.post_json("/incidents", {}).status_code == 401
    assert anonymous_api.put_json(f"/incidents/{report_id}", {}).status_code == 401


# --- Filing -----------------------------------------------------------------------------


def test_guard_files_a_clean_report_and_gets_no_flags(tenant, shift, guard_api):
    # given a unit of the shift's site and a phone clock in step with the server
    unit = factories.UnitFactory(site=tenant.site, location=geo.INSIDE_CENTER)
    body = incident_body(shift, unit_id=unit.pk, sent_at=timezone.now().isoformat())

    # when the guard files it
    response = guard_api.post_json("/incidents", body)

    # then it is stored as submitted version 1, with where and when as evidence
    assert response.status_code == 201, response.json()
    assert response.json() == {"id": body["id"], "status": "submitted", "version": 1, "flags": []}
    assert "Idempotent-Replayed" not in response
    report = IncidentReport.objects.get(pk=body["id"])
    assert (report.guard, report.shift, report.unit, report.type.code) == (tenant.guard, shift, unit, "trespass")
    assert report.fence == "inside"
    assert report.distance_m == 0
    assert report.sent_at is not None
    assert abs((report.received_at - timezone.now()).total_seconds()) < 60
    assert report.persons == [{"name": "Unknown male, 40s", "role": "suspect", "description": "", "phone": ""}]
    assert len(report.payload_sha256) == 64


def test_a_mocked_fix_3_km_away_raises_both_flags_with_the_distance_in_metres(shift, guard_api):
    # given a report sent from 3 km east of the site, mocked, with an 8 m accuracy circle
    body = incident_body(shift, position=position(geo.OUTSIDE_3KM, is_mock=True))

    response = guard_api.post_json("/incidents", body)

    assert response.status_code == 201
    assert codes(response) == ["MOCK_LOCATION", "OUTSIDE_GEOFENCE"]
    outside = next(flag for flag in response.json()["flags"] if flag["code"] == "OUTSIDE_GEOFENCE")
    assert outside["evidence"]["distance_m"] == pytest.approx(3000, abs=5)
    assert "3.0 km" in outside["message"]
    report = IncidentReport.objects.get(pk=body["id"])
    assert report.fence == "outside"
    assert report.distance_m == pytest.approx(3000, abs=5)
    assert report.is_mock


def _filed_with_a_coarse_fix(shift, guard_api, where, accuracy_m):
    """File a report from `where` with an `accuracy_m` circle: it is stored with the fence
    "unknown" and one LOW_ACCURACY warning. Returns that flag and the stored report."""
    body = incident_body(shift, position=position(where, accuracy_m=accuracy_m))

    response = guard_api.post_json("/incidents", body)

    assert response.status_code == 201
    [flag] = response.json()["flags"]
    assert (flag["code"], flag["severity"]) == ("LOW_ACCURACY", "warning")
    report = IncidentReport.objects.get(pk=body["id"])
    assert report.fence == "unknown"
    return flag, report


def test_a_fix_coarser_than_the_limit_is_unknown_and_keeps_its_distance_as_evidence(shift, guard_api):
    # given a report sent from 3 km east of the site with a 250 m accuracy circle (limit 100 m)
    flag, _ = _filed_with_a_coarse_fix(shift, guard_api, geo.OUTSIDE_3KM, 250.0)

    # then the fence decides nothing; the warning says so, with where the fix's centre was
    assert "unknown" in flag["message"]
    assert flag["evidence"]["distance_m"] == pytest.approx(3000, abs=5)


def test_an_inflated_accuracy_does_not_make_a_report_49_km_away_near(tenant, shift, guard_api):
    # given a report filed 49.7 km from the fence, claiming a 99 km accuracy circle
    flag, report = _filed_with_a_coarse_fix(shift, guard_api, geo.OUTSIDE_49_7KM, 99_000.0)

    # then it is stored "unknown", never "near", with a warning that the position could not be checked
    assert "too coarse to check" in flag["message"]
    assert "49.7 km from the fence" in flag["message"]
    assert report.distance_m == pytest.approx(49_700, abs=50)


def test_the_companys_accuracy_limit_decides_what_is_too_coarse(tenant, shift, guard_api):
    # given a company that accepts fixes up to 300 m
    RuleSettings.objects.create(company=tenant.company, overrides={"low_accuracy_m": 300})

    response = guard_api.post_json(
        "/incidents", incident_body(shift, position=position(geo.INSIDE_CENTER, accuracy_m=250.0))
    )

    # then a 250 m fix on site is judged ("inside"), not unknown
    assert response.status_code == 201
    assert codes(response) == []
    assert IncidentReport.objects.get(pk=response.json()["id"]).fence == "inside"


def test_a_report_without_a_position_is_flagged_location_missing(shift, guard_api):
    response = guard_api.post_json("/incidents", incident_body(shift, position=None))

    assert response.status_code == 201
    assert codes(response) == ["LOCATION_MISSING"]


def test_a_phone_clock_two_hours_behind_is_flagged_from_the_x_sent_at_header(shift, guard_api):
    two_hours_behind = (timezone.now() - timedelta(hours=2)).isoformat()

    response = guard_api.post_json("/incidents", incident_body(shift), headers={"X-Sent-At": two_hours_behind})

    assert response.status_code == 201
    assert codes(response) == ["CLOCK_SKEW"]
    assert response.json()["flags"][0]["evidence"]["skew_seconds"] == pytest.approx(7200, abs=60)


def test_the_same_incident_sent_5_times_interleaved_with_another_stores_exactly_2(shift, guard_api):
    # given two reports, the first retried by a phone on a flaky network
    first = incident_body(shift, position=None)
    second = incident_body(
        shift,
        type="vandalism",
        narrative=(
            "At 03:15 I found fresh red graffiti on the east wall of building C. I photographed "
            "it, taped off the wet paint and notified the property manager."
        ),
    )

    # when the phone sends first, second, first, first, second, first, first
    responses = [
        guard_api.post_json("/incidents", body) for body in (first, second, first, first, second, first, first)
    ]

    # then two reports exist, each replay answered exactly like the original
    assert IncidentReport.objects.count() == 2
    assert Flag.objects.filter(incident_id=first["id"]).count() == 1
    assert all(response.status_code == 201 for response in responses)
    first_answers = [r.json() for r in responses if r.json()["id"] == first["id"]]
    assert len(first_answers) == 5
    assert all(answer == first_answers[0] for answer in first_answers)
    assert [r.get("Idempotent-Replayed") for r in responses] == [None, None, "true", "true", "true", "true", "true"]


def test_a_replay_with_a_new_sent_at_is_still_a_replay(shift, guard_api):
    body = incident_body(shift)
    guard_api.post_json("/incidents", {**body, "sent_at": timezone.now().isoformat()})

    response = guard_api.post_json(
        "/incidents", {**body, "sent_at": (timezone.now() + timedelta(seconds=30)).isoformat()}
    )

    assert response.status_code == 201
    assert response["Idempotent-Replayed"] == "true"
    assert IncidentReport.objects.count() == 1


def test_the_same_id_with_a_different_body_is_409_and_changes_nothing(shift, guard_api):
    body = incident_body(shift)
    guard_api.post_json("/incidents", body)

    response = guard_api.post_json("/incidents", {**body, "narrative": "Something else entirely happened."})

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert IncidentReport.objects.get().narrative == body["narrative"]


def test_another_guard_reusing_a_report_id_is_409_and_learns_nothing(shift, colleague_shift):
    body = incident_body(shift)
    api_client_for(shift.guard).post_json("/incidents", body)

    response = api_client_for(colleague_shift.guard, device_id="colleague").post_json(
        "/incidents", {**body, "shift_id": colleague_shift.pk}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert IncidentReport.objects.get().guard == shift.guard


@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_store_one_report(tenant):
    # given two phones' worth of threads sending the same report at once
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    data = NewIncident(
        id=uuid.uuid4(),
        shift_id=shift.pk,
        content=IncidentContent(
            type_code="trespass",
            occurred_at=timezone.now() - timedelta(minutes=1),
            narrative=(
                "At 23:50 two men were climbing the fence at the loading dock. I shouted a warning, "
                "they dropped back over the fence and ran toward the rail yard; I called dispatch."
            ),
            location_detail="Loading dock",
            position=Fix(lat=geo.INSIDE_CENTER.y, lon=geo.INSIDE_CENTER.x, accuracy_m=5, recorded_at=timezone.now()),
        ),
    )
    results, errors = [], []

    def send():
        try:
            results.append(incident_submit(guard=tenant.guard, data=data).created)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    race(send, copies=2)

    # then exactly one was stored and the other answered as a replay
    assert errors == []
    assert sorted(results) == [False, True]
    assert IncidentReport.objects.filter(pk=data.id).count() == 1


# --- Refusals ---------------------------------------------------------------------------


def test_another_guards_shift_and_another_companys_shift_are_404(colleague_shift, rival_shift, guard_api):
    for foreign in (colleague_shift, rival_shift):
        response = guard_api.post_json("/incidents", incident_body(foreign))
        assert response.status_code == 404
        assert response.json()["code"] == "shift_not_found"
    assert not IncidentReport.objects.exists()


def test_an_unknown_unit_or_another_sites_unit_is_422_unit_not_found(shift, other_tenant, guard_api):
    rival_unit = factories.UnitFactory(site=other_tenant.site)
    for unit_id in (rival_unit.pk, 987_654_321):
        response = guard_api.post_json("/incidents", incident_body(shift, unit_id=unit_id))
        assert response.status_code == 422
        assert response.json()["code"] == "unit_not_found"
        assert "unit_id" in response.json()["fields"]
    assert not IncidentReport.objects.exists()


def test_an_unknown_or_inactive_type_or_another_companys_type_is_422(tenant, other_tenant, shift, guard_api):
    IncidentType.objects.filter(company=tenant.company, code="noise").update(is_active=False)
    IncidentType.objects.create(company=other_tenant.company, code="rival_only", name="Rival only")
    for code in ("alien_landing", "noise", "rival_only"):
        response = guard_api.post_json("/incidents", incident_body(shift, type=code))
        assert response.status_code == 422
        assert response.json()["code"] == "unknown_incident_type"
        assert "type" in response.json()["fields"]
    assert not IncidentReport.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["position"].update(lat=91), "position.lat"),
        (lambda b: b["position"].update(lon=-180.5), "position.lon"),
        (lambda b: b["position"].update(accuracy_m=-3), "position.accuracy_m"),
        (lambda b: b.update(occurred_at="3000-01-01T00:00:00Z"), "occurred_at"),
        (lambda b: b.update(occurred_at="2026-01-01T10:00:00"), "occurred_at"),
        (lambda b: b["position"].update(recorded_at="3000-01-01T00:00:00Z"), "position.recorded_at"),
        (lambda b: b.update(sent_at="3000-01-01T00:00:00Z"), "sent_at"),
        (lambda b: b.update(status="approved"), "status"),
        (lambda b: b.update(company_id=1), "company_id"),
        (lambda b: b.update(version=7), "version"),
        (lambda b: b.update(narrative="   "), "narrative"),
        (lambda b: b.update(narrative="null byte \x00 here"), "narrative"),
        (lambda b: b.update(shift_id=2**64), "shift_id"),
        (lambda b: b.update(id="not-a-uuid"), "id"),
        (lambda b: b.update(emergency={"services": ["army"]}), "emergency.services.0"),
        (lambda b: b.update(emergency={"services": ["fire", "fire"]}), "emergency.services"),
        (lambda b: b.update(persons=[{"name": "A", "ssn": "123"}]), "persons.0.ssn"),
    ],
)
def test_invalid_bodies_are_422_with_the_field_and_change_nothing(shift, guard_api, change, field):
    body = incident_body(shift)
    change(body)

    response = guard_api.post_json("/incidents", body)

    assert response.status_code == 422, response.json()
    assert field in response.json()["fields"]
    assert not IncidentReport.objects.exists()


def test_nan_in_raw_json_is_422(shift, guard_api):
    text = json.dumps(incident_body(shift)).replace('"accuracy_m": 8.0', '"accuracy_m": NaN')
    assert "NaN" in text

    response = guard_api.post("/api/mobile/v1/incidents", text, content_type="application/json")

    assert response.status_code == 422
    assert "position.accuracy_m" in response.json()["fields"]
    assert not IncidentReport.objects.exists()


def test_a_body_that_is_not_json_is_a_4xx_not_a_crash(guard_api):
    response = guard_api.post("/api/mobile/v1/incidents", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "code" in response.json()


# --- Reading ----------------------------------------------------------------------------


def test_the_list_shows_only_own_reports_newest_first_with_a_bounded_number_of_queries(
    shift, colleague_shift, rival_shift, guard_api, django_assert_max_num_queries
):
    # given three own reports (one without a position, so flagged), and others' reports
    older = file_directly(shift, occurred_at=timezone.now() - timedelta(hours=3))
    newest = file_directly(shift, occurred_at=timezone.now() - timedelta(minutes=1))
    middle = file_directly(shift, occurred_at=timezone.now() - timedelta(hours=1))
    file_directly(colleague_shift)
    file_directly(rival_shift)

    with django_assert_max_num_queries(6):
        response = guard_api.get_json("/incidents")

    assert response.status_code == 200
    page = response.json()
    assert [item["id"] for item in page["items"]] == [str(newest.pk), str(middle.pk), str(older.pk)]
    assert page["count"] == 3
    assert page["items"][0]["type"] == "trespass"
    assert [flag["code"] for flag in page["items"][0]["flags"]] == ["LOCATION_MISSING"]


def test_the_list_paginates_and_filters_by_status(shift, tenant, guard_api):
    reports = [file_directly(shift, occurred_at=timezone.now() - timedelta(minutes=n)) for n in range(5)]
    incident_return_for_correction(report=reports[2], reviewer=tenant.manager, comment="Which gate?")

    page = guard_api.get_json("/incidents", limit=2, offset=1).json()
    returned = guard_api.get_json("/incidents", status="returned").json()

    assert [item["id"] for item in page["items"]] == [str(reports[1].pk), str(reports[2].pk)]
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [item["id"] for item in returned["items"]] == [str(reports[2].pk)]
    for bad in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"status": "lost"}):
        assert guard_api.get_json("/incidents", **bad).status_code == 422


def test_the_detail_shows_flags_comments_and_photos_of_an_own_report(shift, tenant, guard_api):
    tenant.manager.first_name, tenant.manager.last_name = "Dana", "Reviewer"
    tenant.manager.save()
    report = file_directly(shift)
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Add the plate number.")

    response = guard_api.get_json(f"/incidents/{report.pk}")

    assert response.status_code == 200
    detail = response.json()
    assert (detail["status"], detail["version"]) == ("returned", 1)
    assert [flag["code"] for flag in detail["flags"]] == ["LOCATION_MISSING"]
    assert [(c["author_name"], c["body"]) for c in detail["comments"]] == [("Dana Reviewer", "Add the plate number.")]
    assert detail["photos"] == []
    assert detail["narrative"] == report.narrative


def test_the_guard_learns_of_a_returned_report_on_the_next_sync_and_by_e_mail(
    shift, tenant, guard_api, colleague_shift, django_capture_on_commit_callbacks
):
    tenant.guard.email = "guard@example.test"
    tenant.guard.save()
    tenant.manager.first_name, tenant.manager.last_name = "Dana", "Reviewer"
    tenant.manager.save()
    report = file_directly(shift)
    untouched = file_directly(colleague_shift)
    before = guard_api.get_json("/notices").json()

    with django_capture_on_commit_callbacks(execute=True):
        incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Add the plate number.")
        incident_return_for_correction(report=untouched, reviewer=tenant.manager, comment="Not yours to see.")
    [notice] = guard_api.get_json("/notices", after=before["next_after"]).json()["items"]

    assert notice["kind"] == "report_returned"
    assert notice["incident_report_id"] == str(report.pk)
    assert notice["shift_id"] is None
    assert notice["message"].startswith('Your report "Trespass" of ')
    assert notice["message"].endswith("(site time) was returned for correction by Dana Reviewer: Add the plate number.")
    assert guard_api.get_json(f"/incidents/{notice['incident_report_id']}").json()["status"] == "returned"
    [email] = [m for m in mail.outbox if m.to == ["guard@example.test"]]
    assert email.subject == "Your incident report was returned for correction"
    assert email.body == notice["message"]


def test_another_guards_or_another_companys_report_is_404_everywhere(colleague_shift, rival_shift, guard_api):
    for foreign in (file_directly(colleague_shift), file_directly(rival_shift)):
        assert guard_api.get_json(f"/incidents/{foreign.pk}").status_code == 404
        amend = guard_api.put_json(f"/incidents/{foreign.pk}", _amendment())
        assert amend.status_code == 404
        assert amend.json()["code"] == "report_not_found"
    assert guard_api.get_json(f"/incidents/{uuid.uuid4()}").status_code == 404
    assert guard_api.get_json("/incidents/not-a-uuid").status_code == 422
    assert guard_api.get_json("/incidents").json()["count"] == 0


# --- Amending ---------------------------------------------------------------------------


def _amendment(**overrides):
    body = {
        "type": "trespass",
        "occurred_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
        "position": position(),
        "location_detail": "Gate B, north entrance",
        "narrative": (
            "Gate B was left open at 01:40 by a delivery driver. I closed it, "
            "checked the padlock and walked the lot. Nobody was there."
        ),
    }
    body.update(overrides)
    return body


def test_a_report_can_be_amended_only_after_it_was_returned(shift, guard_api):
    report = file_directly(shift)

    response = guard_api.put_json(f"/incidents/{report.pk}", _amendment())

    assert response.status_code == 409
    assert response.json()["code"] == "not_returned_for_correction"
    report.refresh_from_db()
    assert report.version == 1
    assert not IncidentRevision.objects.exists()


def test_amending_a_returned_report_keeps_the_old_version_and_reruns_the_checks(shift, tenant, guard_api):
    # given a report filed without a position (LOCATION_MISSING) and returned by a manager
    body = incident_body(shift, position=None)
    assert codes(guard_api.post_json("/incidents", body)) == ["LOCATION_MISSING"]
    report = IncidentReport.objects.get(pk=body["id"])
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Where exactly? Add your position.")
    assert guard_api.get_json(f"/incidents/{report.pk}").json()["status"] == "returned"

    # when the guard sends the corrected version
    amended = guard_api.put_json(f"/incidents/{report.pk}", _amendment())

    # then version 2 is submitted again without the flag, and version 1 is kept as it was
    assert amended.status_code == 200, amended.json()
    assert amended.json() == {"id": body["id"], "status": "submitted", "version": 2, "flags": []}
    report.refresh_from_db()
    assert (report.version, report.status, report.location_detail) == (2, "submitted", "Gate B, north entrance")
    revision = IncidentRevision.objects.get(report=report)
    assert revision.version == 1
    assert revision.snapshot["narrative"] == body["narrative"]
    assert revision.snapshot["position"] is None
    assert [flag["code"] for flag in revision.snapshot["flags"]] == ["LOCATION_MISSING"]
    assert Flag.objects.get(incident=report, code="LOCATION_MISSING").status == FlagStatus.RESOLVED
    # and the phone's late retry of the original POST is still answered, not refused
    late = guard_api.post_json("/incidents", body)
    assert late.status_code == 201
    assert late.json()["version"] == 2


def test_repeating_the_same_amendment_returns_the_report_and_stores_one_revision(shift, tenant, guard_api):
    report = file_directly(shift)
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Add the gate.")
    amendment = _amendment()

    first = guard_api.put_json(f"/incidents/{report.pk}", amendment)
    second = guard_api.put_json(f"/incidents/{report.pk}", amendment)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert IncidentRevision.objects.filter(report=report).count() == 1


def test_an_amendment_is_validated_like_a_report(shift, tenant, guard_api):
    report = file_directly(shift)
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Add the unit.")

    for body, code in (
        (_amendment(unit_id=987_654), "unit_not_found"),
        (_amendment(type="alien_landing"), "unknown_incident_type"),
        ({**_amendment(), "status": "approved"}, "unknown_field"),
        ({**_amendment(), "shift_id": shift.pk}, "unknown_field"),
    ):
        response = guard_api.put_json(f"/incidents/{report.pk}", body)
        assert response.status_code == 422
        assert response.json()["code"] == code
    report.refresh_from_db()
    assert (report.version, report.status) == (1, IncidentStatus.RETURNED)


def test_only_a_manager_of_the_company_can_return_a_submitted_report(shift, tenant, other_tenant):
    from backend.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

    report = file_directly(shift)
    with pytest.raises(PermissionDenied):
        incident_return_for_correction(report=report, reviewer=tenant.guard, comment="x")
    with pytest.raises(NotFound):
        incident_return_for_correction(report=report, reviewer=other_tenant.manager, comment="x")
    with pytest.raises(ValidationFailed):
        incident_return_for_correction(report=report, reviewer=tenant.manager, comment="  ")
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Which gate?")
    with pytest.raises(Conflict):
        incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Again?")
    assert ReviewComment.objects.filter(report=report).count() == 1


def test_seed_demo_gives_each_demo_company_the_catalogue():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)

    for company in Company.objects.all():
        assert IncidentType.objects.filter(company=company).count() == len(DEFAULT_INCIDENT_TYPES)


# --- Impossible travel -----------------------------------------------------------------


def _breadcrumb(shift, at, where=geo.INSIDE_CENTER, **fields):
    return Ping.objects.create(
        id=uuid.uuid4(),
        shift=shift,
        location=where,
        accuracy_m=fields.pop("accuracy_m", 8.0),
        recorded_at=at,
        received_at=at,
        **fields,
    )


def test_a_report_3_km_from_a_breadcrumb_inside_the_fence_10_s_earlier_is_impossible_travel(shift, guard_api):
    # given a breadcrumb on the fence's east edge (inside) 10 seconds before the report's fix
    filed_at = timezone.now() - timedelta(minutes=1)
    _breadcrumb(shift, filed_at - timedelta(seconds=10), geo.ON_EAST_EDGE)

    # when the report's own position is 3 km away
    body = incident_body(shift, position=position(geo.OUTSIDE_3KM, recorded_at=filed_at.isoformat()))
    response = guard_api.post_json("/incidents", body)

    # then it is flagged as impossible travel with both fixes as evidence
    assert response.status_code == 201
    assert "IMPOSSIBLE_TRAVEL" in codes(response)
    travel = next(flag for flag in response.json()["flags"] if flag["code"] == "IMPOSSIBLE_TRAVEL")
    assert "3.0 km from where the guard's phone was 10 seconds earlier" in travel["message"]
    assert re.search(r"\d\d:\d\d:\d\d E[SD]T", travel["message"])
    assert travel["evidence"]["seconds"] == 10
    assert travel["evidence"]["breadcrumb"]["at"] == (filed_at - timedelta(seconds=10)).isoformat()


def test_a_report_a_walk_away_from_its_breadcrumbs_is_not_impossible_travel(shift, guard_api):
    filed_at = timezone.now() - timedelta(minutes=1)
    _breadcrumb(shift, filed_at - timedelta(seconds=60), geo.INSIDE_CENTER)
    _breadcrumb(shift, filed_at + timedelta(seconds=60), geo.INSIDE_CENTER)
    # and a mocked breadcrumb far away just before, which proves nothing
    _breadcrumb(shift, filed_at - timedelta(seconds=5), geo.OUTSIDE_3KM, is_mock=True)

    body = incident_body(shift, position=position(geo.ON_EAST_EDGE, recorded_at=filed_at.isoformat()))
    response = guard_api.post_json("/incidents", body)

    assert response.status_code == 201
    assert "IMPOSSIBLE_TRAVEL" not in codes(response)


def test_a_breadcrumb_3_km_away_10_s_after_the_report_is_impossible_travel_too(shift, guard_api):
    filed_at = timezone.now() - timedelta(minutes=1)
    _breadcrumb(shift, filed_at + timedelta(seconds=10), geo.OUTSIDE_3KM)

    body = incident_body(shift, position=position(geo.INSIDE_CENTER, recorded_at=filed_at.isoformat()))
    response = guard_api.post_json("/incidents", body)

    travel = next(flag for flag in response.json()["flags"] if flag["code"] == "IMPOSSIBLE_TRAVEL")
    assert "10 seconds later" in travel["message"]

"""In the field: daily activity entries, checkpoint scans and the panic button."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from backend.flags.models import Flag, FlagNotification
from backend.rules.findings import FlagCode, Severity
from backend.tracking.models import ActivityEntry, CheckpointScan, PanicAlert
from tests import factories, geo
from tests.mobile_api.test_incidents import position

pytestmark = pytest.mark.django_db


@pytest.fixture
def shift(tenant):
    """The tenant guard's shift, in progress now."""
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


@pytest.fixture
def checkpoint(tenant):
    return factories.CheckpointFactory(site=tenant.site, name="Boiler room door", location=geo.INSIDE_CENTER)


def activity(shift, **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "shift_id": shift.pk,
        "recorded_at": timezone.now().isoformat(),
        "position": position(),
        "text": "23:10 all doors of building C locked.",
    }
    body.update(overrides)
    return body


def scan(code, where=geo.INSIDE_CENTER, **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "code": code,
        "position": position(where),
        "recorded_at": timezone.now().isoformat(),
    }
    body.update(overrides)
    return body


# --- Activity ---------------------------------------------------------------------------


def test_an_activity_entry_is_stored_with_where_the_guard_stood(shift, guard_api):
    body = activity(shift, position=position(geo.OUTSIDE_50M))

    response = guard_api.post_json("/activity", body)

    assert response.status_code == 201, response.json()
    assert response.json()["id"] == body["id"]
    entry = ActivityEntry.objects.get(pk=body["id"])
    assert entry.text == body["text"]
    assert entry.fence == "outside"
    assert entry.distance_m == pytest.approx(50, abs=1)
    assert response.json()["distance_m"] == pytest.approx(50, abs=1)


def test_an_activity_entry_sent_again_is_stored_once_and_a_different_one_under_its_id_is_409(shift, guard_api):
    body = activity(shift)

    first = guard_api.post_json("/activity", body)
    again = guard_api.post_json("/activity", body)
    changed = guard_api.post_json("/activity", {**body, "text": "Something else"})

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert changed.status_code == 409
    assert changed.json()["code"] == "idempotency_conflict"
    assert ActivityEntry.objects.get().text == body["text"]


# What a replay under the same id may not change: where the phone was, and how it knew.
MOVED = [
    pytest.param(lambda p: p.update(lat=p["lat"] + 0.001), id="another-latitude"),
    pytest.param(lambda p: p.update(lon=p["lon"] - 0.001), id="another-longitude"),
    pytest.param(lambda p: p.update(accuracy_m=250.0), id="another-accuracy"),
    pytest.param(lambda p: p.update(is_mock=True), id="now-mocked"),
]


def _sent_again_from_elsewhere(guard_api, path, body, move):
    """Store `body` at `path` (201), then send the same id again with its position changed by `move`."""
    assert guard_api.post_json(path, body).status_code == 201
    moved = {**body, "position": dict(body["position"])}
    move(moved["position"])
    return guard_api.post_json(path, moved)


@pytest.mark.parametrize("move", MOVED)
def test_an_activity_id_sent_again_from_another_position_is_409(shift, guard_api, move):
    # given an entry stored from the middle of the site
    body = activity(shift)

    # when the same id comes back with the phone somewhere else
    response = _sent_again_from_elsewhere(guard_api, "/activity", body, move)

    # then it is a conflict, not a silent replay, and the stored entry is unchanged
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "idempotency_conflict"
    assert "Idempotent-Replayed" not in response
    assert ActivityEntry.objects.get().accuracy_m == body["position"]["accuracy_m"]


def test_an_activity_id_sent_again_without_its_position_or_with_one_it_lacked_is_409(shift, guard_api):
    with_position = activity(shift)
    without_position = activity(shift, position=None)
    guard_api.post_json("/activity", with_position)
    guard_api.post_json("/activity", without_position)

    dropped = guard_api.post_json("/activity", {**with_position, "position": None})
    added = guard_api.post_json("/activity", {**without_position, "position": position()})

    assert dropped.status_code == added.status_code == 409
    assert guard_api.post_json("/activity", without_position).status_code == 201


def test_activity_on_another_guards_or_another_companys_shift_is_404(tenant, other_tenant, guard_api):
    colleague = factories.ShiftFactory(post=tenant.post, guard=factories.GuardFactory(company=tenant.company))
    rival = factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard)

    for foreign in (colleague, rival):
        response = guard_api.post_json("/activity", activity(foreign))
        assert response.status_code == 404
        assert response.json()["code"] == "shift_not_found"
    assert not ActivityEntry.objects.exists()


def test_another_guard_reusing_an_activity_id_is_409(shift, tenant, guard_api, other_guard_api, other_tenant):
    body = activity(shift)
    guard_api.post_json("/activity", body)
    rival_shift = factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard)

    response = other_guard_api.post_json("/activity", {**body, "shift_id": rival_shift.pk})

    assert response.status_code == 409
    assert ActivityEntry.objects.get().shift == shift


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b["position"].update(lat=91),
        lambda b: b["position"].update(accuracy_m=-1),
        lambda b: b.update(recorded_at="3000-01-01T00:00:00Z"),
        lambda b: b.update(text=""),
        lambda b: b.update(company_id=3),
        lambda b: b.update(shift_id=0),
    ],
)
def test_invalid_activity_is_422_and_stores_nothing(shift, guard_api, change):
    body = activity(shift)
    change(body)

    response = guard_api.post_json("/activity", body)

    assert response.status_code == 422
    assert not ActivityEntry.objects.exists()


# --- Checkpoint scans -------------------------------------------------------------------


def test_a_scan_at_an_open_shifts_site_records_the_distance_to_the_checkpoint(shift, checkpoint, guard_api):
    # given the guard 50 m east of the checkpoint (still inside the 200 m site)
    body = scan(checkpoint.code, geo.point(150, 100))

    response = guard_api.post_json("/checkpoints/scan", body)

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["checkpoint"] == {"id": checkpoint.pk, "name": "Boiler room door"}
    assert answer["shift_id"] == shift.pk
    assert answer["distance_to_checkpoint_m"] == pytest.approx(50, abs=1)
    stored = CheckpointScan.objects.get(pk=body["id"])
    assert (stored.guard_id, stored.shift_id, stored.fence) == (shift.guard_id, shift.pk, "inside")


def test_a_scan_sent_twice_is_stored_once(shift, checkpoint, guard_api):
    body = scan(checkpoint.code)

    responses = [guard_api.post_json("/checkpoints/scan", body) for _ in range(3)]

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert responses[2]["Idempotent-Replayed"] == "true"
    assert CheckpointScan.objects.count() == 1


@pytest.mark.parametrize("move", MOVED)
def test_a_scan_id_sent_again_from_another_position_is_409(shift, checkpoint, guard_api, move):
    body = scan(checkpoint.code)

    response = _sent_again_from_elsewhere(guard_api, "/checkpoints/scan", body, move)

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "idempotency_conflict"
    assert CheckpointScan.objects.get().accuracy_m == body["position"]["accuracy_m"]


def test_a_code_outside_the_guards_open_shifts_is_404_checkpoint_not_found(tenant, other_tenant, shift, guard_api):
    # another site of the same company, where the guard has no shift
    elsewhere = factories.CheckpointFactory(site=factories.SiteFactory(client=tenant.client))
    rivals = factories.CheckpointFactory(site=other_tenant.site)
    inactive = factories.CheckpointFactory(site=tenant.site, is_active=False)

    for code in ("CP-DOES-NOT-EXIST", elsewhere.code, rivals.code, inactive.code):
        response = guard_api.post_json("/checkpoints/scan", scan(code))
        assert response.status_code == 404
        assert response.json()["code"] == "checkpoint_not_found"
    assert not CheckpointScan.objects.exists()


def test_a_scan_needs_a_shift_open_now(tenant, checkpoint, guard_api):
    # given only a shift that starts tomorrow at the checkpoint's site
    tomorrow = timezone.now() + timedelta(days=1)
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard, scheduled_start=tomorrow)

    response = guard_api.post_json("/checkpoints/scan", scan(checkpoint.code))

    assert response.status_code == 404
    assert response.json()["code"] == "checkpoint_not_found"


def test_another_guards_scan_id_is_409(shift, checkpoint, tenant, guard_api):
    colleague = factories.GuardFactory(company=tenant.company)
    factories.ShiftFactory(post=tenant.post, guard=colleague)
    from tests.conftest import api_client_for

    body = scan(checkpoint.code)
    guard_api.post_json("/checkpoints/scan", body)

    response = api_client_for(colleague, device_id="colleague").post_json("/checkpoints/scan", body)

    assert response.status_code == 409
    assert CheckpointScan.objects.get().guard == tenant.guard


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b.pop("position"),
        lambda b: b["position"].update(lon=181),
        lambda b: b.update(recorded_at="3000-01-01T00:00:00Z"),
        lambda b: b.update(code="\x00"),
        lambda b: b.update(guard_id=1),
    ],
)
def test_invalid_scans_are_422(shift, checkpoint, guard_api, change):
    body = scan(checkpoint.code)
    change(body)

    assert guard_api.post_json("/checkpoints/scan", body).status_code == 422
    assert not CheckpointScan.objects.exists()


# --- Panic ------------------------------------------------------------------------------


@pytest.fixture
def managers(tenant, other_tenant):
    """Managers with e-mail addresses in both companies."""
    tenant.manager.email = "dispatch@acme.test"
    tenant.manager.save()
    second = factories.ManagerFactory(company=tenant.company, email="night-lead@acme.test")
    other_tenant.manager.email = "boss@rival.test"
    other_tenant.manager.save()
    return [tenant.manager, second]


def test_panic_emails_every_manager_of_the_company_once_and_flags_the_shift(
    tenant, shift, managers, guard_api, django_capture_on_commit_callbacks
):
    tenant.guard.first_name, tenant.guard.last_name = "Marcus", "Reed"
    tenant.guard.save()
    alert_id = str(uuid.uuid4())

    # when the guard presses panic (and the on-commit notification runs)
    with django_capture_on_commit_callbacks(execute=True):
        response = guard_api.post_json("/alerts/panic", {"id": alert_id, "position": position(geo.INSIDE_CENTER)})

    # then managers of the guard's company got one e-mail each, with name, site, position and map
    assert response.status_code == 201, response.json()
    assert response.json()["shift_id"] == shift.pk
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "dispatch@acme.test",
        "night-lead@acme.test",
    ]
    message = mail.outbox[0]
    assert "PANIC" in message.subject
    assert "Marcus Reed" in message.subject
    assert tenant.site.name in message.body
    assert f"{geo.INSIDE_CENTER.y:.6f}, {geo.INSIDE_CENTER.x:.6f}" in message.body
    assert "https://www.openstreetmap.org/?mlat=" in message.body
    # and the shift carries a critical PANIC flag
    flag = Flag.objects.get(shift=shift, code=FlagCode.PANIC)
    assert flag.severity == Severity.CRITICAL
    assert flag.evidence["alert_id"] == alert_id
    assert FlagNotification.objects.filter(flag=flag).count() == 2


def test_a_repeated_panic_pages_nobody_twice(shift, managers, guard_api, django_capture_on_commit_callbacks):
    body = {"id": str(uuid.uuid4())}

    with django_capture_on_commit_callbacks(execute=True):
        first = guard_api.post_json("/alerts/panic", body)
    with django_capture_on_commit_callbacks(execute=True):
        again = guard_api.post_json("/alerts/panic", body)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert PanicAlert.objects.count() == 1
    assert len(mail.outbox) == 2
    assert Flag.objects.filter(code=FlagCode.PANIC).count() == 1


def test_panic_without_a_shift_or_position_still_pages_the_managers(
    tenant, managers, guard_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = guard_api.post_json("/alerts/panic", {})

    assert response.status_code == 201
    assert response.json()["shift_id"] is None
    assert len(mail.outbox) == 2
    assert "no GPS position" in mail.outbox[0].body or "not sent by the phone" in mail.outbox[0].body
    assert not Flag.objects.filter(code=FlagCode.PANIC).exists()


def test_panic_with_a_bad_position_is_422(guard_api):
    assert guard_api.post_json("/alerts/panic", {"position": position(lat=95)}).status_code == 422
    assert guard_api.post_json("/alerts/panic", {"status": "acknowledged"}).status_code == 422
    assert not PanicAlert.objects.exists()


def test_another_guards_panic_id_is_409(shift, managers, guard_api, other_guard_api):
    body = {"id": str(uuid.uuid4())}
    guard_api.post_json("/alerts/panic", body)

    response = other_guard_api.post_json("/alerts/panic", body)

    assert response.status_code == 409
    assert PanicAlert.objects.get().guard == shift.guard


def test_field_endpoints_need_a_token(anonymous_api):
    assert anonymous_api.post_json("/activity", {}).status_code == 401
    assert anonymous_api.post_json("/checkpoints/scan", {}).status_code == 401
    assert anonymous_api.post_json("/alerts/panic", {}).status_code == 401


def test_panic_flags_the_shift_the_guard_is_clocked_into(tenant, managers, guard_api):
    # given a shift scheduled now but not started, and an overlapping one the guard clocked into
    now = timezone.now()
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard, scheduled_start=now - timedelta(minutes=30))
    clocked_in = factories.ShiftFactory(
        post=tenant.post,
        guard=tenant.guard,
        scheduled_start=now - timedelta(hours=3),
        status="in_progress",
        clock_in_at=now - timedelta(hours=3),
    )

    response = guard_api.post_json("/alerts/panic", {})

    assert response.status_code == 201
    assert response.json()["shift_id"] == clocked_in.pk


def test_the_panic_flag_gives_the_time_on_the_sites_clock(tenant, shift, managers, guard_api):
    # given a New York site
    assert tenant.site.timezone == "America/New_York"

    guard_api.post_json("/alerts/panic", {"id": str(uuid.uuid4()), "position": position(geo.INSIDE_CENTER)})

    # then the flag's sentence says the New York time; the evidence keeps the UTC instant
    flag = Flag.objects.get(shift=shift, code=FlagCode.PANIC)
    received = datetime.fromisoformat(flag.evidence["received_at"])
    local = received.astimezone(ZoneInfo("America/New_York"))
    assert f"at {local:%H:%M} {local.tzname()}" in flag.message
    assert "UTC" not in flag.message
    assert received.utcoffset() == timedelta(0)

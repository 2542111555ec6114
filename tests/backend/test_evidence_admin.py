"""Managers read phones' evidence and revoke lost phones' tokens, within their company only."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from backend.devices.services import device_token_issue
from backend.incidents.models import IncidentReport
from backend.staffing.models import Shift
from backend.tracking.models import CheckpointScan, Ping
from tests import factories, geo
from tests.admin_clients import inline_management_data, manager_admin, shift_form, staff_admin

pytestmark = pytest.mark.django_db


def _manager_client(manager, apps=("devices", "tracking")):
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label__in=apps))
    client = Client()
    client.force_login(manager)
    return client


def _token(guard, device_id):
    _, record = device_token_issue(
        username=guard.username, password="pw-for-tests", device_id=device_id, device_name=device_id, client_ip="::1"
    )
    return record


def _ping(shift):
    now = timezone.now()
    return Ping.objects.create(
        id=uuid.uuid4(),
        shift=shift,
        location=geo.INSIDE_CENTER,
        accuracy_m=5,
        recorded_at=now,
        received_at=now,
        fence="inside",
        distance_m=0,
    )


def test_manager_revokes_a_lost_phone_but_not_another_companys(tenant, other_tenant):
    # given a token per company, and a manager allowed to manage tokens
    ours = _token(tenant.guard, "lost-phone")
    theirs = _token(other_tenant.guard, "their-phone")
    admin = _manager_client(tenant.manager)

    # when the manager lists tokens, then only their company's phone is there
    listing = admin.get("/admin/devices/devicetoken/")
    assert listing.status_code == 200
    assert b"lost-phone" in listing.content
    assert b"their-phone" not in listing.content
    assert b"token_hash" not in listing.content

    # when they revoke both ids (the other one forged into the form)
    response = admin.post(
        "/admin/devices/devicetoken/",
        {"action": "revoke_selected", "_selected_action": [ours.pk, theirs.pk]},
        follow=True,
    )

    # then only their own phone's token stops working
    assert response.status_code == 200
    assert b"Revoked 1 token" in response.content
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.revoked_at is not None
    assert theirs.revoked_at is None
    assert admin.get(f"/admin/devices/devicetoken/{theirs.pk}/change/").status_code == 404


def test_a_manager_with_view_rights_only_cannot_revoke(tenant):
    token = _token(tenant.guard, "phone")
    tenant.manager.user_permissions.set(Permission.objects.filter(codename="view_devicetoken"))
    admin = Client()
    admin.force_login(tenant.manager)

    admin.post("/admin/devices/devicetoken/", {"action": "revoke_selected", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert token.revoked_at is None


def test_breadcrumbs_are_read_only_and_scoped_to_the_company(tenant, other_tenant):
    ours = _ping(factories.ShiftFactory(guard=tenant.guard, post=tenant.post))
    theirs = _ping(factories.ShiftFactory(guard=other_tenant.guard, post=other_tenant.post))
    admin = _manager_client(tenant.manager)

    listing = admin.get("/admin/tracking/ping/")
    detail = admin.get(f"/admin/tracking/ping/{ours.pk}/change/")
    foreign = admin.get(f"/admin/tracking/ping/{theirs.pk}/change/")
    edit = admin.post(f"/admin/tracking/ping/{ours.pk}/change/", {"fence": "outside"})
    add = admin.get("/admin/tracking/ping/add/")
    delete = admin.post(f"/admin/tracking/ping/{ours.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert str(ours.pk).encode() in listing.content
    assert str(theirs.pk).encode() not in listing.content
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert foreign.status_code == 404
    assert edit.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    ours.refresh_from_db()
    assert ours.fence == "inside"


@pytest.mark.parametrize("model", ["ping", "clockevent", "activityentry", "checkpointscan", "panicalert"])
def test_every_evidence_list_opens(tenant, model):
    admin = _manager_client(tenant.manager)

    assert admin.get(f"/admin/tracking/{model}/").status_code == 200


def test_manager_reads_own_flags_only_and_another_companys_flag_is_404(tenant, other_tenant):
    # given a flag on a shift of each company
    ours = factories.shift_flag(
        tenant=tenant, code="NO_SHOW", severity="critical", message="Sam has not clocked in at the gatehouse."
    )
    theirs = factories.shift_flag(
        tenant=other_tenant, code="LATE_CLOCK_IN", severity="warning", message="Rival guard clocked in late."
    )
    admin = _manager_client(tenant.manager, apps=("flags",))

    listing = admin.get("/admin/flags/flag/")

    assert listing.status_code == 200
    assert b"has not clocked in at the gatehouse" in listing.content
    assert b"Rival guard" not in listing.content
    assert admin.get(f"/admin/flags/flag/{ours.pk}/change/").status_code == 200
    assert admin.get(f"/admin/flags/flag/{theirs.pk}/change/").status_code == 404


# --- Evidence is append-only in the admin (issue 7) ---------------------------------


def _report(shift, narrative="Loud music from unit 101."):
    return factories.incident_report(shift=shift, narrative=narrative)


def test_nobody_deletes_an_incident_report_without_flags(tenant):
    report = _report(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    for admin in (manager_admin(tenant.manager), staff_admin(factories.StaffFactory())):
        page = admin.get(f"/admin/incidents/incidentreport/{report.pk}/change/")
        delete = admin.post(f"/admin/incidents/incidentreport/{report.pk}/delete/", {"post": "yes"})
        bulk = admin.post(
            "/admin/incidents/incidentreport/",
            {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
        )
        listing = admin.get("/admin/incidents/incidentreport/")

        assert b"deletelink" not in page.content
        assert delete.status_code == 403
        assert bulk.status_code in (200, 302)
        assert b'value="delete_selected"' not in listing.content
        assert IncidentReport.objects.filter(pk=report.pk).exists()


def test_guardops_staff_archive_a_report_and_it_leaves_the_working_list(tenant):
    report = _report(factories.ShiftFactory(post=tenant.post, guard=tenant.guard), narrative="Broken gate arm.")
    staff = factories.StaffFactory()
    admin = staff_admin(staff)

    admin.post("/admin/incidents/incidentreport/", {"action": "archive_selected", "_selected_action": [report.pk]})

    report.refresh_from_db()
    assert report.archived_at is not None
    assert report.archived_by == staff
    working = admin.get("/admin/incidents/incidentreport/")
    archived = admin.get("/admin/incidents/incidentreport/?archived=yes")
    assert str(report.pk).encode() not in working.content
    assert str(report.pk).encode() in archived.content


def test_a_manager_cannot_archive_their_own_evidence(tenant):
    report = _report(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    admin = manager_admin(tenant.manager)

    listing = admin.get("/admin/incidents/incidentreport/")
    admin.post("/admin/incidents/incidentreport/", {"action": "archive_selected", "_selected_action": [report.pk]})

    assert b'value="archive_selected"' not in listing.content
    report.refresh_from_db()
    assert report.archived_at is None


def test_a_review_comment_is_signed_by_the_signed_in_manager_and_is_the_only_change(tenant):
    # given a report, open in the admin as the manager
    report = _report(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    admin = manager_admin(tenant.manager)
    page = admin.get(f"/admin/incidents/incidentreport/{report.pk}/change/")
    body = inline_management_data(page)
    body.update({"comments-TOTAL_FORMS": "1", "comments-0-body": "Which unit was it?", "narrative": "Rewritten."})

    # when they add a comment (and try to rewrite the narrative in the same post)
    response = admin.post(f"/admin/incidents/incidentreport/{report.pk}/change/", body)

    # then the comment is theirs, and the report is as the guard sent it
    assert response.status_code == 302
    comment = report.comments.get()
    assert (comment.author, comment.body) == (tenant.manager, "Which unit was it?")
    report.refresh_from_db()
    assert report.narrative == "Loud music from unit 101."


def test_a_flag_page_is_a_view_page_without_buttons_and_a_post_changes_nothing(tenant):
    flag = factories.shift_flag(tenant=tenant, code="NO_SHOW", severity="critical", message="Sam is late.")
    admin = manager_admin(tenant.manager)

    page = admin.get(f"/admin/flags/flag/{flag.pk}/change/")
    post = admin.post(f"/admin/flags/flag/{flag.pk}/change/", {"status": "resolved", "message": "Nothing to see."})

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b'name="_continue"' not in page.content
    assert post.status_code == 403
    flag.refresh_from_db()
    assert (flag.status, flag.message) == ("open", "Sam is late.")


def test_a_shifts_actual_clock_times_and_status_are_not_edited_by_hand(tenant):
    # given a shift the guard clocked in to
    shift = Shift.objects.get(pk=factories.ShiftFactory(post=tenant.post, guard=tenant.guard).pk)
    clocked_in = shift.scheduled_start + timedelta(minutes=9)
    Shift.objects.filter(pk=shift.pk).update(status="in_progress", clock_in_at=clocked_in, clock_in_accuracy_m=6)
    admin = manager_admin(tenant.manager)

    # when the manager posts other actual times and a status, with a new note
    response = admin.post(
        f"/admin/staffing/shift/{shift.pk}/change/",
        shift_form(
            tenant, start=("2026-01-10", "08:00:00"), end=("2026-01-10", "16:00:00"), notes="Covering for Ana.",
            status="completed",
            clock_in_at_0="2026-01-10", clock_in_at_1="07:55:00",
            clock_out_at_0="2026-01-10", clock_out_at_1="16:05:00",
            clock_in_accuracy_m="1",
        ),
    )  # fmt: skip

    # then the plan changed, and what the phone recorded did not
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.notes == "Covering for Ana."
    assert (shift.status, shift.clock_in_at, shift.clock_out_at, shift.clock_in_accuracy_m) == (
        "in_progress", clocked_in, None, 6,
    )  # fmt: skip


def test_a_shift_with_evidence_cannot_be_deleted_but_an_empty_one_can(tenant):
    worked = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    _ping(worked)
    planned = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    admin = manager_admin(tenant.manager)

    refused = admin.post(f"/admin/staffing/shift/{worked.pk}/delete/", {"post": "yes"})
    bulk = admin.post(
        "/admin/staffing/shift/", {"action": "delete_selected", "_selected_action": [worked.pk], "post": "yes"}
    )
    deleted = admin.post(f"/admin/staffing/shift/{planned.pk}/delete/", {"post": "yes"})

    assert refused.status_code == 200
    assert b"Cannot delete shift" in refused.content
    assert bulk.status_code == 200
    assert Shift.objects.filter(pk=worked.pk).exists()
    assert Ping.objects.filter(shift=worked).exists()
    assert deleted.status_code == 302
    assert not Shift.objects.filter(pk=planned.pk).exists()


def test_deleting_a_unit_would_blank_it_on_reports_so_it_is_refused(tenant):
    # given a report that names a unit (deleting the unit would set the report's unit to NULL)
    unit = factories.UnitFactory(site=tenant.site)
    report = _report(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    IncidentReport.objects.filter(pk=report.pk).update(unit=unit)
    admin = manager_admin(tenant.manager)

    response = admin.post(f"/admin/sites/unit/{unit.pk}/delete/", {"post": "yes"})

    assert b"(evidence; its unit would be cleared)" in response.content
    report.refresh_from_db()
    assert report.unit == unit


def test_deleting_a_shift_would_detach_a_scan_from_it_so_it_is_refused(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    checkpoint = factories.CheckpointFactory(site=tenant.site)
    now = timezone.now()
    scan = CheckpointScan.objects.create(
        id=uuid.uuid4(), checkpoint=checkpoint, guard=tenant.guard, shift=shift, recorded_at=now, received_at=now
    )
    admin = staff_admin(factories.StaffFactory())

    admin.post(f"/admin/staffing/shift/{shift.pk}/delete/", {"post": "yes"})

    assert Shift.objects.filter(pk=shift.pk).exists()
    scan.refresh_from_db()
    assert scan.shift == shift


def test_deleting_a_checkpoint_would_take_its_scans_so_it_is_refused(tenant):
    checkpoint = factories.CheckpointFactory(site=tenant.site)
    now = timezone.now()
    CheckpointScan.objects.create(
        id=uuid.uuid4(), checkpoint=checkpoint, guard=tenant.guard, recorded_at=now, received_at=now
    )
    admin = manager_admin(tenant.manager)

    admin.post(f"/admin/sites/checkpoint/{checkpoint.pk}/delete/", {"post": "yes"})

    assert CheckpointScan.objects.filter(checkpoint=checkpoint).exists()


def test_the_shift_guard_picker_offers_only_the_companys_active_guards(tenant, other_tenant):
    retired = factories.GuardFactory(company=tenant.company, is_active=False)
    admin = manager_admin(tenant.manager)

    page = admin.get("/admin/staffing/shift/add/")

    offered = set(page.context["adminform"].form.fields["guard"].queryset)
    assert offered == {tenant.guard}
    assert tenant.manager not in offered
    assert tenant.client_contact not in offered
    assert retired not in offered
    assert other_tenant.guard not in offered


@pytest.mark.parametrize(
    "model",
    ["tracking/ping", "tracking/clockevent", "tracking/activityentry", "tracking/checkpointscan", "tracking/panicalert",
     "flags/flag", "staffing/postorderacknowledgement"],
)  # fmt: skip
def test_no_evidence_list_offers_adding_or_deleting(tenant, model):
    admin = manager_admin(tenant.manager)

    listing = admin.get(f"/admin/{model}/")
    add = admin.get(f"/admin/{model}/add/")

    assert listing.status_code == 200
    assert f'href="/admin/{model}/add/"'.encode() not in listing.content
    assert b'value="delete_selected"' not in listing.content
    assert add.status_code == 403


def test_the_report_page_has_no_editable_report_field_and_the_shift_form_only_the_plan(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    report = _report(shift)
    for admin in (manager_admin(tenant.manager), staff_admin(factories.StaffFactory())):
        report_form = admin.get(f"/admin/incidents/incidentreport/{report.pk}/change/").context["adminform"].form
        shift_form = admin.get(f"/admin/staffing/shift/{shift.pk}/change/").context["adminform"].form

        assert list(report_form.fields) == []
        assert set(shift_form.fields) == {"guard", "post", "scheduled_start", "scheduled_end", "notes"}

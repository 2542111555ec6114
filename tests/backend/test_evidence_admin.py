"""Managers read phones' evidence and revoke lost phones' tokens, within their company only."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from backend.devices.services import device_token_issue
from backend.flags.models import Flag
from backend.tracking.models import Ping
from tests import factories, geo

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
    now = timezone.now()
    ours = Flag.objects.create(
        company=tenant.company,
        shift=factories.ShiftFactory(post=tenant.post, guard=tenant.guard),
        code="NO_SHOW",
        severity="critical",
        message="Sam has not clocked in at the gatehouse.",
        raised_at=now,
    )
    theirs = Flag.objects.create(
        company=other_tenant.company,
        shift=factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard),
        code="LATE_CLOCK_IN",
        severity="warning",
        message="Rival guard clocked in late.",
        raised_at=now,
    )
    admin = _manager_client(tenant.manager, apps=("flags",))

    listing = admin.get("/admin/flags/flag/")

    assert listing.status_code == 200
    assert b"has not clocked in at the gatehouse" in listing.content
    assert b"Rival guard" not in listing.content
    assert admin.get(f"/admin/flags/flag/{ours.pk}/change/").status_code == 200
    assert admin.get(f"/admin/flags/flag/{theirs.pk}/change/").status_code == 404

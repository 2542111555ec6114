"""A company never reads another company's rows; scoping goes through one helper."""

import io
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from backend.attendance.models import AttendanceResolution
from backend.calls.concern_models import Concern
from backend.calls.models import Call, ClientGreeting
from backend.core.models import TenantModel
from backend.devices.models import DeviceToken
from backend.dispatch.models import (
    CallbackAttempt,
    DispatchPhoto,
    DispatchPolicy,
    RequestEvent,
    ServiceRequest,
    SiteDispatchPolicy,
)
from backend.documents.models import DeliveryPreference, DeliveryRecord, GeneratedDocument
from backend.flags.models import (
    AlertEscalation,
    AlertNote,
    Flag,
    FlagAcknowledgement,
    FlagNotification,
    FlagVisibilityChange,
)
from backend.incidents.models import IncidentReport, IncidentType
from backend.rules.models import RuleSettings
from backend.sites.models import ClientContactSite, Site, SiteAssignment
from backend.sites.selectors import site_get, sites_for_company, sites_visible_to
from backend.staffing.models import (
    GuardNotice,
    GuardQualification,
    PostRequirement,
    PostRequirementChange,
    Qualification,
    QualificationOverride,
)
from backend.staffing.selectors import guards_for_company, posts_for_company, shifts_for_company, shifts_for_guard
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, PanicAlert, Ping
from tests import factories

pytestmark = pytest.mark.django_db


def test_company_sees_only_its_own_sites_posts_guards_and_shifts(tenant, other_tenant):
    # given a shift in each tenant
    own_shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard)

    # when the first company lists its data, then only its own rows come back
    assert list(sites_for_company(company=tenant.company)) == [tenant.site]
    assert list(posts_for_company(company=tenant.company)) == [tenant.post]
    assert list(guards_for_company(company=tenant.company)) == [tenant.guard]
    assert list(shifts_for_company(company=tenant.company)) == [own_shift]


def test_another_tenants_site_is_not_found_by_id(tenant, other_tenant):
    with pytest.raises(Site.DoesNotExist):
        site_get(company=tenant.company, site_id=other_tenant.site.pk)


def test_guard_lists_only_own_shifts(tenant):
    mine = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    colleague = factories.GuardFactory(company=tenant.company)
    factories.ShiftFactory(post=tenant.post, guard=colleague)

    assert list(shifts_for_guard(guard=tenant.guard)) == [mine]


def test_client_contact_sees_only_their_clients_sites(tenant):
    other_client_site = factories.SiteFactory(client=factories.ClientFactory(company=tenant.company))

    assert list(sites_visible_to(user=tenant.client_contact)) == [tenant.site]
    assert set(sites_visible_to(user=tenant.manager)) == {tenant.site, other_client_site}
    assert list(sites_visible_to(user=tenant.guard)) == []


def _tenant_models() -> list[type[TenantModel]]:
    return [model for model in apps.get_models() if issubclass(model, TenantModel)]


def test_every_domain_model_declares_its_path_to_the_company():
    domain_apps = {"sites", "staffing", "devices", "tracking", "incidents", "flags", "rules"}
    domain_models = [m for m in apps.get_models() if m._meta.app_label in domain_apps]
    assert domain_models, "domain apps have models"
    missing = [m.__name__ for m in domain_models if not issubclass(m, TenantModel) or not getattr(m, "TENANT_PATH", "")]
    assert missing == []


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return buffer.getvalue()


_TINY_PNG = _tiny_png()


def _one_of_everything(t) -> None:
    """One row of every tenant-owned model in tenant `t`."""
    now = timezone.now()
    shift = factories.ShiftFactory(post=t.post, guard=t.guard)
    unit = factories.UnitFactory(site=t.site)
    checkpoint = factories.CheckpointFactory(site=t.site)
    factories.RestrictedZoneFactory(site=t.site, area=t.site.geofence[0])
    order = factories.PostOrderFactory(post=t.post)
    order.acknowledgements.create(guard=t.guard, acknowledged_at=shift.scheduled_start)
    times = {"recorded_at": now, "received_at": now}
    Ping.objects.create(id=uuid.uuid4(), shift=shift, **times)
    ClockEvent.objects.create(shift=shift, kind="in", **times)
    ActivityEntry.objects.create(id=uuid.uuid4(), shift=shift, text="All doors locked.", **times)
    CheckpointScan.objects.create(id=uuid.uuid4(), checkpoint=checkpoint, guard=t.guard, shift=shift, **times)
    alert = PanicAlert.objects.create(id=uuid.uuid4(), guard=t.guard, shift=shift, **times)
    alert.notifications.create(recipient=t.manager, address="m@example.com")
    incident_type = IncidentType.objects.create(company=t.company, code=f"noise-{t.company.pk}", name="Noise")
    report = IncidentReport.objects.create(
        id=uuid.uuid4(),
        shift=shift,
        guard=t.guard,
        type=incident_type,
        occurred_at=now,
        unit=unit,
        narrative="Loud music from unit 101.",
        payload_sha256="0" * 64,
        **times,
    )
    report.revisions.create(version=1, snapshot={})
    report.comments.create(author=t.manager, body="Which unit?")
    report.review_actions.create(
        action="return", by=t.manager, at=report.received_at, note="Which unit?",
        from_status="submitted", to_status="returned", report_version=1,
    )  # fmt: skip
    factories.incident_photo(report=report, png=_TINY_PNG)
    flag = Flag.objects.create(
        company=t.company, shift=shift, code="NO_SHOW", severity="critical", message="-", raised_at=now
    )
    FlagNotification.objects.create(flag=flag, recipient=t.manager, address="m@example.com")
    FlagVisibilityChange.objects.create(flag=flag, shown=True, by=t.manager, at=now)
    # The live board's alert records (a flag's: the ones a client or site path reaches).
    FlagAcknowledgement.objects.create(flag=flag, acknowledged_by=t.manager, acknowledged_at=now)
    AlertNote.objects.create(company=t.company, flag=flag, author=t.manager, text="Called the guard.")
    AlertEscalation.objects.create(company=t.company, flag=flag, recipient=t.manager, step=1, address="m@example.com")
    RuleSettings.objects.create(company=t.company, overrides={})
    DeviceToken.objects.create(user=t.guard, device_id="phone", token_hash=f"{t.company.pk:064d}", expires_at=now)
    supervisor = factories.SupervisorFactory(company=t.company)
    SiteAssignment.objects.create(site=t.site, supervisor=supervisor, assigned_at=now, assigned_by=t.manager)
    ClientContactSite.objects.create(contact=t.client_contact, site=t.site)
    # Post requirements and attendance resolutions (the attendance area).
    qualification = Qualification.objects.filter(company=t.company).first()
    PostRequirement.objects.create(post=t.post, qualification=qualification)
    GuardQualification.objects.create(guard=t.guard, qualification=qualification, issued_on=now.date())
    QualificationOverride.objects.create(shift=shift, qualification=qualification, overridden_by=t.manager, reason="-")
    PostRequirementChange.objects.create(post=t.post, qualification=qualification, change="added", by=t.manager)
    GuardNotice.objects.create(guard=t.guard, kind="shift_assigned", message="-", shift=shift)
    AttendanceResolution.objects.create(flag=flag, shift=shift, kind="excused", reason="-", resolved_by=t.manager)
    # Dispatch: a service request, a callback, a timeline line, the callback policies.
    request = ServiceRequest.objects.create(site=t.site, kind="lockout", requester_name="-", callback_number="-")
    CallbackAttempt.objects.create(
        request=request, at=now, by=t.manager, number_dialled="-", outcome="reached", phase="on_arrival"
    )
    RequestEvent.objects.create(request=request, at=now, kind="created", text="-")
    DispatchPhoto.objects.create(
        id=uuid.uuid4(), request=request, taken_by=t.guard, original=ContentFile(_TINY_PNG, name="original.png"),
        display=ContentFile(_TINY_PNG, name="display.png"), sha256="1" * 64, content_type="image/png", size_bytes=1,
    )  # fmt: skip
    DispatchPolicy.objects.create(
        company=t.company, kind="escort", callback_before_dispatch=True, callback_on_arrival=True
    )
    SiteDispatchPolicy.objects.create(site=t.site)
    # The call log (its disposition codes are seeded with the company).
    call = Call.objects.create(company=t.company, client=t.client, site=t.site, opened_at=now, opened_by=t.manager)
    call.notes.create(author=t.manager, text="-")
    call.follow_ups.create(due_at=now, owner=t.manager, note="-", created_by=t.manager)
    ClientGreeting.objects.create(client=t.client, script="Hello.")
    # A concern raised in the portal: a call with its thread and an e-mail of it.
    concern = Concern.objects.create(call=call, raised_by=t.client_contact, subject_kind="shift", subject_text="-")
    message = concern.messages.create(author=t.client_contact, from_client=True, text="Why?")
    message.emails.create(recipient=t.manager, address="m@example.com")
    # Client documents and their delivery.
    document = GeneratedDocument.objects.create(
        kind="daily_activity", client=t.client, site=t.site, period_start=now.date(), period_end=now.date(),
        content_hash="0" * 64, queued_at=now,
    )  # fmt: skip
    preference = DeliveryPreference.objects.create(contact=t.client_contact)
    preference.sites.add(t.site)
    record = DeliveryRecord.objects.create(
        contact=t.client_contact, kind="dar_daily", site=t.site, period_start=now.date(), period_end=now.date(),
        due_at=now,
    )  # fmt: skip
    record.documents.add(document)


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m.__name__)
def test_for_company_filters_every_tenant_model(model, tenant, other_tenant):
    # given one row of every kind in each tenant
    _one_of_everything(tenant)
    _one_of_everything(other_tenant)

    # when scoped to the first company, then no row reaches the second company
    rows = model.objects.for_company(tenant.company)
    assert rows.exists(), f"add a {model.__name__} row to _one_of_everything"
    other_rows = model.objects.for_company(other_tenant.company)
    assert other_rows.exists()
    assert not set(rows.values_list("pk", flat=True)) & set(other_rows.values_list("pk", flat=True))


def test_a_client_contact_cannot_be_attached_to_another_companys_client(tenant, other_tenant):
    contact = tenant.client_contact
    contact.client = other_tenant.client

    with pytest.raises(ValidationError) as error:
        contact.full_clean()

    assert "client" in error.value.message_dict

"""No admin page a manager opens names another company's rows: lists, filters, pickers."""

import io
import uuid
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin import RelatedFieldListFilter
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from backend.accounts.models import Company, User
from backend.calls.models import Call, ClientGreeting
from backend.core.admin_tenancy import TenantScopedAdmin
from backend.devices.models import DeviceToken
from backend.dispatch.models import DispatchPolicy, SiteDispatchPolicy
from backend.documents.models import DeliveryKind, DeliveryPreference, DeliveryRecord, DocumentKind, GeneratedDocument
from backend.flags.models import Flag, FlagNotification
from backend.incidents.models import IncidentType
from backend.rules.models import RuleSettings
from backend.staffing.models import Shift
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, PanicAlert, Ping
from tests import factories, geo
from tests.admin_clients import manager_admin

pytestmark = pytest.mark.django_db

# Every name in the other company contains this word; no page of ours may show it.
OTHER = "Zephyr"


@dataclass
class Company_:
    company: Company
    manager: User


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return buffer.getvalue()


def _company_with_everything(word: str, slug: str, fence: object) -> Company_:
    """A company whose every named row (and person) carries `word`."""
    now = timezone.now()
    company = factories.CompanyFactory(slug=slug, name=f"{word} Security")
    client = factories.ClientFactory(company=company, name=f"{word} Holdings")
    site = factories.SiteFactory(client=client, name=f"{word} Tower", geofence=fence)
    post = factories.PostFactory(site=site, name=f"{word} Gate")
    guard = factories.GuardFactory(company=company, last_name=f"{word}son", username=f"{word.lower()}-guard")
    manager = factories.ManagerFactory(company=company, last_name=f"{word}boss", username=f"{word.lower()}-manager")
    contact = factories.ClientContactFactory(
        client=client, last_name=f"{word}contact", username=f"{word.lower()}-contact"
    )
    unit = factories.UnitFactory(site=site, label=f"{word} Unit 7")
    checkpoint = factories.CheckpointFactory(site=site, name=f"{word} Roof Door")
    factories.RestrictedZoneFactory(site=site, name=f"{word} Vault", area=site.geofence[0])
    order = factories.PostOrderFactory(post=post, title=f"{word} Orders")
    shift = factories.ShiftFactory(post=post, guard=guard)
    order.acknowledgements.create(guard=guard, acknowledged_at=now)
    times = {"recorded_at": now, "received_at": now}
    Ping.objects.create(id=uuid.uuid4(), shift=shift, location=geo.INSIDE_CENTER, **times)
    ClockEvent.objects.create(shift=shift, kind="in", **times)
    ActivityEntry.objects.create(id=uuid.uuid4(), shift=shift, text=f"{word} doors locked.", **times)
    CheckpointScan.objects.create(id=uuid.uuid4(), checkpoint=checkpoint, guard=guard, shift=shift, **times)
    PanicAlert.objects.create(id=uuid.uuid4(), guard=guard, shift=shift, **times)
    IncidentType.objects.create(company=company, code=f"{slug}-noise", name=f"{word} Noise")
    report = factories.incident_report(
        shift=shift, type_code=f"{slug}-noise", unit=unit, narrative=f"{word} music from unit 7.", **times
    )
    report.revisions.create(version=1, snapshot={"narrative": f"{word} first version"})
    report.comments.create(author=manager, body=f"{word} which unit?")
    factories.incident_photo(report=report, png=_png())
    flag = Flag.objects.create(
        company=company, shift=shift, incident=report, code="NO_SHOW", severity="critical",
        message=f"{word} guard has not clocked in.", raised_at=now,
    )  # fmt: skip
    FlagNotification.objects.create(flag=flag, recipient=manager, address=f"{word.lower()}@example.com")
    RuleSettings.objects.create(company=company, overrides={})
    DispatchPolicy.objects.create(
        company=company, kind="escort", callback_before_dispatch=True, callback_on_arrival=True
    )
    SiteDispatchPolicy.objects.create(site=site)
    # The call log: a call from the site's client with a note and a follow-up, and the client's greeting.
    call = Call.objects.create(
        company=company, client=client, site=site, caller_name=f"{word} Caller", caller_number="+1 404 555 0100",
        caller_words=f"{word} gate was open.", opened_at=now, opened_by=manager,
    )  # fmt: skip
    call.notes.create(author=manager, text=f"{word} note")
    call.follow_ups.create(due_at=now, owner=manager, note=f"{word} call back", created_by=manager)
    ClientGreeting.objects.create(client=client, script=f"{word} greeting", updated_by=manager)
    # The client's documents: a DAR issued, e-mailed to the contact, and the contact's preferences.
    day = now.date()
    dar = GeneratedDocument.objects.create(
        kind=DocumentKind.DAILY_ACTIVITY, client=client, site=site, period_start=day, period_end=day,
        content_hash=f"{company.pk:064d}", queued_at=now, progress_label=f"{word} page 1",
    )  # fmt: skip
    delivery = DeliveryRecord.objects.create(
        contact=contact, kind=DeliveryKind.DAR_DAILY, site=site, period_start=day, period_end=day, due_at=now,
        address=f"{word.lower()}@example.com",
    )  # fmt: skip
    delivery.documents.add(dar)
    DeliveryPreference.objects.create(contact=contact, daily_reports="daily")
    DeviceToken.objects.create(
        user=guard, device_id=f"{word}-phone", device_name=f"{word} phone", token_hash=f"{company.pk:064d}",
        expires_at=now,
    )  # fmt: skip
    return Company_(company=company, manager=manager)


@pytest.fixture
def ours() -> Company_:
    return _company_with_everything("Acme", "acme", geo.SITE_SQUARE)


@pytest.fixture
def theirs() -> Company_:
    return _company_with_everything(OTHER, "zephyr", geo.OTHER_SITE_SQUARE)


def _one_of_ours(model: type[Model], company: Company, manager: User) -> Model | None:
    if model is Company:
        return company
    if model is User:
        return manager
    if hasattr(model, "TENANT_PATH"):
        return model._default_manager.filter(**{model.TENANT_PATH: company}).first()
    return None


def _admin_pages(model: type[Model], row: Model | None) -> list[str]:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    if row is not None:
        pages.append(reverse(f"{name}_change", args=[row.pk]))
    return pages


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model.__name__)
def test_no_admin_page_of_a_manager_names_another_companys_rows(model, ours, theirs):
    # given two companies with one of everything, the other's names all saying "Zephyr"
    browser = manager_admin(ours.manager)
    row = _one_of_ours(model, ours.company, ours.manager)
    if model not in (Group,) and model._meta.app_label not in ("core",):
        assert row is not None, f"give {model.__name__} a row in _company_with_everything"

    for page in _admin_pages(model, row):
        # when our manager opens the list, the add page and one of our rows
        response = browser.get(page)

        # then the page works (or is refused) and never names the other company's rows
        assert response.status_code in (200, 403), page
        assert OTHER.encode() not in response.content, f"{page} shows the other company's rows"


def test_the_filters_the_issue_names_list_only_our_rows(ours, theirs):
    browser = manager_admin(ours.manager)

    clock_events = browser.get("/admin/tracking/clockevent/").content.decode()
    users = browser.get("/admin/accounts/user/").content.decode()
    reports = browser.get("/admin/incidents/incidentreport/").content.decode()

    assert "Acme Tower" in clock_events
    assert f"{OTHER} Tower" not in clock_events
    assert f"{OTHER} Security" not in users
    assert reports.count("Acme Noise") >= 1
    assert f"{OTHER} Noise" not in reports
    # each of our types is offered once: Django's filter listed every company's "Noise"
    assert reports.count(f"?type__id__exact={IncidentType.objects.get(name='Acme Noise').pk}") == 1


def test_guardops_staff_still_filter_across_companies(ours, theirs):
    browser = manager_admin(ours.manager)
    browser.force_login(factories.StaffFactory())

    clock_events = browser.get("/admin/tracking/clockevent/").content.decode()

    assert "Acme Tower" in clock_events
    assert f"{OTHER} Tower" in clock_events


def _filter_choices(model_admin, user) -> list[list[str]]:
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    return [[str(choice["display"]) for choice in spec.choices(changelist)] for spec in changelist.filter_specs]


def test_any_new_list_filter_is_scoped_without_a_hand_fix(tenant, other_tenant):
    # given an admin someone adds later, filtering across relations by a row and by a value
    other_tenant.site.city = "Zephyrville"
    other_tenant.site.save()
    factories.SiteFactory(client=tenant.client, name="Annex")
    factories.GuardFactory(company=tenant.company)

    class ShiftByCityAdmin(TenantScopedAdmin):
        list_filter = ("post__site", "post__site__city", ("guard", RelatedFieldListFilter))

    model_admin = ShiftByCityAdmin(Shift, admin.site)

    # when a manager's changelist builds its filters, then only their company is offered
    site_choices, city_choices, guard_choices = _filter_choices(model_admin, tenant.manager)
    assert tenant.site.name in site_choices
    assert other_tenant.site.name not in site_choices
    assert "Atlanta" in city_choices
    assert "Zephyrville" not in city_choices
    assert str(tenant.guard) in guard_choices
    assert str(other_tenant.guard) not in guard_choices

    # and GuardOps staff still see every company's
    staff_sites, staff_cities, _ = _filter_choices(model_admin, factories.StaffFactory())
    assert other_tenant.site.name in staff_sites
    assert "Zephyrville" in staff_cities


def test_the_admin_home_and_a_search_name_nothing_of_the_other_company(ours, theirs):
    browser = manager_admin(ours.manager)
    theirs.manager.first_name = "Acme"  # a search that would match them, if they were ours
    theirs.manager.save()

    home = browser.get("/admin/")
    search = browser.get("/admin/accounts/user/", {"q": "Acme"})
    by_their_site = browser.get("/admin/tracking/clockevent/", {"shift__post__site__id__exact": _their_site_id(theirs)})

    assert home.status_code == 200
    assert OTHER.encode() not in home.content
    assert OTHER.encode() not in search.content
    assert OTHER.encode() not in by_their_site.content


def _their_site_id(company: Company_) -> int:
    from backend.sites.models import Site

    return Site.objects.get(client__company=company.company).pk

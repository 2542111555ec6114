"""A company never reads another company's rows; scoping goes through one helper."""

import pytest
from django.apps import apps

from backend.core.models import TenantModel
from backend.sites.models import Site
from backend.sites.selectors import site_get, sites_for_company, sites_visible_to
from backend.staffing.selectors import guards_for_company, posts_for_company, shifts_for_company, shifts_for_guard
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
    domain_models = [m for m in apps.get_models() if m._meta.app_label in {"sites", "staffing"}]
    assert domain_models, "domain apps have models"
    missing = [m.__name__ for m in domain_models if not issubclass(m, TenantModel) or not getattr(m, "TENANT_PATH", "")]
    assert missing == []


@pytest.mark.parametrize("model", _tenant_models(), ids=lambda m: m.__name__)
def test_for_company_filters_every_tenant_model(model, tenant, other_tenant):
    # given one row of every kind in each tenant
    for t in (tenant, other_tenant):
        shift = factories.ShiftFactory(post=t.post, guard=t.guard)
        factories.UnitFactory(site=t.site)
        factories.CheckpointFactory(site=t.site)
        factories.RestrictedZoneFactory(site=t.site, area=t.site.geofence[0])
        order = factories.PostOrderFactory(post=t.post)
        order.acknowledgements.create(guard=t.guard, acknowledged_at=shift.scheduled_start)

    # when scoped to the first company, then no row reaches the second company
    rows = model.objects.for_company(tenant.company)
    assert rows.exists()
    other_rows = model.objects.for_company(other_tenant.company)
    assert other_rows.exists()
    assert not set(rows.values_list("pk", flat=True)) & set(other_rows.values_list("pk", flat=True))

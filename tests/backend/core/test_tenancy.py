"""for_client and for_sites reach the right Client and Site from every model, or refuse."""

import pytest
from django.apps import apps

from backend.core.models import TenantModel, TenantQuerySet
from backend.core.tenancy import ScopePathMissing
from tests.backend.test_tenancy import _one_of_everything

pytestmark = pytest.mark.django_db

# Company-level rows: they belong to the security company, not to one of its clients.
NOT_ON_A_CLIENT = {
    "IncidentType",
    "RuleSettings",
    "DeviceToken",
    "Qualification",
    "GuardQualification",
    "GuardNotice",
    "DispatchPolicy",
    "DispositionCode",
    "TimerTarget",
}
# Client-level rows that are on no single site.
NOT_ON_A_SITE = NOT_ON_A_CLIENT | {"Client", "ClientGreeting", "DeliveryPreference"}


def _tenant_models() -> list[type[TenantModel]]:
    return [model for model in apps.get_models() if issubclass(model, TenantModel)]


def _pks(rows: TenantQuerySet) -> set[object]:
    return set(rows.values_list("pk", flat=True))


def test_every_tenant_model_names_its_client_and_site_unless_it_is_company_level():
    # A new model that hangs from a site but forgets CLIENT_PATH/SITE_PATH would be
    # unreachable for the portal (for_client raises): listed here it fails loudly.
    without_client = {m.__name__ for m in _tenant_models() if not getattr(m, "CLIENT_PATH", None)}
    without_site = {m.__name__ for m in _tenant_models() if not getattr(m, "SITE_PATH", None)}

    assert without_client == NOT_ON_A_CLIENT
    assert without_site == NOT_ON_A_SITE


@pytest.mark.parametrize(
    "model", [m for m in _tenant_models() if m.__name__ not in NOT_ON_A_CLIENT], ids=lambda m: m.__name__
)
def test_for_client_finds_exactly_the_clients_rows(model, tenant, other_tenant):
    # given one row of every kind in each tenant, all on each tenant's one client's site
    _one_of_everything(tenant)
    _one_of_everything(other_tenant)

    # when scoped to the first tenant's client
    rows = model.objects.for_client(tenant.client)

    # then they are all the company's rows of that kind, and none of the other client's
    assert _pks(rows) == _pks(model.objects.for_company(tenant.company)) != set()
    assert not _pks(rows) & _pks(model.objects.for_client(other_tenant.client.pk))


@pytest.mark.parametrize(
    "model", [m for m in _tenant_models() if m.__name__ not in NOT_ON_A_SITE], ids=lambda m: m.__name__
)
def test_for_sites_finds_exactly_the_sites_rows(model, tenant, other_tenant):
    _one_of_everything(tenant)
    _one_of_everything(other_tenant)

    rows = model.objects.for_sites([tenant.site.pk])

    assert _pks(rows) == _pks(model.objects.for_company(tenant.company)) != set()
    assert not model.objects.for_sites([]).exists()
    assert _pks(model.objects.for_sites([tenant.site.pk, other_tenant.site.pk])) == _pks(rows) | _pks(
        model.objects.for_company(other_tenant.company)
    )


@pytest.mark.parametrize("name", sorted(NOT_ON_A_CLIENT))
def test_scoping_a_company_level_model_by_client_or_site_is_a_programming_error(name, tenant):
    model = next(m for m in _tenant_models() if m.__name__ == name)

    with pytest.raises(ScopePathMissing, match=f"{name} has no CLIENT_PATH"):
        model.objects.for_client(tenant.client)
    with pytest.raises(ScopePathMissing, match=f"{name} has no SITE_PATH"):
        model.objects.for_sites([tenant.site.pk])


def test_clients_are_not_on_a_site(tenant):
    client_model = apps.get_model("sites", "Client")

    assert list(client_model.objects.for_client(tenant.client)) == [tenant.client]
    with pytest.raises(ScopePathMissing):
        client_model.objects.for_sites([tenant.site.pk])


def test_the_admin_helpers_are_still_importable_from_the_admin_module():
    from backend.core import admin_tenancy, tenancy

    assert admin_tenancy.acting_company_id is tenancy.acting_company_id
    assert admin_tenancy.scope_to_company is tenancy.scope_to_company

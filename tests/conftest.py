"""Shared fixtures: two tenants with a site, a post and people each."""

from dataclasses import dataclass

import pytest
from django.test import Client

from backend.accounts.models import Company, User
from backend.devices.services import device_token_issue
from backend.sites.models import Client as ClientCompany
from backend.sites.models import Site
from backend.staffing.models import Post
from tests import factories, geo


@dataclass
class Tenant:
    company: Company
    client: ClientCompany
    site: Site
    post: Post
    guard: User
    manager: User
    client_contact: User


def _tenant(slug: str, fence: object) -> Tenant:
    company = factories.CompanyFactory(slug=slug, name=slug.title())
    client = factories.ClientFactory(company=company)
    site = factories.SiteFactory(client=client, geofence=fence)
    return Tenant(
        company=company,
        client=client,
        site=site,
        post=factories.PostFactory(site=site),
        guard=factories.GuardFactory(company=company),
        manager=factories.ManagerFactory(company=company),
        client_contact=factories.ClientContactFactory(client=client),
    )


@pytest.fixture
def tenant(db: None) -> Tenant:
    return _tenant("acme", geo.SITE_SQUARE)


@pytest.fixture
def other_tenant(db: None) -> Tenant:
    return _tenant("rival", geo.OTHER_SITE_SQUARE)


@pytest.fixture(autouse=True)
def _clear_login_throttle(settings):
    """Each test starts with no failed-login counters in Redis (keys are per test run)."""
    yield
    from backend.accounts.throttle import _redis

    client = _redis()
    keys = list(client.scan_iter(f"{settings.LOGIN_THROTTLE['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


class ApiClient(Client):
    """Django test client speaking JSON to the mobile API as one device."""

    base = "/api/mobile/v1"

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(headers=headers)

    def get_json(self, path: str, **params: object):
        return self.get(self.base + path, params)

    def post_json(self, path: str, body: object, **extra: object):
        return self.post(self.base + path, body, content_type="application/json", **extra)

    def put_json(self, path: str, body: object, **extra: object):
        return self.put(self.base + path, body, content_type="application/json", **extra)

    def delete_json(self, path: str):
        return self.delete(self.base + path)


def api_client_for(guard: User, device_id: str = "test-phone") -> ApiClient:
    raw, _ = device_token_issue(
        username=guard.username,
        password="pw-for-tests",
        device_id=device_id,
        device_name="Test phone",
        client_ip="10.0.0.1",
    )
    return ApiClient(raw)


@pytest.fixture
def guard_api(tenant: Tenant) -> ApiClient:
    """The mobile API as tenant.guard's phone."""
    return api_client_for(tenant.guard)


@pytest.fixture
def other_guard_api(other_tenant: Tenant) -> ApiClient:
    """The mobile API as the other company's guard."""
    return api_client_for(other_tenant.guard)


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient()

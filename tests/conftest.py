"""Shared fixtures: two tenants with a site, a post and people each."""

from dataclasses import dataclass

import pytest

from backend.accounts.models import Company, User
from backend.sites.models import Client, Site
from backend.staffing.models import Post
from tests import factories, geo


@dataclass
class Tenant:
    company: Company
    client: Client
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

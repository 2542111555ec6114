"""In the admin, a manager works only with their own company's data."""

import pytest
from django.contrib.auth.models import Permission

from tests.web.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _grant_domain_permissions(user):
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["sites", "staffing"]))


def test_manager_lists_only_own_sites_and_gets_404_for_another_companys(page, live_server, tenant, other_tenant):
    # given a manager with admin rights, and a site in each company
    _grant_domain_permissions(tenant.manager)
    admin_login(page, live_server.url, tenant.manager.username)

    # when they open the site list
    page.goto(f"{live_server.url}/admin/sites/site/")

    # then they see their own site and not the other company's
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert tenant.site.name in rows.first.inner_text()
    assert other_tenant.site.name not in page.content()

    # and the other company's site, by its URL, is a 404
    response = page.goto(f"{live_server.url}/admin/sites/site/{other_tenant.site.pk}/change/")
    assert response is not None
    assert response.status == 404


def test_manager_can_only_pick_own_company_rows_when_scheduling(page, live_server, tenant, other_tenant):
    _grant_domain_permissions(tenant.manager)
    admin_login(page, live_server.url, tenant.manager.username)

    page.goto(f"{live_server.url}/admin/staffing/shift/add/")

    guard_options = page.locator("#id_guard option").all_inner_texts()
    post_options = page.locator("#id_post option").all_inner_texts()
    assert str(tenant.guard) in guard_options
    assert str(other_tenant.guard) not in guard_options
    assert any(tenant.post.name in option for option in post_options)
    assert not any(other_tenant.post.name in option for option in post_options)


def test_site_geofence_is_edited_on_a_map_that_works_offline(page, live_server, tenant):
    # given a manager, and a browser that records every host the page asks for
    _grant_domain_permissions(tenant.manager)
    admin_login(page, live_server.url, tenant.manager.username)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # when they open their site
    page.goto(f"{live_server.url}/admin/sites/site/{tenant.site.pk}/change/")

    # then django-leaflet's bundled map draws the fence, and nothing came from another host
    assert page.locator("#id_geofence-map").is_visible()
    page.locator("#id_geofence-map path.leaflet-interactive").first.wait_for()
    assert [url for url in requested if not url.startswith(live_server.url)] == []

"""console_view: who gets in, what they see when they do not, and the scope every page reads through."""

import pytest

from tests import factories
from tests.console.conftest import console_login, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["guard", "client_contact"])
def test_a_guard_or_client_contact_who_signs_in_gets_the_not_for_your_role_page(who, tenant, client):
    person = getattr(tenant, who)

    response = console_login(client, person.username, next_url="/console/")
    page = client.get(response["Location"])

    assert page.status_code == 403
    text = page.content.decode()
    assert "not for your role" in text
    assert 'action="/console/logout"' in text
    assert "Open flags" not in text


def test_guardops_staff_are_pointed_to_the_admin(db):
    response = signed_in(factories.StaffFactory()).get("/console/today")

    assert response.status_code == 403
    assert 'href="/admin/"' in response.content.decode()


def test_nobody_signed_in_is_sent_to_the_login_page_with_the_way_back(client):
    response = client.get("/console/")

    assert response.status_code == 302
    assert response["Location"] == "/console/login?next=/console/"


def test_a_supervisor_gets_the_console(world):
    response = signed_in(world.supervisor).get("/console/today")

    assert response.status_code == 200
    assert "Site supervisor" in response.content.decode()


def test_every_console_answer_varies_on_htmx_and_is_not_cached(tenant):
    response = signed_in(tenant.manager).get("/console/today")

    assert "HX-Request" in response["Vary"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.urls("tests.console.probe_urls")
def test_a_site_is_reached_through_the_scope(world):
    url = f"/console/probe/sites/{world.site.pk}"

    assert signed_in(world.tenant.manager).get(url).content.decode() == f"site {world.site.name}"
    assert signed_in(world.supervisor).get(url).status_code == 200


@pytest.mark.urls("tests.console.probe_urls")
@pytest.mark.parametrize("who", ["other_company_manager", "unassigned_supervisor"])
def test_someone_elses_site_is_the_consoles_404_page(who, world):
    person = world.other_tenant.manager if who == "other_company_manager" else world.unassigned_supervisor

    response = signed_in(person).get(f"/console/probe/sites/{world.site.pk}")

    assert response.status_code == 404
    text = response.content.decode()
    assert "Not found" in text
    assert world.site.name not in text


@pytest.mark.urls("tests.console.probe_urls")
def test_a_services_refusal_that_a_view_missed_is_its_status_page_not_a_500(tenant):
    response = signed_in(tenant.manager).get("/console/probe/conflict")

    assert response.status_code == 409
    assert "Already approved by Pat at 10:02 EST." in response.content.decode()


def test_an_htmx_request_from_nobody_signed_in_sends_the_whole_window_to_login(client):
    response = client.get("/console/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == "/console/login?next=%2Fconsole%2F"

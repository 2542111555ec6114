"""The console's pages as a browser receives them: CSP, no outside hosts, static files, home counts."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from backend.flags.models import Flag, Severity
from backend.staffing.models import ShiftStatus
from tests import factories
from tests.console.conftest import htmx_fragment, signed_in

pytestmark = pytest.mark.django_db


def test_console_pages_carry_a_csp_without_inline_code_or_eval(tenant, client):
    for response in (client.get("/console/login"), signed_in(tenant.manager).get("/console/today")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


def test_no_console_page_loads_anything_from_another_host_or_runs_inline_code(tenant, client):
    pages = [
        client.get("/console/login").content.decode(),
        signed_in(tenant.manager).get("/console/today").content.decode(),
    ]

    for page in pages:
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", page)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline <script>"
        assert not re.search(r"\son[a-z]+=", page), "inline event handler"
        assert "<style" not in page
        assert '"allowEval": false' in page


@pytest.mark.parametrize(
    "path",
    [
        "vendor/htmx/htmx.min.js",
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "console/console.css",
        "console/js/controllers.js",
        "console/js/map.js",
    ],
)
def test_the_libraries_and_our_own_files_are_served_from_here(path, client):
    assert finders.find(path), f"{path} not found: run `npm ci` (scripts/setup.sh does)"

    response = client.get(f"/static/{path}")
    response.close()

    assert response.status_code == 200


def test_the_page_sends_the_csrf_token_with_every_htmx_request(tenant):
    page = signed_in(tenant.manager).get("/console/today").content.decode()

    assert re.search(r"""<body hx-headers='\{"X-CSRFToken": "[A-Za-z0-9]+"\}'>""", page)


def test_the_header_names_the_company_and_the_person(tenant):
    page = signed_in(tenant.manager).get("/console/today").content.decode()

    assert tenant.company.name in page
    assert tenant.manager.get_full_name() in page
    assert "Operations manager" in page


def _open_flag(shift, severity):
    return factories.open_flag(
        shift=shift, code="LATE_CLOCK_IN", key=f"probe-{Flag.objects.count()}", severity=severity, message="Late."
    )


def test_home_counts_what_needs_a_person_on_the_viewers_sites_only(world, django_assert_max_num_queries):
    # given an in-progress shift with two open critical flags on the supervisor's site, one on another site,
    # and the other company's open flag
    now = timezone.now()
    started = {"status": ShiftStatus.IN_PROGRESS, "clock_in_at": now - timedelta(minutes=55)}
    here = factories.ShiftFactory(post=world.tenant.post, guard=world.tenant.guard, **started)
    elsewhere_post = factories.PostFactory(site=world.second_site)
    elsewhere = factories.ShiftFactory(post=elsewhere_post, guard=world.tenant.guard, **started)
    rival = factories.ShiftFactory(post=world.other_tenant.post, guard=world.other_tenant.guard)
    _open_flag(here, Severity.CRITICAL)
    _open_flag(here, Severity.CRITICAL)
    _open_flag(elsewhere, Severity.WARNING)
    _open_flag(rival, Severity.CRITICAL)

    # when the supervisor and the manager open the home page
    client = signed_in(world.supervisor)
    client.get("/console/today")  # the first request of a session also stamps it (idle clock)
    # session, user, assigned sites, company name, and one count per card
    with django_assert_max_num_queries(7):
        supervisor_page = client.get("/console/today").content.decode()
    manager_page = signed_in(world.tenant.manager).get("/console/today").content.decode()

    # then each sees the counts of their own sites
    def count(page, test_id):
        return int(re.search(rf'data-testid="{test_id}">(\d+)<', page).group(1))

    assert count(supervisor_page, "open-flags-critical") == 2
    assert count(supervisor_page, "open-flags-attention") == 0
    assert count(supervisor_page, "shifts-in-progress") == 1
    assert count(manager_page, "open-flags-critical") == 2
    assert count(manager_page, "open-flags-attention") == 1
    assert count(manager_page, "shifts-in-progress") == 2
    assert '<span class="status status-critical">Critical</span>' in supervisor_page


def test_htmx_refreshes_only_the_counts(tenant):
    page = htmx_fragment(signed_in(tenant.manager), "/console/today")

    assert page.lstrip().startswith('<div class="cards" id="home-counts"')

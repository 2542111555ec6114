"""The demo gives the console its second role: a supervisor of two sites, named in the banner."""

from io import StringIO

import pytest
from django.core.management import call_command

from backend.accounts.models import User
from backend.sites.scopes import scope_for
from tests.console.conftest import console_login

pytestmark = pytest.mark.django_db


def test_the_demo_supervisor_signs_in_to_the_console_and_sees_two_of_the_managers_sites(client, settings):
    call_command("seed_demo", verbosity=0)
    supervisor = User.objects.get(username="supervisor")

    assert supervisor.company == User.objects.get(username="manager").company
    assert len(scope_for(supervisor).site_ids) == 2
    assert console_login(client, "supervisor", settings.DEMO_PASSWORD)["Location"] == "/console/"
    assert client.get("/console/today").status_code == 200


def test_the_banner_prints_the_console_url_and_the_supervisor_login():
    call_command("seed_demo", verbosity=0)
    out = StringIO()

    call_command("demo_banner", "--port", "8123", stdout=out)

    assert "http://127.0.0.1:8123/console/" in out.getvalue()
    assert "supervisor" in out.getvalue()

"""Each surface's isolation registry covers its URLs exactly: a new URL without a case fails here,
and so does a case left behind by a URL that is gone (tests/console/isolation.py, tests/portal/isolation.py)."""

import pytest

import console.urls
import portal.urls
import tests.console.isolation_cases  # noqa: F401  (registers the cases)
import tests.portal.isolation_cases  # noqa: F401
from tests.console.isolation import CASES as CONSOLE_CASES
from tests.portal.isolation import CASES as PORTAL_CASES
from tests.web_isolation import url_names

SURFACES = pytest.mark.parametrize(
    ("urls", "cases", "cases_folder"),
    [
        pytest.param(
            url_names(console.urls.urlpatterns, "console:"),
            CONSOLE_CASES,
            "tests/console/isolation_cases/",
            id="console",
        ),
        pytest.param(
            url_names(portal.urls.urlpatterns, "portal:"), PORTAL_CASES, "tests/portal/isolation_cases/", id="portal"
        ),
    ],
)


@SURFACES
def test_every_url_has_an_isolation_case(urls, cases, cases_folder):
    missing = sorted(set(urls) - set(cases))
    assert not missing, f"Add an isolation case in {cases_folder} for: {', '.join(missing)}"


@SURFACES
def test_every_case_names_a_url(urls, cases, cases_folder):
    stale = sorted(set(cases) - set(urls))
    assert not stale, f"Isolation cases for URLs that do not exist: {', '.join(stale)}"

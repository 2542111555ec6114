"""Schemathesis against the published OpenAPI, authenticated as a guard.

Every operation gets generated requests, valid and invalid; no answer may be a 5xx,
carry an undocumented status, or break its documented schema.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from backend.config.wsgi import application
from tests.conftest import api_client_for

schema = schemathesis.openapi.from_wsgi("/api/mobile/v1/openapi.json", application)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the DB connection (and the test's
    transaction) at the end of each request; Django's test client disconnects the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(tenant, keep_test_connection) -> dict[str, str]:
    from tests import factories
    from tests.dispatching import dispatched

    # Something real to find: a shift of the guard's (ids are small, so fuzzed ids hit it).
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    # And a service request dispatched to them, so the dispatch endpoints answer more than 404s.
    dispatched(tenant=tenant)
    return {"Authorization": f"Bearer {api_client_for(tenant.guard).token}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_5xx_and_every_answer_matches_the_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)

"""The demo gives dispatch something to show: a service request in each state, made once."""

import pytest
from django.core.management import call_command

from backend.dispatch.models import RequestStatus, ServiceRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_service_request_in_each_state_and_a_reseed_adds_none():
    call_command("seed_demo", verbosity=0)
    first = sorted(ServiceRequest.objects.values_list("pk", "status"))

    call_command("seed_demo", verbosity=0)

    assert {status for _, status in first} == set(RequestStatus.values)
    assert sorted(ServiceRequest.objects.values_list("pk", "status")) == first
    arrived = ServiceRequest.objects.get(status=RequestStatus.ARRIVED)
    assert arrived.second_callback_required
    assert not arrived.callbacks.filter(phase="on_arrival").exists()

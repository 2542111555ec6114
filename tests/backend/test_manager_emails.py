"""What a manager reads in an alert e-mail: the site's clock, readable evidence, a link."""

import uuid
from datetime import UTC, datetime

import pytest
from django.core import mail

from backend.flags.notifications import flag_notify_managers
from backend.rules.findings import FlagCode, Severity
from backend.tracking.field_services import panic_alert_notify_managers
from backend.tracking.models import PanicAlert, PanicNotification
from tests import factories, geo

pytestmark = pytest.mark.django_db

# 05:14 UTC on a winter night is 00:14 in Atlanta (EST).
RAISED = datetime(2026, 1, 15, 5, 14, tzinfo=UTC)
LEFT = datetime(2026, 1, 15, 4, 58, 30, tzinfo=UTC)


@pytest.fixture
def on_call(tenant, settings):
    settings.GUARDOPS_BASE_URL = "https://ops.acme.test"
    tenant.manager.email, tenant.manager.is_on_call = "dispatch@acme.test", True
    tenant.manager.save()
    return tenant.manager


def test_a_critical_flag_e_mail_reads_on_the_sites_clock_with_readable_evidence_and_a_link(tenant, on_call):
    # given a critical flag whose evidence holds instants, distances, a yes/no and a nested place
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    flag = factories.open_flag(
        shift=shift,
        code=FlagCode.OUT_OF_POSITION,
        severity=Severity.CRITICAL,
        message="The guard left the post.",
        raised_at=RAISED,
        evidence={
            "left_at": LEFT.isoformat(),
            "back_at": None,
            "distance_m": 412.4,
            "accuracy_m": 8.0,
            "is_mock": False,
            "nearest_unit": {"label": "Building A", "distance_m": 35.2},
        },
    )

    # when the on-call manager is e-mailed
    assert flag_notify_managers(flag_id=flag.pk) == 1

    # then times are Atlanta's with the zone, evidence is a list of labelled lines, and it links to the flag
    body = mail.outbox[0].body
    assert "Raised: 2026-01-15 00:14 EST" in body
    assert "Left the post: 2026-01-14 23:58 EST" in body
    assert "Back at the post: not recorded" in body
    assert "Distance: 412 m" in body
    assert "GPS accuracy: 8 m" in body
    assert "Is mock: no" in body
    assert "Nearest unit:" in body
    assert "Label: Building A" in body
    assert "{'" not in body
    assert "UTC" not in body
    assert f"https://ops.acme.test/admin/flags/flag/{flag.pk}/change/" in body
    assert mail.outbox[0].subject == f"[GuardOps] Out of position at {tenant.site.name}"


def _alert(tenant, **fields):
    return PanicAlert.objects.create(
        id=uuid.uuid4(),
        guard=tenant.guard,
        recorded_at=RAISED,
        received_at=RAISED,
        location=geo.INSIDE_CENTER,
        accuracy_m=6.0,
        **fields,
    )


def test_a_panic_e_mail_gives_the_local_time_and_links_to_the_alert(tenant, on_call):
    # given a panic alert with no shift open (so no flag): the company's clock applies
    alert = _alert(tenant)

    panic_alert_notify_managers(alert_id=alert.pk)

    body = mail.outbox[0].body
    assert "Received: 2026-01-15 00:14:00 EST" in body
    assert f"{geo.INSIDE_CENTER.y:.6f}, {geo.INSIDE_CENTER.x:.6f} ±6 m" in body
    assert f"https://ops.acme.test/admin/tracking/panicalert/{alert.pk}/change/" in body
    assert "UTC" not in body


def test_a_panic_without_a_shift_pages_each_manager_once_with_redis_down(tenant, on_call, settings):
    # given the cache (Redis) is unreachable and a second manager
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    factories.ManagerFactory(company=tenant.company, email="night-lead@acme.test")
    alert = _alert(tenant)

    # when the page is delivered, and delivered again (a re-delivered task)
    first = panic_alert_notify_managers(alert_id=alert.pk)
    again = panic_alert_notify_managers(alert_id=alert.pk)

    # then each manager got it once, and that is on record in the database
    assert (first, again) == (2, 0)
    assert len(mail.outbox) == 2
    assert PanicNotification.objects.filter(alert=alert, sent_at__isnull=False).count() == 2

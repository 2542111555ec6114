"""The demo loads what the README promises, and loading it twice changes nothing."""

from datetime import datetime, timedelta
from io import StringIO
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.demo.management.commands.demo_banner import ALWAYS_ON_GUARDS
from backend.sites.models import Checkpoint, Client, Site, Unit
from backend.staffing.models import PostOrder, PostOrderAcknowledgement, Shift, ShiftStatus

pytestmark = pytest.mark.django_db

MODELS = (Company, User, Client, Site, Unit, Checkpoint, PostOrder, PostOrderAcknowledgement, Shift)


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        model.__name__: sorted(
            model.objects.values_list(
                *[f.attname for f in model._meta.concrete_fields if f.attname not in {"updated_at", "last_login"}]
            )
        )
        for model in MODELS
    }


def test_seed_demo_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first


def test_demo_has_the_promised_shape_and_logins(settings):
    call_command("seed_demo", verbosity=0)
    main = Company.objects.get(slug="peachtree-shield")
    assert Client.objects.for_company(main).count() >= 3
    sites = Site.objects.for_company(main)
    assert sites.count() >= 6
    # Real-shaped fences: at least one site has more corners than a rectangle.
    assert max(len(site.geofence.coords[0][0]) for site in sites) > 20
    assert all(site.units.exists() and site.checkpoints.exists() for site in sites)
    assert User.objects.for_company(main).filter(role=Role.GUARD).count() >= 15
    now = timezone.now()
    shifts = Shift.objects.for_company(main)
    assert shifts.filter(scheduled_end__lt=now - timezone.timedelta(days=6)).exists()
    assert shifts.filter(scheduled_start__gt=now + timezone.timedelta(days=6)).exists()
    assert shifts.filter(scheduled_start__lte=now, scheduled_end__gt=now).exists()
    for username in ("guard1", "guard15", "manager", "client1", "other-guard1"):
        assert authenticate(username=username, password=settings.DEMO_PASSWORD) is not None, username
    assert User.objects.get(username="other-guard1").company.slug != "peachtree-shield"


ATLANTA = ZoneInfo("America/New_York")


def _demo_shifts_covering(moment: datetime):
    return Shift.objects.filter(
        guard__username__in=ALWAYS_ON_GUARDS, scheduled_start__lte=moment, scheduled_end__gt=moment
    )


@pytest.mark.parametrize(
    "seeded_at",
    [
        pytest.param(datetime(2026, 1, 15, 3, 30, tzinfo=ATLANTA), id="night"),
        pytest.param(datetime(2026, 1, 15, 7, 5, tzinfo=ATLANTA), id="just-after-day-change"),
        pytest.param(datetime(2026, 7, 15, 19, 5, tzinfo=ATLANTA), id="just-after-night-change-in-summer"),
    ],
)
def test_at_any_hour_of_the_day_a_named_demo_guard_is_on_shift(seeded_at):
    # given the demo seeded at some moment
    call_command("seed_demo", f"--now={seeded_at.isoformat()}", verbosity=0)

    # then right now one of the named guards is clocked into a shift in progress
    current = _demo_shifts_covering(seeded_at).get()
    assert current.status == ShiftStatus.IN_PROGRESS
    assert current.clock_in_at <= seeded_at
    # and every hour of the day before it was worked by one of them (no no-show, no gap)
    for hours_ago in range(1, 25):
        moment = seeded_at - timedelta(hours=hours_ago)
        worked = _demo_shifts_covering(moment).get()
        assert worked.clock_in_at <= moment < (worked.clock_out_at or seeded_at), moment
    # and every hour of the day ahead has one of them scheduled
    for hours_ahead in range(1, 25):
        assert _demo_shifts_covering(seeded_at + timedelta(hours=hours_ahead)).count() == 1
    # and nobody is clocked in before they arrive, or booked on two shifts at once
    assert not Shift.objects.filter(clock_in_at__gt=seeded_at).exists()
    for guard in User.objects.filter(role=Role.GUARD):
        spans = list(Shift.objects.filter(guard=guard).order_by("scheduled_start"))
        assert all(later.scheduled_start >= earlier.scheduled_end for earlier, later in pairwise(spans)), guard


def test_the_banner_names_the_demo_guard_on_shift_now():
    call_command("seed_demo", verbosity=0)
    on_shift = _demo_shifts_covering(timezone.now()).select_related("guard").get()

    out = StringIO()
    call_command("demo_banner", stdout=out)

    assert f"On shift now     {on_shift.guard.username} ({on_shift.guard.get_full_name()})" in out.getvalue()

"""The demo loads what the README promises, and loading it twice changes nothing."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.sites.models import Checkpoint, Client, Site, Unit
from backend.staffing.models import PostOrder, PostOrderAcknowledgement, Shift

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

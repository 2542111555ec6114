"""Every new company starts with the default timer targets."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from backend.accounts.models import Company
from backend.dispatch.services import timer_targets_seed_defaults


@receiver(post_save, sender=Company, dispatch_uid="dispatch_seed_timer_targets_for_new_company")
def company_created_seed_timer_targets(sender: type[Company], instance: Company, created: bool, **kwargs: Any) -> None:
    # Fixture loading (raw) brings its own rows.
    if created and not kwargs.get("raw", False):
        timer_targets_seed_defaults(company=instance)

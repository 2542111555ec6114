"""Every new company starts with the default disposition catalogue."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from backend.accounts.models import Company
from backend.calls.services import call_tally_rebuild, dispositions_seed_defaults


@receiver(post_save, sender=Company, dispatch_uid="calls_seed_dispositions_for_new_company")
def company_created_seed_dispositions(sender: type[Company], instance: Company, created: bool, **kwargs: Any) -> None:
    # Fixture loading (raw) brings its own rows.
    if created and not kwargs.get("raw", False):
        dispositions_seed_defaults(company=instance)


@receiver(post_save, sender=Company, dispatch_uid="calls_tally_follows_company_zone")
def company_saved_tally_zone(sender: type[Company], instance: Company, created: bool, **kwargs: Any) -> None:
    # The tally's weeks are on the company's clock: a new clock recounts them (one statement).
    if not created and not kwargs.get("raw", False):
        call_tally_rebuild(company=instance, only_if_zone_changed=True)

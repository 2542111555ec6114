"""Every new company starts with the default incident-type catalogue."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from backend.accounts.models import Company
from backend.incidents.services import incident_types_seed_defaults


@receiver(post_save, sender=Company, dispatch_uid="incidents_seed_types_for_new_company")
def company_created_seed_incident_types(sender: type[Company], instance: Company, created: bool, **kwargs: Any) -> None:
    # Fixture loading (raw) brings its own rows.
    if created and not kwargs.get("raw", False):
        incident_types_seed_defaults(company=instance)

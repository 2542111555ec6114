"""A company's overrides of the rules' default thresholds."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from backend.core.models import TenantModel
from backend.rules.thresholds import DEFAULTS
from narrative.gazetteer import agency_terms_problem


class RuleSettings(TenantModel):
    """Per-company thresholds; anything not set here uses the documented default."""

    TENANT_PATH: ClassVar[str] = "company"

    company = models.OneToOneField("accounts.Company", on_delete=models.CASCADE, related_name="rule_settings")
    overrides = models.JSONField(
        default=dict, blank=True, help_text='e.g. {"late_clock_in_grace_min": 10, "unit_mismatch_m": 200}'
    )
    agency_terms = models.JSONField(
        default=dict,
        blank=True,
        help_text='Local words for fire, police and EMS, added to the defaults: {"fire": ["AFR"], "police": ["GSP"]}.',
    )

    class Meta:
        verbose_name = "rule settings"
        verbose_name_plural = "rule settings"

    def __str__(self) -> str:
        return f"Rule settings of {self.company}"

    def clean(self) -> None:
        if not isinstance(self.overrides, dict):
            raise ValidationError({"overrides": "Must be a JSON object of threshold names to numbers."})
        try:
            DEFAULTS.with_overrides(self.overrides)
        except ValueError as error:
            raise ValidationError({"overrides": str(error)}) from error
        if (problem := agency_terms_problem(self.agency_terms)) is not None:
            raise ValidationError({"agency_terms": problem})

from collections.abc import Iterable

from backend.accounts.models import Company
from backend.rules.models import RuleSettings
from backend.rules.thresholds import DEFAULTS, Thresholds


def thresholds_for(*, company: Company | int) -> Thresholds:
    """The company's thresholds: documented defaults with its overrides applied."""
    company_id = company if isinstance(company, int) else company.pk
    overrides = RuleSettings.objects.filter(company_id=company_id).values_list("overrides", flat=True).first()
    return DEFAULTS.with_overrides(overrides) if overrides else DEFAULTS


def thresholds_for_site(*, site_id: int) -> Thresholds:
    """The thresholds of the company that owns the site, in one query."""
    overrides = (
        RuleSettings.objects.filter(company__clients__sites__id=site_id).values_list("overrides", flat=True).first()
    )
    return DEFAULTS.with_overrides(overrides) if overrides else DEFAULTS


def thresholds_for_companies(*, company_ids: Iterable[int]) -> dict[int, Thresholds]:
    """Each company's thresholds, in one query whatever the number of companies."""
    wanted = set(company_ids)
    overrides = dict(RuleSettings.objects.filter(company_id__in=wanted).values_list("company_id", "overrides"))
    return {
        company_id: DEFAULTS.with_overrides(overrides[company_id]) if overrides.get(company_id) else DEFAULTS
        for company_id in wanted
    }

from backend.accounts.models import Company
from backend.rules.models import RuleSettings
from backend.rules.thresholds import DEFAULTS, Thresholds


def thresholds_for(*, company: Company | int) -> Thresholds:
    """The company's thresholds: documented defaults with its overrides applied."""
    company_id = company if isinstance(company, int) else company.pk
    overrides = RuleSettings.objects.filter(company_id=company_id).values_list("overrides", flat=True).first()
    return DEFAULTS.with_overrides(overrides) if overrides else DEFAULTS

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from backend.accounts.models import Company
from backend.rules.models import RuleSettings
from backend.rules.thresholds import DEFAULTS, Thresholds


def _defaults() -> Thresholds:
    # The escalation delay was a deployment setting before it was the company's: it stays the default.
    minutes = int(getattr(settings, "ALERT_ESCALATION_MINUTES", DEFAULTS.alert_escalation_min))
    if minutes == DEFAULTS.alert_escalation_min:
        return DEFAULTS
    return dataclasses.replace(DEFAULTS, alert_escalation_min=minutes)


def _thresholds(overrides: dict[str, Any] | None, agency_terms: object) -> Thresholds:
    return (_defaults().with_overrides(overrides) if overrides else _defaults()).with_agency_terms(agency_terms)


def thresholds_for(*, company: Company | int) -> Thresholds:
    """The company's thresholds: documented defaults with its overrides applied (and its agency words)."""
    company_id = company if isinstance(company, int) else company.pk
    row = RuleSettings.objects.filter(company_id=company_id).values_list("overrides", "agency_terms").first()
    return _thresholds(*row) if row else _defaults()


def thresholds_for_site(*, site_id: int) -> Thresholds:
    """The thresholds of the company that owns the site, in one query."""
    row = (
        RuleSettings.objects.filter(company__clients__sites__id=site_id)
        .values_list("overrides", "agency_terms")
        .first()
    )
    return _thresholds(*row) if row else _defaults()


def thresholds_for_companies(*, company_ids: Iterable[int]) -> dict[int, Thresholds]:
    """Each company's thresholds, in one query whatever the number of companies."""
    wanted = set(company_ids)
    rows = {
        company_id: (overrides, agency_terms)
        for company_id, overrides, agency_terms in RuleSettings.objects.filter(company_id__in=wanted).values_list(
            "company_id", "overrides", "agency_terms"
        )
    }
    return {company_id: _thresholds(*rows[company_id]) if company_id in rows else _defaults() for company_id in wanted}


def agency_terms_for(*, thresholds: Thresholds, site_terms: object) -> tuple[dict[str, Any], ...]:
    """The company's and then the site's own words for fire, police and EMS, as plain data for `narrative`."""
    company = {service: list(terms) for service, terms in thresholds.agency_terms}
    site = site_terms if isinstance(site_terms, dict) else {}
    return tuple(terms for terms in (company, site) if terms)

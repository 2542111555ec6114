"""Managers' dismissals of EMERGENCY_NOT_REPORTED become labelled narratives for the detector's corpus."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from backend.flags.models import DismissalReason, Flag, FlagStatus
from backend.flags.services import flag_dismiss
from backend.rules.models import RuleSettings
from backend.sites.models import Site
from tests import factories
from tests.mobile_api.test_incidents import file_directly

# A routine report the rule reads as "the police responded": the manager knows better.
NARRATIVE = (
    "At 0210 Officers Diaz and Grant arrived for relief at the guard shack and took over the post. "
    "I handed over the keys and the radio and left site at 0220."
)


def dismissed_emergency_flag(tenant, narrative=NARRATIVE, note="Our own relief officers, not police."):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    report = file_directly(shift, narrative=narrative)
    flag = Flag.objects.get(incident=report, code="EMERGENCY_NOT_REPORTED", status=FlagStatus.OPEN)
    return flag_dismiss(flag=flag, by=tenant.manager, reason=DismissalReason.RULE_TOO_STRICT, note=note)


def export(company) -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("export_emergency_dismissals", "--company", company.slug, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_dismissed_emergency_flag_is_exported_as_a_case_with_no_service_attended(tenant):
    # given a report the rule flagged as "police responded", dismissed by the manager
    flag = dismissed_emergency_flag(tenant)
    # when the company's dismissals are exported
    [case] = export(tenant.company)
    # then the case carries the narrative, what the rule claimed, and the manager's verdict and reason
    assert case["text"] == NARRATIVE
    assert case["services"] == []
    assert case["label"] == "no service attended"
    assert case["claimed"] == ["police"]
    assert (case["kind"], case["tag"]) == ("hard_negative", "manager_dismissed")
    assert case["dismissal_reason"] == "rule_too_strict"
    assert case["dismissal_note"] == "Our own relief officers, not police."
    assert case["id"] == f"dismissal-{flag.pk}"


def test_only_the_named_companys_dismissals_are_exported(tenant, other_tenant):
    dismissed_emergency_flag(other_tenant, note="Theirs.")
    assert export(tenant.company) == []
    assert [case["dismissal_note"] for case in export(other_tenant.company)] == ["Theirs."]


def test_open_flags_are_not_exported(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    file_directly(shift, narrative=NARRATIVE)
    assert export(tenant.company) == []


def test_an_unknown_company_is_an_error_not_an_empty_file(db):
    with pytest.raises(CommandError, match="No company 'nobody'"):
        call_command("export_emergency_dismissals", "--company", "nobody", stdout=io.StringIO())


def test_the_export_writes_to_a_file_in_the_corpus_format(tenant, tmp_path):
    dismissed_emergency_flag(tenant)
    target = tmp_path / "dismissed.jsonl"
    call_command(
        "export_emergency_dismissals", "--company", tenant.company.slug, "--output", str(target), stderr=io.StringIO()
    )
    [line] = target.read_text(encoding="utf-8").splitlines()
    assert {"id", "text", "services", "kind", "tag"} <= set(json.loads(line))


# --- the company's and the site's agency words reach a filed report's flags --------------------


def test_a_companys_and_a_sites_agency_words_raise_the_emergency_flag(tenant):
    # given a report naming the city's fire service by its initials, unknown to the defaults
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    plain = file_directly(shift, narrative="At 0210 AFR arrived and checked the transformer behind Building C.")
    assert not plain.flags.filter(code="EMERGENCY_NOT_REPORTED").exists()

    # when the company adds the initials to its agency words, then the next report is flagged
    RuleSettings.objects.create(company=tenant.company, agency_terms={"fire": ["AFR"]})
    company_word = file_directly(shift, narrative="At 0210 AFR arrived and checked the transformer behind Building C.")
    flag = company_word.flags.get(code="EMERGENCY_NOT_REPORTED")
    assert flag.severity == "critical"
    assert "the fire department responded" in flag.message

    # and a site's own words count on that site
    Site.objects.filter(pk=tenant.site.pk).update(agency_terms={"ems": ["Grady EMS"]})
    site_word = file_directly(shift, narrative="At 0300 Grady EMS arrived and checked the resident in the lobby.")
    assert site_word.flags.get(code="EMERGENCY_NOT_REPORTED").evidence["attended"] == ["ems"]


@pytest.mark.parametrize(
    "terms", [["AFR"], {"fire": "AFR"}, {"coast guard": ["USCG"]}, {"fire": [""]}], ids=str
)
def test_malformed_agency_words_are_refused_with_the_field_at_fault(tenant, terms):
    with pytest.raises(ValidationError) as refused:
        RuleSettings(company=tenant.company, agency_terms=terms).clean()
    assert "agency_terms" in refused.value.message_dict
    site = Site.objects.get(pk=tenant.site.pk)
    site.agency_terms = terms
    with pytest.raises(ValidationError) as refused_site:
        site.clean()
    assert "agency_terms" in refused_site.value.message_dict

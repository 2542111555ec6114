"""The portal's forms: the filters read from the query string, and what a contact writes.

A bad value (a date that is not one, a day in the future, a site that is not theirs) is a
field error on the form, answered 422 with the page, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms

from backend.clientview.reports import ReportFilters
from backend.clientview.selectors import day_in_range
from backend.core.errors import ApplicationError
from backend.core.localtime import zone
from backend.documents.models import DarFrequency
from backend.incidents.models import IncidentType
from backend.sites.models import Site

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def refusal_on_form(form: forms.Form, error: ApplicationError) -> int:
    """A service's refusal on the form (beside its field when the form has one); the status to answer."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
    # A 404 about a value the form picked (another client's site) is the form's fault: 422.
    return 422 if error.status in (403, 404) else error.status


class DayForm(forms.Form):
    """One day (or the week it falls in), in the query string; empty means today."""

    day = forms.DateField(required=False, label="Day", widget=DATE_INPUT)

    def chosen(self, *, today: date) -> tuple[date, int]:
        """The day asked for (today when none or a wrong one) and the status to answer (422 when wrong)."""
        if not self.is_bound:
            self.initial.setdefault("day", today)
            return today, 200
        if not self.is_valid():
            return today, 422
        asked = self.cleaned_data["day"]
        if asked is None:
            return today, 200
        self.initial["day"] = asked
        try:
            return day_in_range(day=asked, today=today, field_name="day"), 200
        except ApplicationError as error:
            return today, refusal_on_form(self, error)


class WeekForm(DayForm):
    day = forms.DateField(required=False, label="Week of", widget=DATE_INPUT)


class ReportFilterForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, empty_label="All your sites")
    type = forms.ModelChoiceField(queryset=IncidentType.objects.none(), required=False, empty_label="Any type")
    occurred_from = forms.DateField(required=False, label="From", widget=DATE_INPUT)
    occurred_to = forms.DateField(required=False, label="To", widget=DATE_INPUT)

    def __init__(self, *args: Any, sites: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites  # type: ignore[type-arg]
        cast(forms.ModelChoiceField, self.fields["type"]).queryset = types  # type: ignore[type-arg]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start is not None and end is not None and end < start:
            self.add_error("occurred_to", "The end comes before the start.")
        return data

    def filters(self, zone_name: str) -> ReportFilters:
        """The valid filters (days on the contact's clock); no filter at all when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data

        def midnight(day: date | None, plus: int = 0) -> datetime | None:
            return None if day is None else datetime.combine(day + timedelta(days=plus), time.min, zone(zone_name))

        return ReportFilters(
            site_id=data["site"].pk if data["site"] else None,
            type_id=data["type"].pk if data["type"] else None,
            occurred_from=midnight(data["occurred_from"]),
            occurred_before=midnight(data["occurred_to"], plus=1),
        )


class QuestionForm(forms.Form):
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your question",
        help_text="Operations answer here and by e-mail.",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label="Add to this concern")


class SummaryForm(forms.Form):
    """Which site's summary (empty: the client's, for a contact who sees every site)."""

    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, label="Site")

    def __init__(self, *args: Any, sites: Any, client_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["site"])  # type: ignore[type-arg]
        field.queryset = sites
        field.empty_label = "All your sites" if client_wide else None
        field.required = not client_wide

    def chosen_site(self) -> Site | None:
        """The chosen site, when the form is bound and valid; None otherwise (or for every site)."""
        if not self.is_bound or not self.is_valid():
            return None
        chosen: Site | None = self.cleaned_data["site"]
        return chosen


class DeliveryForm(forms.Form):
    """What the contact wants e-mailed, for which of their sites; the field names are the service's."""

    daily_reports = forms.ChoiceField(choices=DarFrequency.choices, label="Daily activity reports")
    incident_reports = forms.BooleanField(required=False, label="Each incident report, once approved")
    monthly_summary = forms.BooleanField(required=False, label="Last month's summary, on the 1st")
    email_enabled = forms.BooleanField(
        required=False, label="E-mail is on (off: nothing is e-mailed; the portal keeps all)"
    )
    site_ids = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="For these sites",
        help_text="None ticked: every site you can see, and new ones as they are added.",
    )

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["site_ids"]).queryset = sites  # type: ignore[type-arg]

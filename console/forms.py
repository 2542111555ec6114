"""Forms shared by the console's post-requirement pages, and turning a service's refusal into a form error."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from backend.core.errors import ApplicationError, NotFound, PermissionDenied
from backend.sites.scopes import Scope
from backend.staffing.models import Qualification
from backend.staffing.selectors import qualifications_visible


def refusal_on_form(form: forms.Form, error: ApplicationError) -> int:
    """Put a service's refusal on the form (beside its field when the form has one); the status to answer.

    A refusal of the person (403) or of the object in the URL (a 404 naming no field of
    the form) is re-raised: console_view answers those with its own pages.
    """
    if isinstance(error, PermissionDenied) or (isinstance(error, NotFound) and error.field not in form.fields):
        raise error
    form.add_error(error.field if error.field in form.fields else None, error.message)
    # A 404 about a picked value (another company's guard) is the form's fault: 422.
    return 422 if error.status == 404 else error.status


def scan_bytes(upload: UploadedFile | None) -> bytes | None:
    """The uploaded scan, read up to one byte past the limit (the service refuses what is larger)."""
    if upload is None:
        return None
    return cast(bytes, upload.read(int(settings.MOBILE_PHOTO_MAX_BYTES) + 1))


class QualificationForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name")
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Description"
    )


class QualificationAddForm(QualificationForm):
    is_induction = forms.BooleanField(
        required=False, label="Given at the site (an induction the guard is told about at clock-in)"
    )


class _CatalogueChoice(forms.Form):
    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["qualification"])  # type: ignore[type-arg]
        field.queryset = qualifications_visible(scope=scope, include_retired=False)


class RequirementForm(_CatalogueChoice):
    qualification = forms.ModelChoiceField(queryset=Qualification.objects.none(), label="Required qualification")


class HeldQualificationForm(_CatalogueChoice):
    qualification = forms.ModelChoiceField(queryset=Qualification.objects.none(), label="Qualification")
    issued_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Issued on")
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Expires on",
        help_text="Empty: no expiry.",
    )
    certificate = forms.FileField(
        required=False,
        label="Certificate scan",
        help_text="A photo or scan (JPEG, PNG or HEIC); only its pixels are kept.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/heic"}),
    )


class HeldCorrectionForm(HeldQualificationForm):
    note = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="What is corrected, and why"
    )

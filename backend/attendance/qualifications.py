"""Recording a guard's qualification, with the certificate scan handled like a report photo.

Here rather than in `staffing` because the scan goes through the photo helpers of
`backend.incidents.images` (a layer above staffing): only the re-encoded pixels are kept,
never the uploaded bytes with their EXIF, GPS or device serial.

A record is never edited: a correction is a new record that supersedes the old one
(`supersedes`), which stays, unread by the scheduling and clock-in checks.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from backend.accounts.models import Role, User
from backend.core.errors import Conflict, NotFound, ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.incidents.images import ImageRejected, prepare_photo
from backend.staffing.models import GuardQualification, Qualification
from backend.staffing.services import manager_check


def _new_record(
    *,
    by: User,
    guard: User,
    qualification: Qualification,
    issued_on: date,
    expires_on: date | None,
    certificate: bytes | None,
) -> GuardQualification:
    """The checked, unsaved record (its scan already stored when one was given)."""
    company_id = qualification.company_id
    # A company-level record: a manager's to keep (a site supervisor's reach is sites).
    manager_check(user=by, company_id=company_id, not_found=_not_found())
    if guard.role != Role.GUARD or guard.company_id != company_id:
        raise NotFound("No such guard.", field="guard", code="guard_not_found")
    if qualification.retired_at is not None:
        raise ValidationFailed(
            f"{qualification.name} is retired from the catalogue.", field="qualification", code="qualification_retired"
        )
    if expires_on is not None and expires_on < issued_on:
        raise ValidationFailed(
            "It cannot expire before it was issued.", field="expires_on", code="expires_before_issue"
        )
    held = GuardQualification(
        guard=guard, qualification=qualification, issued_on=issued_on, expires_on=expires_on, recorded_by=by
    )
    if certificate:
        if len(certificate) > int(settings.MOBILE_PHOTO_MAX_BYTES):
            raise ValidationFailed("The scan is too large.", field="certificate", code="certificate_too_large")
        try:
            prepared = prepare_photo(certificate, max_pixels=int(settings.MOBILE_PHOTO_MAX_PIXELS))
        except ImageRejected as rejected:
            raise ValidationFailed(
                rejected.message, field="certificate", code=f"certificate_{rejected.reason}"
            ) from rejected
        held.certificate.save("certificate.jpg", ContentFile(prepared.display_jpeg), save=False)
    return held


@transaction.atomic
def guard_qualification_record(
    *,
    by: User,
    guard: User,
    qualification: Qualification,
    issued_on: date,
    expires_on: date | None = None,
    certificate: bytes | None = None,
) -> GuardQualification:
    """A manager records that `guard` holds `qualification` from `issued_on` to `expires_on`.

    Raises `managers_only` (a supervisor), `not_a_reviewer`, `guard_not_found` /
    `qualification_not_found` (another company's), `qualification_retired`,
    `expires_before_issue`, `certificate_too_large`, `certificate_unsupported`.
    """
    held = _new_record(
        by=by,
        guard=guard,
        qualification=qualification,
        issued_on=issued_on,
        expires_on=expires_on,
        certificate=certificate,
    )
    held.save()
    return held


@transaction.atomic
def guard_qualification_correct(
    *,
    by: User,
    held: GuardQualification,
    note: str,
    issued_on: date,
    expires_on: date | None = None,
    certificate: bytes | None = None,
    qualification: Qualification | None = None,
) -> GuardQualification:
    """Correct a record by a new one that supersedes it, saying why; the old one is kept.

    Without a new scan the correction keeps the old one's. Raises as
    guard_qualification_record, plus `note_required` and `qualification_already_corrected`
    (someone corrected it first: naming who and when).
    """
    reason = note.strip()
    if not reason:
        raise ValidationFailed("Say what the correction is for.", field="note", code="note_required")
    locked = (
        GuardQualification.objects.select_for_update(of=("self",))
        .select_related("guard", "qualification")
        .filter(pk=held.pk)
        .first()
    )
    if locked is None:
        raise _not_found()
    manager_check(user=by, company_id=locked.qualification.company_id, not_found=_not_found())
    later = GuardQualification.objects.filter(supersedes=locked).select_related("recorded_by").first()
    if later is not None:
        zone = locked.guard.company.timezone if locked.guard.company else "UTC"
        raise Conflict(
            f"This record was already corrected by {later.recorded_by or 'someone'} at "
            f"{local_time(later.created_at, zone, DATE_TIME)}.",
            code="qualification_already_corrected",
        )
    new = _new_record(
        by=by,
        guard=locked.guard,
        qualification=qualification or locked.qualification,
        issued_on=issued_on,
        expires_on=expires_on,
        certificate=certificate,
    )
    if not new.certificate and locked.certificate:
        new.certificate.name = locked.certificate.name
    new.supersedes, new.note = locked, reason
    new.save()
    return new


def _not_found() -> NotFound:
    return NotFound("No such qualification.", field="qualification", code="qualification_not_found")

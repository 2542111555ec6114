"""Recording a guard's qualification, with the certificate scan handled like a report photo.

Here rather than in `staffing` because the scan goes through the photo helpers of
`backend.incidents.images` (a layer above staffing): only the re-encoded pixels are kept,
never the uploaded bytes with their EXIF, GPS or device serial.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from backend.accounts.models import Role, User
from backend.core.errors import NotFound, ValidationFailed
from backend.incidents.images import ImageRejected, prepare_photo
from backend.sites.access import reviewer_check
from backend.staffing.models import GuardQualification, Qualification


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
    """A reviewer records that `guard` holds `qualification` from `issued_on` to `expires_on`.

    Raises `not_a_reviewer`, `guard_not_found` / `qualification_not_found` (another
    company's), `expires_before_issue`, `certificate_too_large`, `certificate_unsupported`.
    """
    company_id = qualification.company_id
    # A company-level record: a manager's to keep (a site supervisor's reach is sites).
    reviewer_check(user=by, company_id=company_id, site_id=None, not_found=_not_found())
    if guard.role != Role.GUARD or guard.company_id != company_id:
        raise NotFound("No such guard.", field="guard", code="guard_not_found")
    if expires_on is not None and expires_on < issued_on:
        raise ValidationFailed(
            "It cannot expire before it was issued.", field="expires_on", code="expires_before_issue"
        )
    held = GuardQualification(guard=guard, qualification=qualification, issued_on=issued_on, expires_on=expires_on)
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
    held.save()
    return held


def _not_found() -> NotFound:
    return NotFound("No such qualification.", field="qualification", code="qualification_not_found")

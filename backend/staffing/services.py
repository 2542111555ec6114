"""Writes over posts, post orders and shifts."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from backend.accounts.models import Company, Role, User
from backend.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.core.querysets import catalogue_seed
from backend.sites.access import reviewer_check
from backend.staffing.errors import QualificationMissing, ShiftNotFound, ShiftNotMissable
from backend.staffing.models import (
    Post,
    PostOrder,
    PostOrderAcknowledgement,
    PostRequirement,
    PostRequirementChange,
    Qualification,
    QualificationOverride,
    RequirementChange,
    Shift,
    ShiftStatus,
)
from backend.staffing.selectors import post_order_current, qualifications_missing, shift_get_for_guard

# Every company starts with this catalogue (code, name, given at the site).
DEFAULT_QUALIFICATIONS: tuple[tuple[str, str, bool], ...] = (
    ("state-guard-licence", "State guard licence", False),
    ("cpr-first-aid", "CPR / first aid", False),
    ("fire-watch", "Fire watch", False),
    ("customer-service", "Customer-service course", False),
    ("site-induction", "Site induction", True),
)


def qualifications_seed_defaults(*, company: Company) -> list[Qualification]:
    """Give the company the default catalogue; codes it already has are kept as they are."""
    entries = [
        Qualification(company=company, code=code, name=name, is_induction=is_induction)
        for code, name, is_induction in DEFAULT_QUALIFICATIONS
    ]
    return catalogue_seed(Qualification, company_id=company.pk, entries=entries)


# --- The catalogue and the posts' requirements (the console) --------------------------------


def manager_check(*, user: User, company_id: int, not_found: NotFound) -> None:
    """Refuse unless `user` manages this company (or is GuardOps staff): company-level records.

    A site supervisor of the company is told plainly (403 `managers_only`); someone of
    another company gets `not_found`, so the record's existence is not disclosed.
    """
    if user.role == Role.SUPERVISOR and user.company_id == company_id and user.is_active:
        raise PermissionDenied("Only the company's managers can change this.", code="managers_only")
    reviewer_check(user=user, company_id=company_id, site_id=None, not_found=not_found)


def _qualification_not_found() -> NotFound:
    return NotFound("No such qualification.", field="qualification", code="qualification_not_found")


def _label(name: str) -> str:
    label = name.strip()
    if not label:
        raise ValidationFailed("Give the qualification a name.", field="name", code="name_required")
    return label


@transaction.atomic
def qualification_add(
    *, by: User, company: Company, name: str, description: str = "", is_induction: bool = False
) -> Qualification:
    """Add a qualification to the company's catalogue; its code is made from the name.

    Raises `managers_only`, `name_required`, `qualification_exists` (same name or code, retired ones included).
    """
    manager_check(user=by, company_id=company.pk, not_found=_qualification_not_found())
    label = _label(name)
    code = slugify(label)[:40] or "qualification"
    clash = Qualification.objects.filter(company=company).filter(code=code).first() or (
        Qualification.objects.filter(company=company, name__iexact=label).first()
    )
    if clash is not None:
        retired = " (retired)" if clash.retired_at is not None else ""
        raise Conflict(f"The catalogue already has {clash.name}{retired}.", field="name", code="qualification_exists")
    qualification = Qualification(
        company=company, code=code, name=label, description=description.strip(), is_induction=is_induction
    )
    qualification.full_clean()
    qualification.save()
    return qualification


@transaction.atomic
def qualification_edit(*, by: User, qualification: Qualification, name: str, description: str) -> Qualification:
    """Change a qualification's label and description; its code (what records point at) stays.

    Raises `managers_only`, `qualification_not_found`, `name_required`, `qualification_exists`.
    """
    manager_check(user=by, company_id=qualification.company_id, not_found=_qualification_not_found())
    locked: Qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    label = _label(name)
    clash = Qualification.objects.filter(company_id=locked.company_id, name__iexact=label).exclude(pk=locked.pk).first()
    if clash is not None:
        raise Conflict(f"The catalogue already has {clash.name}.", field="name", code="qualification_exists")
    locked.name, locked.description = label, description.strip()
    locked.save(update_fields=["name", "description", "updated_at"])
    return locked


@transaction.atomic
def qualification_retire(*, by: User, qualification: Qualification, now: datetime | None = None) -> Qualification:
    """Take a qualification out of the catalogue: it can no longer be required or recorded.

    Kept, never deleted: guards' records and scheduling overrides point at it. Raises
    `managers_only`, `qualification_not_found`, `qualification_already_retired`,
    `qualification_required` (posts still require it: naming them; remove it there first).
    """
    manager_check(user=by, company_id=qualification.company_id, not_found=_qualification_not_found())
    locked: Qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    if locked.retired_at is not None:
        raise Conflict(f"{locked.name} is already retired.", code="qualification_already_retired")
    posts = [
        str(requirement.post)
        for requirement in PostRequirement.objects.filter(qualification=locked)
        .select_related("post__site")
        .defer("post__site__geofence")
        .order_by("post__site__name", "post__name")
    ]
    if posts:
        raise Conflict(
            f"{locked.name} is still required at {', '.join(posts)}: remove it from "
            f"{'that post' if len(posts) == 1 else 'those posts'} first.",
            code="qualification_required",
            extra={"posts": posts},
        )
    locked.retired_at, locked.retired_by = now or timezone.now(), by
    locked.save(update_fields=["retired_at", "retired_by", "updated_at"])
    return locked


def _post_for_change(*, by: User, post: Post) -> Post:
    locked: Post = (
        Post.objects.select_for_update().select_related("site__client").defer("site__geofence").get(pk=post.pk)
    )
    reviewer_check(
        user=by,
        company_id=locked.site.client.company_id,
        site_id=locked.site_id,
        not_found=NotFound("No such post.", code="post_not_found"),
    )
    return locked


@transaction.atomic
def post_requirement_add(*, by: User, post: Post, qualification: Qualification) -> PostRequirement:
    """Require `qualification` of every guard scheduled at `post` from now on; recorded who and when.

    Shifts already scheduled stay (the live board and guard page warn about them). Raises
    `not_a_reviewer`, `post_not_found`, `qualification_not_found`, `qualification_retired`,
    `requirement_exists`.
    """
    locked = _post_for_change(by=by, post=post)
    if qualification.company_id != locked.site.client.company_id:
        raise _qualification_not_found()
    if qualification.retired_at is not None:
        raise ValidationFailed(
            f"{qualification.name} is retired; it cannot be required.",
            field="qualification",
            code="qualification_retired",
        )
    if PostRequirement.objects.filter(post=locked, qualification=qualification).exists():
        raise Conflict(
            f"{locked.name} already requires {qualification.name}.", field="qualification", code="requirement_exists"
        )
    requirement = PostRequirement.objects.create(post=locked, qualification=qualification)
    PostRequirementChange.objects.create(
        post=locked, qualification=qualification, change=RequirementChange.ADDED, by=by
    )
    return requirement


@transaction.atomic
def post_requirement_remove(*, by: User, post: Post, qualification: Qualification) -> None:
    """Stop requiring `qualification` at `post`; recorded who and when.

    Raises `not_a_reviewer`, `post_not_found`, `requirement_not_found`.
    """
    locked = _post_for_change(by=by, post=post)
    deleted, _ = PostRequirement.objects.filter(post=locked, qualification=qualification).delete()
    if not deleted:
        raise NotFound(
            f"{locked.name} does not require {qualification.name}.",
            field="qualification",
            code="requirement_not_found",
        )
    PostRequirementChange.objects.create(
        post=locked, qualification=qualification, change=RequirementChange.REMOVED, by=by
    )


@transaction.atomic
def post_order_publish(*, post: Post, title: str, body: str, author: User | None = None) -> PostOrder:
    """Publish the next version of a post's orders; earlier versions stay as they were read."""
    if not title.strip() or not body.strip():
        raise ValidationFailed("Post orders need a title and a body.", field="body" if title.strip() else "title")
    # The row lock serialises concurrent publishers so two never take the same version.
    Post.objects.select_for_update().get(pk=post.pk)
    latest = post.post_orders.aggregate(latest=Max("version"))["latest"] or 0
    order = PostOrder(
        post=post,
        version=latest + 1,
        title=title.strip(),
        body=body.strip(),
        published_at=timezone.now(),
        published_by=author,
    )
    order.full_clean()
    order.save()
    return order


def post_order_acknowledge(
    *, guard: User, post_order: PostOrder, at: datetime | None = None
) -> PostOrderAcknowledgement:
    """Record that the guard read this version; acknowledging twice keeps the first time."""
    if guard.company_id is None or post_order.post.site.client.company_id != guard.company_id:
        raise NotFound("No such post orders.", code="post_order_not_found")
    ack, _ = PostOrderAcknowledgement.objects.get_or_create(
        post_order=post_order, guard=guard, defaults={"acknowledged_at": at or timezone.now()}
    )
    return ack


@transaction.atomic
def shift_schedule(
    *,
    guard: User,
    post: Post,
    starts_at: datetime,
    ends_at: datetime,
    notes: str = "",
    override_by: User | None = None,
    override_reason: str = "",
) -> Shift:
    """Put a guard on a post for a window; refuses other tenants' guards and double-booking.

    A guard lacking a qualification the post requires on any of the shift's days is
    refused (409 `qualification_missing`, naming which and since when) unless a manager
    (`override_by`; a supervisor is 403 `managers_only`) overrides with a reason (422
    `override_reason_required`); the override is recorded per qualification.
    """
    if guard.role != Role.GUARD or not guard.is_active:
        raise ValidationFailed("Only active guards can be scheduled.", field="guard", code="not_a_guard")
    if guard.company_id != post.site.client.company_id:
        raise NotFound("No such guard.", field="guard", code="guard_not_found")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationFailed("Shift times need a time zone.", field="starts_at", code="naive_datetime")
    if ends_at <= starts_at:
        raise ValidationFailed("A shift must end after it starts.", field="ends_at", code="shift_ends_before_start")
    # Lock the guard so two schedulers cannot both pass the overlap check.
    User.objects.select_for_update().get(pk=guard.pk)
    overlapping = (
        Shift.objects.filter(guard=guard, scheduled_start__lt=ends_at, scheduled_end__gt=starts_at)
        .exclude(status=ShiftStatus.CANCELLED)
        .select_related("post__site")
        .defer("post__site__geofence")
        .first()
    )
    if overlapping is not None:
        where = overlapping.post.site
        raise Conflict(
            f"{guard} is already scheduled at {where.name} from "
            f"{local_time(overlapping.scheduled_start, where.timezone, DATE_TIME)}.",
            code="shift_overlaps",
            field="starts_at",
        )
    missing = qualifications_missing(guard=guard, post=post, starts_at=starts_at, ends_at=ends_at)
    reason = override_reason.strip()
    if missing and override_by is None:
        raise QualificationMissing(
            f"{guard} cannot be scheduled at {post.site.name}: {'; '.join(m.sentence() for m in missing)}.",
            field="guard",
            extra={"missing": [m.as_dict() for m in missing]},
        )
    if missing and override_by is not None:
        # Overriding the company's post requirements is a manager's call, not a site supervisor's.
        manager_check(
            user=override_by,
            company_id=post.site.client.company_id,
            not_found=NotFound("No such post.", field="post", code="post_not_found"),
        )
        if not reason:
            raise ValidationFailed(
                "Say why this guard may work the post without the qualification.",
                field="override_reason",
                code="override_reason_required",
            )
    shift = Shift(guard=guard, post=post, scheduled_start=starts_at, scheduled_end=ends_at, notes=notes)
    shift.full_clean()
    shift.save()
    if missing and override_by is not None:
        QualificationOverride.objects.bulk_create(
            QualificationOverride(shift=shift, qualification=m.qualification, overridden_by=override_by, reason=reason)
            for m in missing
        )
    return shift


@transaction.atomic
def shift_mark_missed(
    *,
    shifts: Iterable[Shift] = (),
    shift_ids: Iterable[int] = (),
    at: datetime,
    by: User | None = None,
    note: str = "",
) -> int:
    """Mark shifts no-shows (scheduled -> missed, final), recorded with when, who and a note.

    The system (`by` None, the monitoring pass) offers its whole batch: the shifts that
    ended by `at` with nobody clocked in are marked, the others left as they are, in one
    UPDATE. A reviewer (`by`) marks shifts that have begun with nobody clocked in, even
    before they end (a replacement is on the way); every shift asked for must qualify,
    else nothing changes: ShiftNotFound (another tenant's), PermissionDenied
    `not_a_reviewer`, ShiftNotMissable (naming its state). Returns how many were marked.
    """
    ids = sorted({*(shift.pk for shift in shifts), *shift_ids})
    eligible = Shift.objects.filter(pk__in=ids, status=ShiftStatus.SCHEDULED, clock_in_at__isnull=True)
    if by is None:
        eligible = eligible.filter(scheduled_end__lte=at)
    else:
        # Rows locked in id order: a clock-in or the pass on the same shifts waits, then sees this.
        locked = {
            shift.pk: shift
            for shift in Shift.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("post__site__client")
            .defer("post__site__geofence")
            .order_by("pk")
        }
        for shift_id in ids:
            shift = locked.get(shift_id)
            if shift is None:
                raise ShiftNotFound()
            site = shift.post.site
            reviewer_check(user=by, company_id=site.client.company_id, site_id=site.pk, not_found=ShiftNotFound())
            if shift.status != ShiftStatus.SCHEDULED or shift.clock_in_at is not None:
                raise ShiftNotMissable(
                    f"Only a scheduled shift nobody clocked into can be marked missed; this one is "
                    f"{shift.get_status_display().lower()}.",
                    extra={"shift_id": shift.pk},
                )
            if shift.scheduled_start > at:
                raise ShiftNotMissable(
                    f"This shift starts at {local_time(shift.scheduled_start, site.timezone, DATE_TIME)}; "
                    "it can be marked missed once it has begun.",
                    extra={"shift_id": shift.pk},
                )
    return eligible.update(
        status=ShiftStatus.MISSED,
        marked_missed_at=at,
        marked_missed_by=by,
        marked_missed_note=note.strip(),
        updated_at=at,
    )


# --- The guard's phone (mobile API) ---------------------------------------------------


@transaction.atomic
def post_orders_acknowledge_for_shift(*, guard: User, shift_id: int, version: int) -> PostOrderAcknowledgement:
    """The guard read `version` of their shift's post orders; it must be the current one.

    An unknown (or unpublished) version is a 404; an older one is a 409 so the phone
    shows the current orders. Acknowledging again keeps the first acknowledgement.
    """
    shift = shift_get_for_guard(guard=guard, shift_id=shift_id)
    current = post_order_current(post=shift.post)
    order = PostOrder.objects.filter(post=shift.post, version=version, published_at__lte=timezone.now()).first()
    if order is None or current is None:
        raise NotFound(f"This post has no published orders version {version}.", code="post_order_not_found")
    if order.version < current.version:
        raise Conflict(
            f"Version {version} of the post orders was replaced by version {current.version}; "
            "read the current orders and acknowledge them.",
            code="post_orders_outdated",
            field="version",
            extra={"current_version": current.version},
        )
    return post_order_acknowledge(guard=guard, post_order=order)

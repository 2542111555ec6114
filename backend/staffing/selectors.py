"""Reads over posts, post orders and shifts, scoped to a tenant or to one guard."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.accounts.models import Company, User
from backend.staffing.models import Post, PostOrder, PostOrderAcknowledgement, Shift, ShiftStatus


def posts_for_company(*, company: Company) -> QuerySet[Post]:
    return Post.objects.for_company(company).select_related("site")


def guards_for_company(*, company: Company) -> QuerySet[User]:
    return User.objects.for_company(company).filter(role="guard", is_active=True)


def shifts_for_company(*, company: Company) -> QuerySet[Shift]:
    return Shift.objects.for_company(company).select_related("guard", "post__site")


def shifts_for_guard(
    *, guard: User, starts_before: datetime | None = None, ends_after: datetime | None = None
) -> QuerySet[Shift]:
    """The guard's own shifts overlapping [ends_after, starts_before]; never anyone else's."""
    shifts = Shift.objects.filter(guard=guard).select_related("post__site")
    if guard.company_id is not None:
        shifts = shifts.for_company(guard.company_id)
    if starts_before is not None:
        shifts = shifts.filter(scheduled_start__lt=starts_before)
    if ends_after is not None:
        shifts = shifts.filter(scheduled_end__gt=ends_after)
    return shifts.order_by("scheduled_start")


def shifts_in_progress(*, company: Company, at: datetime | None = None) -> QuerySet[Shift]:
    """Shifts whose scheduled window contains `at`, or that a guard is still clocked into."""
    moment = at or timezone.now()
    in_window = Q(scheduled_start__lte=moment, scheduled_end__gt=moment) & ~Q(status=ShiftStatus.CANCELLED)
    return shifts_for_company(company=company).filter(in_window | Q(status=ShiftStatus.IN_PROGRESS))


def post_order_current(*, post: Post, at: datetime | None = None) -> PostOrder | None:
    """The newest published version of the post's orders, or None when none is published."""
    moment = at or timezone.now()
    return post.post_orders.filter(published_at__lte=moment).order_by("-version").first()


def post_order_is_acknowledged(*, post_order: PostOrder, guard: User) -> bool:
    return PostOrderAcknowledgement.objects.filter(post_order=post_order, guard=guard).exists()

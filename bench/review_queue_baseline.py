"""The review queue as it would be with OFFSET/LIMIT paging and a COUNT(*) per page: the
baseline bench_review_queue.py measures the keyset queue against (mounted by bench/urls.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from backend.incidents.selectors import (
    REVIEW_PAGE_SIZE,
    _open_flags_prefetch,
    _review_queue_filtered,
    incident_review_tab_counts,
)
from console.access import ConsoleRequest, console_view
from console.views.reviews import QueueFilterForm, _company_zone, queue_context, today_starts_at


@console_view
def baseline_queue(request: ConsoleRequest) -> HttpResponse:
    zone_name = _company_zone(request)
    form = QueueFilterForm(request.GET, scope=request.scope)
    reports = (
        _review_queue_filtered(scope=request.scope, filters=form.filters(zone_name))
        .prefetch_related(_open_flags_prefetch())
        .order_by("-received_at", "-id")
    )
    page = Paginator(reports, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))  # COUNT(*), then OFFSET
    tabs = incident_review_tab_counts(scope=request.scope, today_starts_at=today_starts_at(zone_name))
    context = queue_context(
        request, form=form, reports=list(page.object_list), tabs=tabs, next_url=None, first_url=None
    )
    return render(request, "console/reviews/queue.html", context)

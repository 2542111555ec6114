"""Celery tasks of the client documents: each takes ids and calls one service."""

from __future__ import annotations

from celery import shared_task

from backend.documents.delivery import deliveries_plan, deliveries_sweep, delivery_prepare, delivery_send
from backend.documents.services import document_render, documents_sweep


@shared_task(ignore_result=True)
def document_render_task(document_id: int) -> None:
    document_render(document_id=document_id)


@shared_task(ignore_result=True)
def documents_sweep_task() -> int:
    return documents_sweep()


@shared_task(ignore_result=True)
def deliveries_plan_task() -> int:
    """Beat, every minute: record what is due (DARs at the sites' 07:00, Mondays, the 1st, approvals)."""
    return deliveries_plan()


@shared_task(ignore_result=True)
def deliveries_sweep_task() -> int:
    return deliveries_sweep()


@shared_task(ignore_result=True)
def delivery_prepare_task(record_ids: list[int]) -> None:
    delivery_prepare(record_ids=record_ids)


@shared_task(ignore_result=True)
def delivery_send_task(record_id: int) -> None:
    delivery_send(record_id=record_id)

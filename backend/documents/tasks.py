"""Celery tasks of the client documents: each takes ids and calls one service."""

from __future__ import annotations

from celery import shared_task

from backend.documents.services import document_render, documents_sweep


@shared_task(ignore_result=True)
def document_render_task(document_id: int) -> None:
    document_render(document_id=document_id)


@shared_task(ignore_result=True)
def documents_sweep_task() -> int:
    return documents_sweep()

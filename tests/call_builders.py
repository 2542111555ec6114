"""Builders for the call-log tests: a call from a client, a disposition code of its company."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from backend.accounts.models import User
from backend.calls.models import Call, DispositionCode
from backend.calls.services import call_close, call_open, call_verify_caller, followup_create
from backend.sites.models import Client


def code(client_or_company: Any, code: str) -> DispositionCode:
    company_id = getattr(client_or_company, "company_id", None) or client_or_company.pk
    return DispositionCode.objects.get(company_id=company_id, code=code)


def open_call(*, by: User, client: Client, contact: User | None = None, **opened: Any) -> Call:
    """A phone call from `client`, its caller verified as `contact` when one is given."""
    call = call_open(by=by, client_id=client.pk, **opened)
    if contact is not None:
        call = call_verify_caller(call=call, by=by, contact_id=contact.pk)
    return call


def closed_call(*, by: User, client: Client, contact: User, disposition: str = "praise", **close: Any) -> Call:
    """A call from `contact` closed under `disposition` (a follow-up made first if the code needs one)."""
    call = open_call(by=by, client=client, contact=contact)
    chosen = code(client, disposition)
    if chosen.follow_up_required:
        followup_create(call=call, by=by, due_at=timezone.now() + timedelta(hours=4), owner_id=by.pk, note="Call back.")
    if chosen.comment_required:
        close.setdefault("disposition_comment", "Noted.")
    return call_close(call=call, by=by, disposition_id=chosen.pk, summary="Thanked the caller.", **close)

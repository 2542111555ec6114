"""The call log in the admin: the catalogue and the greetings kept by a company, the calls read-only.

A company's manager sees and picks only the company's rows (admin_tenancy). Calls and their
notes are evidence: viewed here, never added, changed or deleted (a correction is a note,
added in the console). Follow-ups are done in the console, with who and when, so they are
read here too. A disposition code no call carries yet can be edited or removed; a used
one is only retired (the action), so the calls that carry it keep their meaning.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import ngettext

from backend.calls.models import Call, CallNote, ClientGreeting, DispositionCode, FollowUp
from backend.calls.services import disposition_code_retire
from backend.core.admin_tenancy import (
    EvidenceAdmin,
    ReadOnlyAdminMixin,
    TenantScopedAdmin,
    TenantScopedTabularInline,
    site_time,
)
from backend.core.errors import ApplicationError

CALL_ZONES = ("site.timezone", "company.timezone")


@admin.register(DispositionCode)
class DispositionCodeAdmin(TenantScopedAdmin):
    list_display = (
        "label", "code", "reason_group", "company", "comment_required", "follow_up_required", "chargeable",
        "retired_at",
    )  # fmt: skip
    list_filter = ("reason_group", "chargeable", "company")
    list_select_related = ("company", "retired_by")
    search_fields = ("label", "code")
    readonly_fields = ("retired_at", "retired_by")
    actions = ("retire_selected",)

    @staticmethod
    def _used(obj: DispositionCode | None) -> bool:
        return obj is not None and obj.pk is not None and obj.calls.exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self._used(obj):
            # Calls carry it: every field stays as the calls read it.
            return [field.name for field in self.model._meta.concrete_fields if field.name != "id"]
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._used(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._used(obj)

    @admin.action(description="Retire selected codes (calls that carry them keep them)", permissions=["change"])
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[DispositionCode]) -> None:
        retired = 0
        for code in queryset:
            try:
                disposition_code_retire(disposition=code, by=request.user)  # type: ignore[arg-type]
            except ApplicationError as error:
                self.message_user(request, f"{code.label}: {error.message}", messages.ERROR)
            else:
                retired += 1
        message = ngettext("Retired %(count)d code.", "Retired %(count)d codes.", retired) % {"count": retired}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(ClientGreeting)
class ClientGreetingAdmin(TenantScopedAdmin):
    list_display = ("client", "script", "updated_by", "updated_at")
    list_select_related = ("client", "updated_by")
    search_fields = ("client__name", "script")
    readonly_fields = ("updated_by",)

    def save_model(self, request: HttpRequest, obj: ClientGreeting, form: ModelForm[Any], change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


class CallNoteInline(ReadOnlyAdminMixin, TenantScopedTabularInline):
    model = CallNote
    extra = 0
    can_delete = False
    fields = ("created_at", "author", "text")
    readonly_fields = fields


class FollowUpInline(ReadOnlyAdminMixin, TenantScopedTabularInline):
    model = FollowUp
    extra = 0
    can_delete = False
    fields = ("due_at", "owner", "note", "done_at", "done_by", "done_note")
    readonly_fields = fields


@admin.register(Call)
class CallAdmin(EvidenceAdmin):
    """Client calls, newest first: a view page without buttons (the console logs and closes them)."""

    list_display = ("opened_local", "client", "caller", "caller_verified", "channel", "status", "disposition", "site")
    list_filter = ("status", "channel", "caller_verified", "disposition__reason_group", "client")
    list_select_related = ("company", "client", "caller_contact", "disposition", "site")
    search_fields = ("caller_name", "caller_number", "caller_words", "summary")
    date_hierarchy = "opened_at"
    inlines = (CallNoteInline, FollowUpInline)
    site_zone_paths = CALL_ZONES

    opened_local = site_time("opened_at", "Opened")

    @admin.display(description="Caller")
    def caller(self, call: Call) -> str:
        return call.caller_display

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Every field, including any added later: nothing of a call is edited here.
        return [self._on_site_clock(field.name) for field in self.model._meta.concrete_fields]


@admin.register(CallNote)
class CallNoteAdmin(EvidenceAdmin):
    list_display = ("created_local", "call", "author", "text")
    list_select_related = ("call__client", "call__site", "call__company", "call__caller_contact", "author")
    search_fields = ("text",)
    readonly_fields = ("call", "author", "text", "created_at")
    site_zone_paths = tuple(f"call.{path}" for path in CALL_ZONES)

    created_local = site_time("created_at", "Written")


@admin.register(FollowUp)
class FollowUpAdmin(EvidenceAdmin):
    """Follow-ups are done in the console (who and when are recorded there): read here."""

    list_display = ("due_local", "call", "owner", "note", "done_at")
    list_filter = ("owner",)
    list_select_related = ("call__client", "call__site", "call__company", "call__caller_contact", "owner")
    search_fields = ("note", "done_note")
    readonly_fields = ("call", "due_at", "owner", "note", "created_by", "done_at", "done_by", "done_note")
    site_zone_paths = tuple(f"call.{path}" for path in CALL_ZONES)

    due_local = site_time("due_at", "Due")

from django.contrib import admin
from django.utils.html import format_html_join

from backend.core.admin_tenancy import TenantScopedAdmin
from backend.rules.models import RuleSettings
from backend.rules.thresholds import Thresholds


@admin.register(RuleSettings)
class RuleSettingsAdmin(TenantScopedAdmin):
    list_display = ("company", "overrides")
    readonly_fields = ("defaults",)

    @admin.display(description="Defaults")
    def defaults(self, obj: RuleSettings | None = None) -> str:
        return format_html_join(
            "\n",
            "<p><code>{}</code> = {} — {}</p>",
            ((name, default, why) for name, default, why in Thresholds.documented()),
        )

from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "backend.staffing"
    label = "staffing"
    verbose_name = "Posts and shifts"

    def ready(self) -> None:
        from backend.staffing import signals  # noqa: F401 - connects the receivers

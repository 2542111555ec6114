from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "backend.incidents"
    label = "incidents"
    verbose_name = "Incident reports"

    def ready(self) -> None:
        from backend.incidents import signals  # noqa: F401 - connects the receivers

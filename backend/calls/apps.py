from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "backend.calls"
    label = "calls"
    verbose_name = "Client call log"

    def ready(self) -> None:
        from backend.calls import signals  # noqa: F401 - connects the receivers

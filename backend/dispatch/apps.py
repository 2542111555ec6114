from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "backend.dispatch"
    label = "dispatch"
    verbose_name = "Dispatch: service requests, security callbacks and their timers"

    def ready(self) -> None:
        from backend.dispatch import signals  # noqa: F401 - connects the receivers

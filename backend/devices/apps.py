from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "backend.devices"
    label = "devices"
    verbose_name = "Devices and mobile tokens"

    def ready(self) -> None:
        from backend.devices import signals  # noqa: F401 - connects the receivers

from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "backend.flags"
    label = "flags"
    verbose_name = "Flags"

from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "backend.rules"
    label = "rules"
    verbose_name = "Validation rules"

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "backend.incidents"
    label = "incidents"
    verbose_name = "Incident reports"

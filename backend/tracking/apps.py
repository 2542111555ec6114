from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "backend.tracking"
    label = "tracking"
    verbose_name = "Attendance and tracking"

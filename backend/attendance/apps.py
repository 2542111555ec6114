from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "backend.attendance"
    label = "attendance"
    verbose_name = "Attendance: clock-in/out and the monitoring pass"

"""The beat schedule names tasks the worker knows, so a moved task keeps running every minute."""

from django.conf import settings

from backend.config.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover the apps' tasks

    unknown = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} - set(app.tasks)

    assert unknown == set()


def test_the_monitoring_pass_runs_from_the_attendance_app():
    task_name = str(settings.CELERY_BEAT_SCHEDULE["monitor-shifts-every-minute"]["task"])

    assert app.tasks[task_name].__module__ == "backend.attendance.tasks"

from celery import shared_task

from backend.flags.notifications import flag_notify_managers


@shared_task
def flag_notify_managers_task(flag_id: int) -> int:
    return flag_notify_managers(flag_id=flag_id)

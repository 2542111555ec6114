from celery import shared_task

from backend.staffing.notices import guard_notice_email


@shared_task
def guard_notice_email_task(notice_id: int) -> bool:
    return guard_notice_email(notice_id=notice_id)

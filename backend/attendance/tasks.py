import logging
from typing import Any

from celery import shared_task
from django.core.cache import cache

from backend.attendance.escalation import alert_escalation_send, alerts_escalate
from backend.attendance.monitoring import shifts_monitor

logger = logging.getLogger(__name__)

# A pass that overruns the minute must not overlap the next one (they would race to
# sync the same flags); the lock expires on its own if a worker dies mid-pass.
MONITOR_LOCK = "guardops:shift-monitor-lock"
MONITOR_LOCK_SECONDS = 300


@shared_task(ignore_result=True)
def shifts_monitor_task() -> dict[str, Any] | None:
    if not cache.add(MONITOR_LOCK, "1", timeout=MONITOR_LOCK_SECONDS):
        logger.warning("Shift monitoring pass skipped: the previous pass is still running.")
        return None
    try:
        result = shifts_monitor()
    finally:
        cache.delete(MONITOR_LOCK)
    logger.info(
        "Shift monitoring pass: %s shifts, %s flags, %s marked missed",
        result.shifts,
        result.flags,
        result.marked_missed,
    )
    return {"shifts": result.shifts, "flags": result.flags, "marked_missed": result.marked_missed}


# --- The live board's escalation (backend/attendance/escalation.py) ---


@shared_task(ignore_result=True)
def alerts_escalate_task() -> int:
    return alerts_escalate()


@shared_task
def alert_escalation_send_task(escalation_id: int) -> bool:
    return alert_escalation_send(escalation_id=escalation_id)
